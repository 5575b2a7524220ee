import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../util/errors.ts';
import { processIsAlive } from '../util/process-alive.ts';

export interface SchedulerLock {
  release(): Promise<void>;
}

interface LockInfo {
  pid: number;
  startedAt: string;
  by: string;
}

/**
 * One scheduler per data dir (the daemon, `serve` or the app): a second one would run every
 * backup twice. A lock left by a process that is gone is taken over.
 */
export async function acquireSchedulerLock(dataDir: string, by: string, now = new Date()): Promise<SchedulerLock> {
  const file = join(dataDir, 'scheduler.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, startedAt: now.toISOString(), by };
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      return {
        release: async () => {
          const current = await readLock(file);
          if (current?.pid === process.pid) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(file);
      if (holder && processIsAlive(holder.pid) && holder.pid !== process.pid) {
        throw new UserError(
          `Another Lifeboat scheduler (${holder.by}, PID ${holder.pid}, since ${holder.startedAt}) is already running on ${dataDir}. Stop it first, or give this one another --data-dir.`,
          { kind: 'busy' },
        );
      }
      await rm(file, { force: true }); // its process is gone: the lock is stale
    }
  }
  throw new UserError(`Could not take the scheduler lock ${file}; another Lifeboat is starting at the same moment. Try again.`, { kind: 'busy' });
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockInfo;
  } catch {
    return undefined; // missing or half-written: treated as no holder
  }
}
