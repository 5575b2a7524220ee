/**
 * Runs against one repository go one at a time, in arrival order; different repositories
 * have separate queues and proceed in parallel.
 */
export class RepositoryQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  enqueue<T>(repository: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(repository) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
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
