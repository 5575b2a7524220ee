import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** How long "Snooze 1 h" holds a plan. */
export const SNOOZE_MS = 3_600_000;

/**
 * Snoozed plans (SPEC §7 "Snooze 1 h"): until the time kept here, no scheduled run or retry of the
 * plan starts and it sends no desktop notification. Kept in the data dir (`snooze.json`), so a
 * restart honours it; read once, then answered from memory.
 */
export class SnoozeStore {
  private readonly file: string;
  private until = new Map<string, number>();
  private writes: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /** Reads what was kept; a missing or unreadable file is "nothing snoozed". */
  async load(): Promise<void> {
    let kept: unknown;
    try {
      kept = JSON.parse(await readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return;
      throw error;
    }
    const plans = typeof kept === 'object' && kept !== null ? (kept as { plans?: unknown }).plans : undefined;
    if (typeof plans !== 'object' || plans === null) return;
    for (const [plan, until] of Object.entries(plans)) {
      const at = typeof until === 'string' ? Date.parse(until) : Number.NaN;
      if (Number.isFinite(at)) this.until.set(plan, at);
    }
  }

  /** When the plan's snooze ends, if it is snoozed at `now`. */
  snoozedUntil(plan: string, now: Date): Date | undefined {
    const at = this.until.get(plan);
    return at !== undefined && at > now.getTime() ? new Date(at) : undefined;
  }

  async snooze(plan: string, until: Date, now: Date): Promise<void> {
    this.until.set(plan, until.getTime());
    await this.save(now);
  }

  async clear(plan: string, now: Date): Promise<void> {
    if (!this.until.delete(plan)) return;
    await this.save(now);
  }

  /** Writes what is still snoozed (ended snoozes are dropped), one write after another. */
  private save(now: Date): Promise<void> {
    const write = this.writes.then(async () => {
      const plans: Record<string, string> = {};
      for (const [plan, at] of this.until) if (at > now.getTime()) plans[plan] = new Date(at).toISOString();
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, JSON.stringify({ plans }, null, 2));
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
