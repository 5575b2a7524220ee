import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';

export interface PlanState {
  lastRunAt?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastCheckAt?: string | undefined;
}

/** Small per-plan facts that outlive a process: when it last ran, succeeded and was checked. */
export class PlanStateStore {
  private readonly file: string;

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

  async update(plan: string, change: PlanState): Promise<void> {
    const all = await this.read();
    all[plan] = { ...all[plan], ...change };
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2));
  }
}
