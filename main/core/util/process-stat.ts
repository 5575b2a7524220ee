import { readdirSync, readFileSync } from 'node:fs';

/** What /proc/PID/stat says of a process (Linux): its parent, its process group and when it started. */
export interface ProcessStat {
  parent: number;
  group: number;
  /** Clock ticks after boot (field 22): with the PID, names one process even when the PID is reused later. */
  start: string;
}

/** The process's stat line, read past the command name (in parentheses, it may hold spaces and ')'); undefined when it is gone or there is no /proc. */
export function processStat(pid: number | string): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the name: state, ppid, pgrp, … starttime is the 20th field from there.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), group: Number(fields[2]), start: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** The ids of every process in /proc; empty where there is none. */
export function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}
