import { readFileSync } from 'node:fs';
import { processIds, processStat } from '../util/process-stat.ts';

/** A process the hook started that outlived it outside its process group. */
export interface OutputHolder {
  pid: number;
  command: string;
}

/**
 * Processes whose environment holds every one of these variables (a hook's run id and event:
 * what its descendants inherit), where the platform shows them (Linux /proc). Node gives child
 * output a socket pair, whose far end /proc cannot name, so the environment is the trace.
 */
export function processesWithEnvironment(wanted: Record<string, string>): OutputHolder[] {
  return tracedProcesses(wanted).map(({ pid, command }) => ({ pid, command }));
}

/** The same processes with their start times, to signal each only while its PID still names it. */
export function tracedProcesses(wanted: Record<string, string>): Array<OutputHolder & { start: string }> {
  const needles = Object.entries(wanted).map(([key, value]) => `${key}=${value}`);
  if (needles.length === 0) return [];
  // No /proc here: no ids, and leftovers cannot be named.
  const pids = processIds().map(String);
  const found: Array<OutputHolder & { parent: number; group: number; start: string }> = [];
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    let entries: string[];
    try {
      entries = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    if (needles.every((needle) => entries.includes(needle))) found.push({ pid, command: commandOf(name), ...family(name) });
  }
  // Another hook of the same run and event (an async one) still going is not a leftover: its
  // leader is our child, and its processes are in that leader's group.
  const siblings = new Set(found.filter((entry) => entry.parent === process.pid).map((entry) => entry.pid));
  return found.filter((entry) => !siblings.has(entry.pid) && !siblings.has(entry.group)).map(({ pid, command, start }) => ({ pid, command, start }));
}

/** Parent pid, process group and start time; zeros for one that ended while we looked. */
function family(pid: string): { parent: number; group: number; start: string } {
  const stat = processStat(pid);
  return stat ? { parent: stat.parent, group: stat.group, start: stat.start } : { parent: 0, group: 0, start: '' };
}

function commandOf(pid: string): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return text.length > 200 ? `${text.slice(0, 197)}…` : text;
  } catch {
    return '?'; // it ended while we looked
  }
}
