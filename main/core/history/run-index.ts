import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type RunRecord, type RunStep, runKind } from '../runs/run-record.ts';
import { readLinesForward } from './forward-lines.ts';

/** What the history keeps of a step: everything but its output, which lives in the run's log file. */
export type IndexedStep = Omit<RunStep, 'output'>;
export type IndexedRun = Omit<RunRecord, 'steps'> & { steps: IndexedStep[] };

/** A plan's newest backup run (the one whose latest record is the newest in the history) and newest successful backup. */
export interface PlanLatest {
  lastRun: IndexedRun;
  lastSuccess: IndexedRun | null;
}

const VERSION = 1;
const CHUNK = 1024 * 1024;
/** How many bytes before the summarised length are hashed to recognise the same history (a few records). */
const TAIL_BYTES = 8192;

/**
 * The file's first line: what start-up needs (is the summary current, which runs are running). The
 * second line, each plan's and repository's last runs, is parsed only when asked for.
 */
interface IndexHeader {
  version: number;
  /** Bytes of runs.jsonl folded in: always just after a newline (or 0). */
  size: number;
  ino: number;
  /** A hash of the last bytes before `size`: a history rewritten in place no longer matches. */
  tail: string;
  running: IndexedRun[];
}

interface IndexBody {
  plans: PlanLatest[];
  repositories: IndexedRun[];
}

/** A successful backup (SPEC §1): a backup run that made a snapshot, `success` or `warning`. */
export function isSuccessfulBackup(run: IndexedRun): boolean {
  return (
    runKind(run) === 'backup' &&
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
  readonly running = new Map<string, IndexedRun>();
  /** Plans whose last success stopped being one: only a search of the history can say which one is now. */
  readonly lostSuccess = new Set<string>();
  private readonly latestOfPlans = new Map<string, PlanLatest>();
  private readonly latestOfRepositories = new Map<string, IndexedRun>();
  /** The second line of the file, not parsed yet. */
  private unparsed: string | undefined;

  /** Each plan's last run and last success; call readBody first for a summary read from a file. */
  get plans(): Map<string, PlanLatest> {
    return this.latestOfPlans;
  }

  /** Each repository's last run. */
  get repositories(): Map<string, IndexedRun> {
    return this.latestOfRepositories;
  }

  add(run: IndexedRun): void {
    this.latestOfRepositories.set(run.repository, run);
    if (run.status === 'running') this.running.set(run.id, run);
    else this.running.delete(run.id);
    if (runKind(run) !== 'backup') return; // a plan's last run and last success count its backups (SPEC §1)
    const current = this.latestOfPlans.get(run.plan);
    let lastSuccess = current?.lastSuccess ?? null;
    if (isSuccessfulBackup(run)) {
      lastSuccess = run;
      this.lostSuccess.delete(run.plan);
    } else if (lastSuccess?.id === run.id) {
      lastSuccess = null;
      this.lostSuccess.add(run.plan);
    }
    this.latestOfPlans.set(run.plan, { lastRun: run, lastSuccess });
  }

  /** Parses the plans' part if it was left unread; false when it cannot be read (then the summary is rebuilt). */
  readBody(): boolean {
    if (this.unparsed === undefined) return true;
    try {
      const body = JSON.parse(this.unparsed) as Partial<IndexBody> | null;
      if (!Array.isArray(body?.plans) || !Array.isArray(body.repositories)) return false;
      for (const entry of body.plans) {
        if (!isRun(entry?.lastRun) || !(entry.lastSuccess === null || isRun(entry.lastSuccess))) return false;
        this.latestOfPlans.set(entry.lastRun.plan, { lastRun: entry.lastRun, lastSuccess: entry.lastSuccess });
      }
      for (const run of body.repositories) {
        if (!isRun(run)) return false;
        this.latestOfRepositories.set(run.repository, run);
      }
    } catch {
      return false;
    }
    this.unparsed = undefined;
    return true;
  }

  serialize(): string {
    const header: IndexHeader = { version: VERSION, size: this.size, ino: this.ino, tail: this.tail, running: [...this.running.values()] };
    const body: IndexBody = { plans: [...this.latestOfPlans.values()], repositories: [...this.latestOfRepositories.values()] };
    return `${JSON.stringify(header)}\n${JSON.stringify(body)}\n`;
  }

  /** The summary in a file's text, its second line left unparsed; undefined when the first line is not one. */
  static parse(text: string): RunSummary | undefined {
    const newline = text.indexOf('\n');
    if (newline === -1) return undefined;
    let header: Partial<IndexHeader> | null;
    try {
      header = JSON.parse(text.slice(0, newline)) as Partial<IndexHeader> | null;
    } catch {
      return undefined;
    }
    if (typeof header !== 'object' || header === null) return undefined;
    if (header.version !== VERSION || !Number.isSafeInteger(header.size) || typeof header.ino !== 'number' || typeof header.tail !== 'string') return undefined;
    if (!Array.isArray(header.running)) return undefined;
    const summary = new RunSummary();
    summary.size = header.size as number;
    summary.ino = header.ino;
    summary.tail = header.tail;
    for (const run of header.running) {
      if (!isRun(run)) return undefined;
      summary.running.set(run.id, run);
    }
    summary.unparsed = text.slice(newline + 1);
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

  /**
   * The summary of the history as it is now on disk; the file is rewritten when it was behind,
   * unless `persist` is false (a run's interim record: its end rewrites it, and a reader after a
   * crash catches up from the history's last few records).
   * `running` alone (start-up) leaves the plans' part of the file unparsed when nothing was behind.
   */
  current(need: 'all' | 'running' = 'all', options: { persist?: boolean | undefined } = {}): Promise<RunSummary> {
    // One at a time: two catch-ups folding into the same summary would interleave.
    const next = this.queue.then(() => this.bringUpToDate(need, options.persist ?? true));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async bringUpToDate(need: 'all' | 'running', persist: boolean): Promise<RunSummary> {
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
      const behind = summary.ino !== ino || summary.size < size;
      if ((behind || need === 'all') && !summary.readBody()) summary = new RunSummary(); // the plans' part is unreadable: rebuilt
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
    if (changed && persist) await replaceFile(this.file, summary.serialize()).catch(() => undefined); // next time, then
    return summary;
  }

  private async readFile(): Promise<RunSummary | undefined> {
    try {
      return RunSummary.parse(await readFile(this.file, 'utf8'));
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

/**
 * Writes the summary through a temp file and a rename, so a reader sees the old or the new one, but
 * without waiting for the disk (no fsync): the summary is derived from runs.jsonl and checked against
 * it on every read, so one lost in a power cut, or left empty, is caught up or rebuilt from the history.
 */
async function replaceFile(file: string, content: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
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
  const { consumed } = await readLinesForward(
    handle,
    (line) => {
      // As when reading backwards: a line must end its JSON object, or it was torn and an older record stands.
      if (line.length > 0 && line[line.length - 1] === 0x7d) {
        const run = parseLine(line.toString('utf8'));
        if (run) summary.add(run);
      }
      return false;
    },
    { from: summary.size, to: size, maxChunk: CHUNK },
  );
  summary.size = consumed;
  summary.tail = await tailOf(handle, consumed);
}
