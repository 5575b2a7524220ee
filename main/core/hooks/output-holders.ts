import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process outside the hook's process group that still holds the hook's output pipe. */
export interface OutputHolder {
  pid: number;
  command: string;
}

/** The pipe behind one of our file descriptors (`pipe:[123]`), where the platform says (Linux /proc). */
export function pipeOf(fd: number | undefined): string | undefined {
  if (fd === undefined || fd < 0) return undefined;
  try {
    const target = readlinkSync(`/proc/self/fd/${fd}`);
    return target.startsWith('pipe:') ? target : undefined;
  } catch {
    return undefined; // no /proc here: holders cannot be named
  }
}

/** Other processes holding any of these pipes open, with their command lines. */
export function pipeHolders(pipes: readonly string[]): OutputHolder[] {
  if (pipes.length === 0) return [];
  const wanted = new Set(pipes);
  const holders: OutputHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of pids) {
    const pid = Number(name);
    if (pid === process.pid) continue; // our own end, which we read from
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    const holds = fds.some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${name}/fd/${fd}`));
      } catch {
        return false; // closed meanwhile
      }
    });
    if (holds) holders.push({ pid, command: commandOf(name) });
  }
  return holders;
}

function commandOf(pid: string): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return text.length > 200 ? `${text.slice(0, 197)}…` : text;
  } catch {
    return '?'; // it ended while we looked
  }
}
