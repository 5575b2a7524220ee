import { spawn } from 'node:child_process';
import { type ProcessStat, processIds, processStat } from '../util/process-stat.ts';

/**
 * Signals a hook's whole process tree. On POSIX a hook leads its own process group, so the
 * group gets the signal, grandchildren included; Windows has `taskkill /T /F`.
 */
export function signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (process.platform === 'win32') {
    spawn('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // ESRCH: the group is already gone
  }
}

/** Whether any process of the group led by `pid` is still alive (POSIX). */
export function treeAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process that left the hook's group (setsid) while the hook still runs: its pid and start, to signal only it. */
export interface EscapedProcess {
  pid: number;
  start: string;
}

/** Parent pid, process group and start time of each process, from /proc (Linux); empty elsewhere. */
function processTable(): Map<number, ProcessStat> {
  const table = new Map<number, ProcessStat>();
  for (const pid of processIds()) {
    const stat = processStat(pid);
    if (stat) table.set(pid, stat);
  }
  return table;
}

/**
 * The descendants of a running hook (by parent, through /proc) that are no longer in its process
 * group: a `setsid` child escapes a signal to the group. A process that left and whose parent is
 * gone (a double fork) cannot be traced here.
 */
export function escapedDescendants(pid: number): EscapedProcess[] {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [child, { parent }] of table) children.set(parent, [...(children.get(parent) ?? []), child]);
  const escaped: EscapedProcess[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const entry = table.get(next);
    if (!entry) continue;
    if (entry.group !== pid) escaped.push({ pid: next, start: entry.start });
    queue.push(...(children.get(next) ?? []));
  }
  return escaped;
}

/** Signals processes that escaped the hook's group, each with its own group when it leads one, unless its PID now names another process. */
export function signalEscaped(processes: readonly EscapedProcess[], signal: 'SIGTERM' | 'SIGKILL'): void {
  const table = processTable();
  for (const { pid, start } of processes) {
    const now = table.get(pid);
    if (!now || now.start !== start) continue; // gone, or the PID was reused
    for (const target of now.group === pid ? [-pid, pid] : [pid]) {
      try {
        process.kill(target, signal);
      } catch {
        // gone meanwhile, or not ours
      }
    }
  }
}
