import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** Pause all plans: for an hour, until tomorrow 08:00, or until resumed. */
export type PauseChoice = '1h' | 'tomorrow' | 'indefinitely';

export interface PauseState {
  since: string;
  /** Null: until resumed by hand. */
  until: string | null;
}

export function pauseUntil(choice: PauseChoice, now: Date): Date | null {
  if (choice === '1h') return new Date(now.getTime() + 3_600_000);
  if (choice === 'tomorrow') {
    const tomorrow = new Date(now);
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(8, 0, 0, 0);
    return tomorrow;
  }
  return null;
}

export function isPaused(state: PauseState | undefined, now: Date): boolean {
  return state !== undefined && (state.until === null || Date.parse(state.until) > now.getTime());
}

/** The pause, kept in the data dir so it survives a restart. */
export class PauseStore {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  async read(): Promise<PauseState | undefined> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as PauseState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  async pause(until: Date | null, now: Date): Promise<PauseState> {
    const state: PauseState = { since: now.toISOString(), until: until?.toISOString() ?? null };
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(state));
    return state;
  }

  async resume(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
