import { appendFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../runs/run-record.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { asDiskFull } from '../util/errors.ts';
import { endsWithoutNewline } from '../util/file-tail.ts';
import { processIsAlive } from '../util/process-alive.ts';
import { readLinesForward } from './forward-lines.ts';
import { type IndexedRun, isSuccessfulBackup, parseLine, RunIndex } from './run-index.ts';

const INDEX = 'runs.jsonl';
/** Each plan's last run and last success and the runs still `running`, kept beside the history. */
const SUMMARY = 'runs-summary.json';
/** The newest runs are read in a small first chunk (a start-up's recent runs), then in chunks doubling up to CHUNK. */
const FIRST_CHUNK = 64 * 1024;
const CHUNK = 1024 * 1024;

/** A plan's last backup run and last successful backup (SPEC §1), outputs left out as in a listing. */
export interface PlanRuns {
  lastRun: RunRecord;
  lastSuccess: RunRecord | null;
}

export interface ListOptions {
  plan?: string | undefined;
  repository?: string | undefined;
  limit?: number | undefined;
  /** Load each step's output too (off for listings, on for a run's detail). */
  withOutput?: boolean | undefined;
}

/**
 * Append-only run history: one JSON line per state of a run in `runs.jsonl` (the newest
 * line of a run wins), step outputs in `logs/<run>.json`. A torn last line is skipped on
 * reading and never glued to the next record. `runs-summary.json` keeps what start-up and the
 * plan list need (see RunIndex), so neither reads the history.
 */
export class HistoryStore {
  readonly folder: string;
  private readonly index: string;
  private readonly summary: RunIndex;
  private checkedTail = false;
  /** Records that could not be written (a full disk), by run id: written as soon as writing works again. */
  private readonly unwritten = new Map<string, RunRecord>();
  private readonly retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(folder: string, options: { retryMs?: number | undefined } = {}) {
    this.folder = folder;
    this.index = join(folder, INDEX);
    this.summary = new RunIndex(this.index, join(folder, SUMMARY), async (plan) => {
      for await (const run of this.newestFirst(`"plan":${JSON.stringify(plan)}`)) if (run.plan === plan && isSuccessfulBackup(run)) return run;
      return undefined;
    });
    this.retryMs = options.retryMs ?? 5000;
  }

  async append(run: RunRecord): Promise<void> {
    await this.writeKept();
    try {
      await this.appendRecord(run);
    } catch (error) {
      throw asDiskFull(error, `the run history (${this.folder})`);
    }
    this.unwritten.delete(run.id); // an older state of this run, if one was kept, is superseded
  }

  /**
   * A record that cannot be written now (a full disk) is kept and written as soon as it can
   * be: when the next record is written, or on a retry every few seconds meanwhile.
   */
  keep(run: RunRecord): void {
    this.unwritten.set(run.id, structuredClone(run));
    this.retryLater();
  }

  /** How many records wait to be written. */
  get keptCount(): number {
    return this.unwritten.size;
  }

  /** Writes the kept records, oldest first; stops at the first that still fails. */
  async writeKept(): Promise<void> {
    for (const [id, run] of this.unwritten) {
      try {
        await this.appendRecord(run);
      } catch {
        this.retryLater();
        return; // still no space: tried again later
      }
      if (this.unwritten.get(id) === run) this.unwritten.delete(id);
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.writeKept();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private async appendRecord(run: RunRecord): Promise<void> {
    await mkdir(join(this.folder, 'logs'), { recursive: true, mode: 0o700 });
    if (run.steps.length > 0) {
      // Atomic (old or new, never a mix) but not waited for: after a power cut a log may be missing, which reads as no output.
      await writeFileAtomic(this.logFile(run.id), JSON.stringify(run.steps.map((step) => step.output)), 0o600, { durable: false });
    }
    const indexed: IndexedRun = { ...run, steps: run.steps.map(({ output: _output, ...step }) => step) };
    const prefix = (await this.endsTorn()) ? '\n' : '';
    const line = `${prefix}${JSON.stringify(indexed)}\n`;
    if (run.status === 'running') await appendFile(this.index, line, { mode: 0o600 });
    else await appendDurably(this.index, line); // how a run ended is on the disk before anyone is told
    // The record is written: a summary that cannot be updated now is caught up by the next reader.
    await this.summary.current('running', { persist: run.status !== 'running' }).catch(() => undefined);
  }

  /** Each plan's last run and last successful backup, by plan id: read from the summary, not the history. */
  async latestByPlan(): Promise<Map<string, PlanRuns>> {
    const summary = await this.summary.current();
    const latest = new Map<string, PlanRuns>();
    for (const [plan, runs] of summary.plans) {
      latest.set(plan, { lastRun: withoutOutput(runs.lastRun), lastSuccess: runs.lastSuccess ? withoutOutput(runs.lastSuccess) : null });
    }
    return latest;
  }

  /** The last run against a repository, as `list({ repository, limit: 1 })` gives it, from the summary. */
  async lastRunOfRepository(repository: string): Promise<RunRecord | undefined> {
    const run = (await this.summary.current()).repositories.get(repository);
    return run ? withoutOutput(run) : undefined;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    for await (const run of this.newestFirst()) {
      if (run.id === id) return this.withOutput(run);
    }
    return undefined;
  }

  /** Runs newest first, one entry per run (its latest state). */
  async list(options: ListOptions = {}): Promise<RunRecord[]> {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const runs: RunRecord[] = [];
    if (limit <= 0) return runs;
    const planText = options.plan === undefined ? undefined : `"plan":${JSON.stringify(options.plan)}`;
    for await (const run of this.newestFirst(planText)) {
      if (options.plan !== undefined && run.plan !== options.plan) continue;
      if (options.repository !== undefined && run.repository !== options.repository) continue;
      runs.push(options.withOutput ? await this.withOutput(run) : withoutOutput(run));
      if (runs.length >= limit) break;
    }
    return runs;
  }

  /**
   * Runs left `running` by a process that is gone (a crash, a kill -9) are recorded as
   * failed with the reason `interrupted`.
   */
  async markInterrupted(now = new Date(), isAlive: (pid: number) => boolean = processIsAlive): Promise<RunRecord[]> {
    const marked: RunRecord[] = [];
    const summary = await this.summary.current('running');
    for (const run of [...summary.running.values()].reverse()) {
      if (run.pid !== undefined && isAlive(run.pid)) continue;
      const full = await this.withOutput(run);
      const ended: RunRecord = { ...full, status: 'failure', reason: 'interrupted', endedAt: now.toISOString() };
      await this.append(ended);
      marked.push(ended);
    }
    return marked;
  }

  /** Drops runs that started before `cutoff`, rewriting the index atomically. */
  async prune(cutoff: Date): Promise<number> {
    const oldest = await this.oldestStart();
    if (oldest === undefined || oldest >= cutoff.toISOString()) return 0;
    const keep: IndexedRun[] = [];
    const dropped: string[] = [];
    for await (const run of this.newestFirst()) {
      if (run.startedAt < cutoff.toISOString() && run.status !== 'running') dropped.push(run.id);
      else keep.push(run as IndexedRun);
    }
    const sizeBefore = (await stat(this.index)).size;
    const temp = `${this.index}.compact`;
    await writeFile(
      temp,
      keep
        .reverse()
        .map((run) => `${JSON.stringify(run)}\n`)
        .join(''),
      { mode: 0o600 },
    );
    // Lines another process appended meanwhile are carried over before the swap.
    const sizeNow = (await stat(this.index)).size;
    if (sizeNow > sizeBefore) {
      const handle = await open(this.index, 'r');
      const extra = Buffer.alloc(sizeNow - sizeBefore);
      await handle.read(extra, 0, extra.length, sizeBefore);
      await handle.close();
      await appendFile(temp, extra);
    }
    await rename(temp, this.index);
    for (const id of dropped) await rm(this.logFile(id), { force: true });
    return dropped.length;
  }

  /** The first record's start, read from the file's first bytes: no stream, no readline, whatever the history's size. */
  private async oldestStart(): Promise<string | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.index, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      let oldest: string | undefined;
      const { rest } = await readLinesForward(
        handle,
        (line) => {
          oldest = parseLine(line.toString('utf8'))?.startedAt;
          return oldest !== undefined;
        },
        { firstChunk: FIRST_CHUNK, maxChunk: CHUNK },
      );
      return oldest ?? parseLine(rest.toString('utf8'))?.startedAt; // a last line without its newline
    } finally {
      await handle.close();
    }
  }

  private logFile(id: string): string {
    return join(this.folder, 'logs', `${id}.json`);
  }

  private async withOutput(run: IndexedRun | RunRecord): Promise<RunRecord> {
    let outputs: string[] = [];
    try {
      outputs = JSON.parse(await readFile(this.logFile(run.id), 'utf8')) as string[];
    } catch {
      outputs = []; // no steps yet, or the log was pruned: the run's index entry still stands
    }
    return { ...run, steps: run.steps.map((step, index) => ({ ...step, output: outputs[index] ?? '' })) };
  }

  private async endsTorn(): Promise<boolean> {
    if (this.checkedTail) return false;
    this.checkedTail = true;
    return endsWithoutNewline(this.index);
  }

  /**
   * Reads the index backwards in chunks, yielding each run's newest state once. `wanted` looks
   * at a line's raw text first, so lines that cannot match are never parsed (a fast start-up
   * with 100,000 runs).
   */
  private async *newestFirst(wanted?: string): AsyncGenerator<IndexedRun> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.index, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const seen = new Set<string>();
    const needle = wanted === undefined ? undefined : Buffer.from(wanted);
    // Works on bytes: only lines that can match are decoded and parsed.
    const consider = (data: Buffer, start: number, end: number): IndexedRun | undefined => {
      if (end <= start || data[end - 1] !== 0x7d) return undefined; // blank, or torn by a crash: an older record stands
      // Records are written with their id first, so it is read without parsing the line.
      const hasPrefix = end - start > ID_PREFIX_BYTES.length && data.subarray(start, start + ID_PREFIX_BYTES.length).equals(ID_PREFIX_BYTES);
      if (hasPrefix) {
        const idEnd = data.indexOf(0x22, start + ID_PREFIX_BYTES.length);
        const id = data.toString('latin1', start + ID_PREFIX_BYTES.length, idEnd);
        if (seen.has(id)) return undefined;
        seen.add(id);
        if (needle && data.subarray(start, end).indexOf(needle) === -1) return undefined;
      }
      const run = parseLine(data.toString('utf8', start, end));
      if (!run || (!hasPrefix && seen.has(run.id))) return undefined;
      seen.add(run.id);
      return run;
    };
    try {
      let position = (await handle.stat()).size;
      let carry = Buffer.alloc(0);
      let chunkSize = FIRST_CHUNK;
      while (position > 0) {
        const length = Math.min(chunkSize, position);
        chunkSize = Math.min(chunkSize * 2, CHUNK);
        position -= length;
        const chunk = Buffer.alloc(length);
        await handle.read(chunk, 0, length, position);
        const data = carry.length ? Buffer.concat([chunk, carry]) : chunk;
        let end = data.length;
        let newline = data.lastIndexOf(0x0a, end - 1);
        while (newline !== -1) {
          const run = consider(data, newline + 1, end);
          if (run) yield run;
          end = newline;
          newline = end > 0 ? data.lastIndexOf(0x0a, end - 1) : -1;
        }
        carry = Buffer.from(data.subarray(0, end));
      }
      const run = consider(carry, 0, carry.length);
      if (run) yield run;
    } finally {
      await handle.close();
    }
  }
}

const ID_PREFIX_BYTES = Buffer.from('{"id":"');

/**
 * Appends and waits for the disk (fdatasync): one flush of the history file, whose line is what
 * says how a run ended, rather than flushing its log file and folder (several times the cost).
 */
async function appendDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.appendFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** A run as a listing gives it: every step's output empty (it lives in the run's log file). */
function withoutOutput(run: IndexedRun): RunRecord {
  return { ...run, steps: run.steps.map((step) => ({ ...step, output: '' })) };
}
