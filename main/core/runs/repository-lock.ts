import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { processIsAlive } from '../util/process-alive.ts';
import { processStat } from '../util/process-stat.ts';

/** Who holds a repository's lock: written into the lock file. */
export interface LockHolder {
  pid: number;
  /** When the holding process started, as the system counts it (Linux), to tell a reused PID apart. */
  processStart?: string | undefined;
  since: string;
  nonce: string;
}

export interface HeldRepositoryLock {
  release(): Promise<void>;
}

export interface RepositoryLocksOptions {
  /** How often a lock held by another process is looked at again. */
  pollMs?: number | undefined;
  /** Told once per wait, when another process holds the repository. */
  onWait?: ((repository: string, holder: LockHolder) => void) | undefined;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
  } catch {
    return undefined; // gone, or being written
  }
}

/** A lock file that cannot be read as a holder for some seconds: its process died between creating and writing it. */
async function leftUnwritten(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > UNWRITTEN_MS;
}

const UNWRITTEN_MS = 10_000;

/** Errors of a disk with no space left for the lock file. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/** Whether the process that wrote `holder` is still running (its PID not reused since). */
function holderAlive(holder: LockHolder): boolean {
  if (!processIsAlive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const now = processStat(holder.pid)?.start;
  return now === undefined || now === holder.processStart;
}

/**
 * One run against a repository at a time across every Lifeboat process on this data dir (the
 * daemon, `serve`, the app, each `lifeboat run`), as the queue of each process does within it:
 * a lock file per repository, taken by creating it, held until the run hands on its turn. A
 * process that waits looks again every `pollMs`; a lock left by a process that is gone (or whose
 * PID now names another process) is taken over.
 */
export class RepositoryLocks {
  private readonly dir: string;
  private readonly pollMs: number;
  private readonly onWait: RepositoryLocksOptions['onWait'];

  constructor(dir: string, options: RepositoryLocksOptions = {}) {
    this.dir = dir;
    this.pollMs = options.pollMs ?? 500;
    this.onWait = options.onWait;
  }

  async acquire(repository: string): Promise<HeldRepositoryLock> {
    try {
      return await this.take(repository);
    } catch (error) {
      // A full data dir cannot hold the lock file. The run goes on as before there was one (this
      // process's own queue, and restic's lock in the repository): it fails at its first write
      // and is recorded once space is back (SPEC §9), rather than never starting.
      if (NO_SPACE.has((error as NodeJS.ErrnoException).code ?? '')) return { release: async () => undefined };
      throw error;
    }
  }

  private async take(repository: string): Promise<HeldRepositoryLock> {
    const file = join(this.dir, `repository-${repository}.lock`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const holder: LockHolder = {
      pid: process.pid,
      processStart: processStat(process.pid)?.start,
      since: new Date().toISOString(),
      nonce: randomBytes(8).toString('hex'),
    };
    let told = false;
    for (;;) {
      if (await this.create(file, holder)) {
        return {
          release: async () => {
            if ((await readHolder(file))?.nonce === holder.nonce) await rm(file, { force: true });
          },
        };
      }
      const current = await readHolder(file);
      if (current ? !holderAlive(current) : await leftUnwritten(file)) {
        await this.breakStale(file, current);
        continue;
      }
      if (current && !told) {
        told = true;
        this.onWait?.(repository, current);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async create(file: string, holder: LockHolder): Promise<boolean> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(JSON.stringify(holder));
    } catch (error) {
      // Created but not written (a full disk): not left behind as a lock nobody holds.
      await handle.close().catch(() => undefined);
      await rm(file, { force: true });
      throw error;
    }
    await handle.close();
    return true;
  }

  /**
   * Takes a stale lock away by renaming it (so two processes breaking it at once cannot both
   * remove it); when what was renamed is not the stale lock looked at (another process took the
   * repository meanwhile), it is put back.
   */
  private async breakStale(file: string, stale: LockHolder | undefined): Promise<void> {
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const moved = await readHolder(aside);
    if (moved && moved.nonce !== stale?.nonce) await link(aside, file).catch(() => undefined);
    await rm(aside, { force: true });
  }
}
