import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus } from '../config/schema.ts';
import { RUN_STATUSES } from '../config/vocabulary.ts';
import type { HistoryStore } from '../history/history-store.ts';
import type { RunRecord } from '../runs/run-record.ts';
import type { RunEvent } from '../runs/run-state.ts';

/** The counters file in the data dir. */
export const COUNTERS_FILE = 'metrics-counters.json';
/** Run ids remembered so that the same run is never counted twice. */
const REMEMBERED = 500;
/** How many of the newest history records each start compares with the counters. */
const RECENT = 50;

export type StatusCounts = Partial<Record<RunStatus, number>>;

interface CountersFile {
  version: 1;
  /** Finished backup runs by plan id and status. */
  plans: Record<string, StatusCounts>;
  /** The last counted run ids, newest last. */
  counted: string[];
}

/** A finished backup run (SPEC §1: a record without a `kind` is a backup), with the status it ended with. */
function finishedBackup(run: RunRecord): (RunRecord & { status: RunStatus }) | undefined {
  const kind = (run as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== 'backup') return undefined;
  return (RUN_STATUSES as readonly string[]).includes(run.status) ? (run as RunRecord & { status: RunStatus }) : undefined;
}

/**
 * `lifeboat_runs_total`'s counters, kept in the data dir and never going back: the history is
 * pruned after `historyDays`, the counters are not. Each backup run is counted once, when it
 * ends; a data dir without the file starts from what its history holds.
 */
export class RunCounters {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, COUNTERS_FILE);
  }

  /**
   * Brings the counters up to the history: with no counters file, every finished backup run it
   * holds (a one-time seed); otherwise its newest runs not counted yet (runs marked interrupted
   * at start, which never ended in a process that could count them, or a count a full disk
   * stopped).
   */
  async catchUp(history: HistoryStore): Promise<void> {
    const missing = this.readFile() === undefined;
    const runs = await history.list(missing ? {} : { limit: RECENT });
    this.locked(() => {
      // Read again after the await: another process may have counted meanwhile.
      const counters = this.readFile() ?? { version: 1, plans: {}, counted: [] };
      let changed = missing;
      for (const run of runs.reverse()) changed = add(counters, run) || changed; // oldest first
      if (changed) this.writeFile(counters);
    });
  }

  /**
   * Counts one run that ended. Synchronous on purpose: the count is on disk before the run's
   * end is told to anyone else, even in a command that exits right after its run.
   */
  runEnded(run: RunRecord): void {
    if (!finishedBackup(run)) return;
    this.locked(() => {
      const counters = this.readFile() ?? { version: 1, plans: {}, counted: [] };
      if (add(counters, run)) this.writeFile(counters);
    });
  }

  /**
   * Runs a read-change-write of the file with `<file>.lock` held, so that two processes ending
   * runs at once (a CLI run beside the daemon) both count. A lock older than 10 s was left by a
   * process that died; after 2 s of waiting the count goes ahead without it rather than be lost.
   */
  private locked(change: () => void): void {
    const lock = `${this.file}.lock`;
    const deadline = Date.now() + 2000;
    let held = false;
    while (!held) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        held = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > 10_000) rmSync(lock, { force: true });
        else if (Date.now() > deadline) break;
        else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // a few milliseconds
      }
    }
    try {
      change();
    } finally {
      if (held) rmSync(lock, { force: true });
    }
  }

  /** The counts by plan id (empty when nothing was counted yet). */
  read(): Map<string, StatusCounts> {
    return new Map(Object.entries(this.readFile()?.plans ?? {}));
  }

  private readFile(): CountersFile | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<CountersFile>;
      if (parsed && typeof parsed.plans === 'object' && parsed.plans !== null && Array.isArray(parsed.counted)) {
        return { version: 1, plans: parsed.plans, counted: parsed.counted };
      }
    } catch {
      // a damaged file: kept aside below, and the counting starts again
    }
    renameSync(this.file, `${this.file}.damaged`);
    return undefined;
  }

  private writeFile(counters: CountersFile): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(counters)}\n`, { mode: 0o600 });
      renameSync(temp, this.file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}

/** Adds a finished backup run to the counts; false when it is no such run or was counted already. */
function add(counters: CountersFile, record: RunRecord): boolean {
  const run = finishedBackup(record);
  if (!run || counters.counted.includes(run.id)) return false;
  const counts = counters.plans[run.plan] ?? {};
  counts[run.status] = (counts[run.status] ?? 0) + 1;
  counters.plans[run.plan] = counts;
  counters.counted.push(run.id);
  if (counters.counted.length > REMEMBERED) counters.counted.splice(0, counters.counted.length - REMEMBERED);
  return true;
}

/**
 * Keeps the counters of the runs an engine executes: catches up with the history (seeds them
 * when their file is missing), and returns the listener to subscribe to the engine's run events.
 */
export async function countRuns(dataDir: string, history: HistoryStore): Promise<(event: RunEvent) => void> {
  const counters = new RunCounters(dataDir);
  // A history that cannot be read now is caught up with at the next start.
  await counters.catchUp(history).catch(() => undefined);
  return (event) => {
    if (event.type !== 'run-ended') return;
    try {
      counters.runEnded(event.run);
    } catch {
      // a full disk: the run itself is recorded elsewhere; the counter misses it rather than failing the run
    }
  };
}
