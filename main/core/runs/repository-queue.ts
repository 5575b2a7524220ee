import type { HeldRepositoryLock, RepositoryLocks } from './repository-lock.ts';

/**
 * Runs against one repository go one at a time, in arrival order; different repositories
 * have separate queues and proceed in parallel. A task may hand its turn on before it ends
 * (`release`): a backup run whose copy phase goes on against another repository lets the
 * next run here start rather than hold two queues at once.
 */
export class RepositoryQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly locks: RepositoryLocks | undefined;

  /** With `locks`, a turn also waits for every other Lifeboat process on the data dir to be done with the repository. */
  constructor(locks?: RepositoryLocks) {
    this.locks = locks;
  }

  enqueue<T>(repository: string, task: (release: () => void) => Promise<T>): Promise<T> {
    const previous = this.tails.get(repository) ?? Promise.resolve();
    // The next task may start when this one ends, or earlier when it hands on its turn.
    let release: () => void = () => undefined;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    const start = async () => {
      let held: HeldRepositoryLock | undefined;
      try {
        held = await this.locks?.acquire(repository);
      } catch (error) {
        release();
        throw error;
      }
      let handed: Promise<void> | undefined;
      // The lock file goes before the next task of this process may take it.
      const handOn = () => {
        handed ??= (held?.release() ?? Promise.resolve()).catch(() => undefined).then(release);
        return handed;
      };
      try {
        return await task(() => void handOn());
      } finally {
        await handOn();
      }
    };
    const result = previous.then(start, start);
    this.tails.set(repository, tail);
    void tail.then(() => {
      if (this.tails.get(repository) === tail) this.tails.delete(repository);
    });
    return result;
  }

  /** Whether anything is running or waiting for this repository. */
  busy(repository: string): boolean {
    return this.tails.has(repository);
  }
}
