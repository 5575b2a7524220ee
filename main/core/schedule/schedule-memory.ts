import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Plan } from '../config/types.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { isAutomatic } from './mount-trigger.ts';

/** A failed automatic run to be tried again: which try comes next, and when. */
export interface PendingRetry {
  attempt: number;
  at: string;
}

/** A run a hook postponed (`onError: "defer"`): tried again at `at`, or sooner when conditions change. */
export interface PendingDeferral {
  at: string;
  reason: string;
}

/** What the scheduler keeps of one plan between processes, beside plan-state.json. */
export interface PlanMemory {
  retry?: PendingRetry | undefined;
  deferred?: PendingDeferral | undefined;
  /** When a drive arrival last started a run: `minInterval` is counted from it, across restarts. */
  mountRunAt?: string | undefined;
}

const VERSION = 1;

/**
 * Whether a kept retry or deferral still applies to a plan: it must still run by itself (not
 * removed, disabled or manual-only), and a deferral needs a hook that can defer.
 */
export function pendingApplies(plan: Plan): { retry: boolean; deferred: boolean } {
  const automatic = isAutomatic(plan);
  return { retry: automatic, deferred: automatic && plan.hooks.some((hook) => hook.enabled && hook.onError === 'defer') };
}

/**
 * Retries, deferrals and drive-arrival times, kept in the data dir so a restart honours them.
 * The file is small and written whole (atomically) after each change; this process's copy is
 * the truth once loaded. A torn or damaged file is told and ignored: the scheduler starts
 * without what it held, and the next change writes a good one.
 */
export class ScheduleMemory {
  private readonly file: string | undefined;
  private readonly log: (line: string) => void;
  private plans: Record<string, PlanMemory> = {};
  private writes: Promise<void> = Promise.resolve();

  /** Without a file, nothing outlives the process (tests of the scheduler alone). */
  constructor(file: string | undefined, log: (line: string) => void = () => undefined) {
    this.file = file;
    this.log = log;
  }

  async load(): Promise<void> {
    this.plans = {};
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`${this.file} cannot be read (${describe(error)}); starting without pending retries`);
      return;
    }
    try {
      this.plans = plansFrom(JSON.parse(text));
    } catch (error) {
      this.log(`${this.file} is damaged (${describe(error)}); pending retries and deferrals in it are ignored`);
    }
  }

  get(planId: string): PlanMemory {
    return { ...this.plans[planId] };
  }

  planIds(): string[] {
    return Object.keys(this.plans);
  }

  /** Changes what is kept of a plan (a key set to undefined is dropped) and writes the file. */
  update(planId: string, change: PlanMemory): Promise<void> {
    const next: PlanMemory = { ...this.plans[planId], ...change };
    for (const key of Object.keys(next) as (keyof PlanMemory)[]) if (next[key] === undefined) delete next[key];
    const before = JSON.stringify(this.plans[planId] ?? {});
    if (Object.keys(next).length === 0) delete this.plans[planId];
    else this.plans[planId] = next;
    if (JSON.stringify(next) === before) return this.writes;
    return this.save();
  }

  /** Drops everything kept of a plan (it was removed). */
  forget(planId: string): Promise<void> {
    if (!(planId in this.plans)) return this.writes;
    delete this.plans[planId];
    return this.save();
  }

  /** Resolves once every change so far is on disk (or failed, as its own promise said). */
  async flush(): Promise<void> {
    await this.writes;
  }

  private save(): Promise<void> {
    const file = this.file;
    if (!file) return this.writes;
    const content = JSON.stringify({ version: VERSION, plans: this.plans }, null, 2);
    const write = this.writes.then(async () => {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, content);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}

/** The plans' entries of a parsed file, each field checked: anything unexpected is left out. */
function plansFrom(parsed: unknown): Record<string, PlanMemory> {
  if (!isRecord(parsed) || parsed.version !== VERSION || !isRecord(parsed.plans)) throw new Error('not a schedule memory file');
  const plans: Record<string, PlanMemory> = {};
  for (const [planId, value] of Object.entries(parsed.plans)) {
    if (!isRecord(value)) continue;
    const memory: PlanMemory = {};
    const { retry, deferred, mountRunAt } = value;
    if (isRecord(retry) && Number.isInteger(retry.attempt) && isTime(retry.at)) memory.retry = { attempt: retry.attempt as number, at: retry.at };
    if (isRecord(deferred) && isTime(deferred.at) && typeof deferred.reason === 'string') memory.deferred = { at: deferred.at, reason: deferred.reason };
    if (isTime(mountRunAt)) memory.mountRunAt = mountRunAt;
    if (Object.keys(memory).length > 0) plans[planId] = memory;
  }
  return plans;
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && Number.isFinite(Date.parse(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
