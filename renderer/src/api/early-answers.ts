/**
 * Answers asked for before any view exists (see `Client.prefetch`): each is taken once, only while
 * fresh, and all are forgotten when anything happens (an event), so a view never shows an answer
 * older than what it would have asked for itself.
 */
export class EarlyAnswers {
  readonly #answers = new Map<string, { answer: Promise<unknown>; at: number; value?: { data: unknown } }>();
  readonly #freshMs: number;
  readonly #now: () => number;

  constructor(freshMs: number, now: () => number = () => performance.now()) {
    this.#freshMs = freshMs;
    this.#now = now;
  }

  put(key: string, answer: Promise<unknown>): void {
    const entry: { answer: Promise<unknown>; at: number; value?: { data: unknown } } = { answer, at: this.#now() };
    answer.then(
      (data) => {
        entry.value = { data };
      },
      () => undefined, // seen by the call that takes it
    );
    this.#answers.set(key, entry);
  }

  /** The early answer for this question if it has already arrived (and is fresh), once: a view can draw it at once. */
  takeArrived(key: string): { data: unknown } | undefined {
    const early = this.#answers.get(key);
    if (!early?.value) return undefined;
    this.#answers.delete(key);
    return this.#now() - early.at < this.#freshMs ? early.value : undefined;
  }

  /** The early answer for this question, once; undefined when there is none or it is stale. */
  take(key: string): Promise<unknown> | undefined {
    const early = this.#answers.get(key);
    this.#answers.delete(key);
    return early && this.#now() - early.at < this.#freshMs ? early.answer : undefined;
  }

  clear(): void {
    this.#answers.clear();
  }
}
