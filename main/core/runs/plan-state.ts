import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunStatus } from '../config/schema.ts';
import type { NotifyMemory } from '../notify/policy.ts';
import { type AtomicWriteOptions, writeFileAtomic } from '../util/atomic-write.ts';

export interface PlanState {
  /** When the scheduler first saw the plan: slots before it are not "missed". */
  firstSeenAt?: string | undefined;
  /** The latest slot the scheduler has started a run for (or let pass): persisted before the run. */
  slotHandledAt?: string | undefined;
  lastRunAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastCheckAt?: string | undefined;
  /** The last restore check that ran to an end (success or failure): the next is due `verify.every` after it. */
  lastVerify?: LastVerify | undefined;
  /** What the notification policy remembers (last outcome, last notification). */
  notify?: NotifyMemory | undefined;
  /** When the staleness alarm was last raised for the plan (told at most once a day; cleared by a success). */
  staleAlarmAt?: string | undefined;
}

export interface LastVerify {
  run: string;
  status: RunStatus;
  verified: number;
  sampled: number;
  endedAt: string;
}

/** Small per-plan facts that outlive a process: when it last ran, succeeded and was checked. */
export class PlanStateStore {
  private readonly file: string;
  private writes: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  async read(): Promise<Record<string, PlanState>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, PlanState>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      if (error instanceof SyntaxError) return {}; // derived data: rebuilt as runs happen
      throw error;
    }
  }

  async get(plan: string): Promise<PlanState> {
    return (await this.read())[plan] ?? {};
  }

  /**
   * Updates are applied one after another, so two plans updating at once both land. `durable:
   * false` for facts that may be lost in a power cut without harm (derived again from the history,
   * or costing at most one repeated notification): the write does not wait for the disk.
   */
  update(plan: string, change: PlanState, options: AtomicWriteOptions = {}): Promise<void> {
    const write = this.writes.then(async () => {
      const all = await this.read();
      all[plan] = { ...all[plan], ...change };
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600, options);
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
