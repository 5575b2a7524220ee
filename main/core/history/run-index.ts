import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import type { RunRecord, RunStep } from '../runs/run-record.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** What the history keeps of a step: everything but its output, which lives in the run's log file. */
export type IndexedStep = Omit<RunStep, 'output'>;
export type IndexedRun = Omit<RunRecord, 'steps'> & { steps: IndexedStep[] };

/** A plan's newest run (the run whose latest record is the newest in the history) and newest successful backup. */
export interface PlanLatest {
  lastRun: IndexedRun;
  lastSuccess: IndexedRun | null;
}

const VERSION = 1;
const CHUNK = 1024 * 1024;
/** How many bytes before the summarised length are hashed to recognise the same history (a few records). */
const TAIL_BYTES = 8192;

interface IndexFile {
  version: number;
  /** Bytes of runs.jsonl folded in: always just after a newline (or 0). */
  size: number;
  ino: number;
  /** A hash of the last bytes before `size`: a history rewritten in place no longer matches. */
  tail: string;
  plans: PlanLatest[];
  repositories: IndexedRun[];
  running: IndexedRun[];
}

/** A successful backup (SPEC §1): a backup run that made a snapshot, `success` or `warning`. */
export function isSuccessfulBackup(run: IndexedRun): boolean {
  const kind = (run as { kind?: unknown }).kind;
  return (
    (kind === undefined || kind === 'backup') &&
    (run.status === 'success' || run.status === 'warning') &&
    run.snapshotId !== null &&
    run.steps.some((step) => step.kind === 'restic' && step.name === 'backup')
  );
}

/**
 * The summary of a history file: each plan's last run and last success, and the runs whose latest
 * record says `running`. It is the fold of the file's records in order, so it can be brought up to
 * date by reading only the records appended since.
 */
export class RunSummary {
  size = 0;
  ino = 0;
  tail = '';
  readonly plans = new Map<string, PlanLatest>();
  /** Each repository's last run. */
  readonly repositories = new Map<string, IndexedRun>();
  readonly running = new Map<string, IndexedRun>();
  /** Plans whose last success stopped being one: only a search of the history can say which one is now. */
  readonly lostSuccess = new Set<string>();

  add(run: IndexedRun): void {
    const current = this.plans.get(run.plan);
    let lastSuccess = current?.lastSuccess ?? null;
    if (isSuccessfulBackup(run)) {
      lastSuccess = run;
      this.lostSuccess.delete(run.plan);
    } else if (lastSuccess?.id === run.id) {
      lastSuccess = null;
      this.lostSuccess.add(run.plan);
    }
    this.plans.set(run.plan, { lastRun: run, lastSuccess });
    this.repositories.set(run.repository, run);
    if (run.status === 'running') this.running.set(run.id, run);
    else this.running.delete(run.id);
  }

  toJSON(): IndexFile {
    return {
      version: VERSION,
      size: this.size,
      ino: this.ino,
      tail: this.tail,
      plans: [...this.plans.values()],
      repositories: [...this.repositories.values()],
      running: [...this.running.values()],
    };
  }

  static fromJSON(value: unknown): RunSummary | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const file = value as Partial<IndexFile>;
    if (file.version !== VERSION || !Number.isSafeInteger(file.size) || typeof file.ino !== 'number' || typeof file.tail !== 'string') return undefined;
    if (!Array.isArray(file.plans) || !Array.isArray(file.repositories) || !Array.isArray(file.running)) return undefined;
    const summary = new RunSummary();
    summary.size = file.size as number;
    summary.ino = file.ino;
    summary.tail = file.tail;
    for (const entry of file.plans) {
      if (!isRun(entry?.lastRun) || !(entry.lastSuccess === null || isRun(entry.lastSuccess))) return undefined;
      summary.plans.set(entry.lastRun.plan, { lastRun: entry.lastRun, lastSuccess: entry.lastSuccess });
    }
    for (const run of file.repositories) {
      if (!isRun(run)) return undefined;
      summary.repositories.set(run.repository, run);
    }
    for (const run of file.running) {
      if (!isRun(run)) return undefined;
      summary.running.set(run.id, run);
    }
    return summary;
  }
}

function isRun(value: unknown): value is IndexedRun {
  const run = value as IndexedRun | undefined;
  return typeof run?.id === 'string' && typeof run.plan === 'string' && typeof run.status === 'string' && Array.isArray(run.steps);
}

