/**
 * Runs against one repository go one at a time, in arrival order; different repositories
 * have separate queues and proceed in parallel. A task may hand its turn on before it ends
 * (`release`): a backup run whose copy phase goes on against another repository lets the
 * next run here start rather than hold two queues at once.
 */
export class RepositoryQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  enqueue<T>(repository: string, task: (release: () => void) => Promise<T>): Promise<T> {
    const previous = this.tails.get(repository) ?? Promise.resolve();
    // The next task may start when this one ends, or earlier when it hands on its turn.
    let release: () => void = () => undefined;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    const start = () => task(release);
    const result = previous.then(start, start);
    result.then(release, release);
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
