/**
 * Answers asked for before any view exists (see `Client.prefetch`): each is taken once, only while
 * fresh, and all are forgotten when anything happens (an event), so a view never shows an answer
 * older than what it would have asked for itself.
 */
export class EarlyAnswers {
  readonly #answers = new Map<string, { answer: Promise<unknown>; at: number }>();
  readonly #freshMs: number;
  readonly #now: () => number;

  constructor(freshMs: number, now: () => number = () => performance.now()) {
    this.#freshMs = freshMs;
    this.#now = now;
  }

  put(key: string, answer: Promise<unknown>): void {
    answer.catch(() => undefined); // seen by the call that takes it
    this.#answers.set(key, { answer, at: this.#now() });
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