export function parseLine(line: string): IndexedRun | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as IndexedRun;
    return typeof value?.id === 'string' && Array.isArray(value.steps) ? value : undefined;
  } catch {
    return undefined; // a torn record from a crash mid-write: skipped, the rest stays readable
  }
}

type Handle = Awaited<ReturnType<typeof open>>;

/**
 * Keeps the summary of `history` in `file`, written atomically. It is trusted only for the same
 * history file (inode and the bytes before its length) and brought up to date by reading the
 * records appended since; a missing, unreadable or foreign summary is rebuilt by one scan.
 */
export class RunIndex {
  private readonly history: string;
  private readonly file: string;
  /** Searches the history for a plan's last success (the rare case of a success that stopped being one). */
  private readonly findLastSuccess: (plan: string) => Promise<IndexedRun | undefined>;
  /** The summary as last read or written by this process. */
  private cached: RunSummary | undefined;

  constructor(history: string, file: string, findLastSuccess: (plan: string) => Promise<IndexedRun | undefined>) {
    this.history = history;
    this.file = file;
    this.findLastSuccess = findLastSuccess;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** The summary of the history as it is now on disk; the file is rewritten when it was behind. */
  current(): Promise<RunSummary> {
    // One at a time: two catch-ups folding into the same summary would interleave.
    const next = this.queue.then(() => this.bringUpToDate());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async bringUpToDate(): Promise<RunSummary> {
    let handle: Handle;
    try {
      handle = await open(this.history, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new RunSummary();
      throw error;
    }
    let summary: RunSummary;
    let changed = false;
    try {
      const { size, ino } = await handle.stat();
      summary = (await this.matching(this.cached, handle, size, ino)) ?? (await this.matching(await this.readFile(), handle, size, ino)) ?? new RunSummary();
      if (summary.ino !== ino || summary.size < size) {
        changed = true;
        await catchUp(summary, handle, size, ino);
      }
    } finally {
      await handle.close();
    }
    for (const plan of summary.lostSuccess) {
      const latest = summary.plans.get(plan);
      if (latest) latest.lastSuccess = (await this.findLastSuccess(plan)) ?? null;
      summary.lostSuccess.delete(plan);
    }
    this.cached = summary;
    if (changed) await writeFileAtomic(this.file, JSON.stringify(summary)).catch(() => undefined); // next time, then
    return summary;
  }

  private async readFile(): Promise<RunSummary | undefined> {
    try {
      return RunSummary.fromJSON(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      return undefined; // missing or unreadable: rebuilt from the history
    }
  }

  /** The summary if it describes a prefix of this history file, else undefined. */
  private async matching(summary: RunSummary | undefined, handle: Handle, size: number, ino: number): Promise<RunSummary | undefined> {
    if (!summary || summary.ino !== ino || summary.size > size) return undefined;
    if ((await tailOf(handle, summary.size)) !== summary.tail) return undefined;
    return summary;
  }
}

async function tailOf(handle: Handle, end: number): Promise<string> {
  const length = Math.min(TAIL_BYTES, end);
  const bytes = Buffer.alloc(length);
  if (length > 0) await handle.read(bytes, 0, length, end - length);
  return createHash('sha256').update(bytes).digest('base64');
}

/** Folds the complete records between `summary.size` and `size` in; a torn last line waits. */
async function catchUp(summary: RunSummary, handle: Handle, size: number, ino: number): Promise<void> {
  if (summary.ino !== ino) {
    summary.ino = ino;
    summary.size = 0;
  }
  let position = summary.size;
  let carry = Buffer.alloc(0);
  let consumed = position;
  while (position < size) {
    const length = Math.min(CHUNK, size - position);
    const chunk = Buffer.alloc(length);
    const { bytesRead } = await handle.read(chunk, 0, length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    let newline = data.indexOf(0x0a, start);
    while (newline !== -1) {
      // As when reading backwards: a line must end its JSON object, or it was torn and an older record stands.
      if (newline > start && data[newline - 1] === 0x7d) {
        const run = parseLine(data.toString('utf8', start, newline));
        if (run) summary.add(run);
      }
      start = newline + 1;
      newline = data.indexOf(0x0a, start);
    }
    consumed = position - (data.length - start);
    carry = Buffer.from(data.subarray(start));
  }
  summary.size = consumed;
  summary.tail = await tailOf(handle, consumed);
}
