/**
 * The state of one call a view shows (its answer, its failure, whether it is on its way),
 * with the rule that makes it safe to ask again at any time: only the newest call's answer
 * is ever published. A slow answer to an older question (another plan, a refresh that was
 * overtaken) is dropped, never shown over a newer one. Plain TypeScript: `useCall` is the
 * React wrapper around it.
 */
export interface CallState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

export const IDLE: CallState<never> = { data: undefined, error: undefined, loading: false };

const asError = (failure: unknown): Error => (failure instanceof Error ? failure : new Error(String(failure)));

export class LatestCall<T> {
  /** Bumped by every run, cancel and reset: an answer for an older ticket is stale. */
  #ticket = 0;
  #state: CallState<T> = IDLE;
  readonly #publish: (state: CallState<T>) => void;

  constructor(publish: (state: CallState<T>) => void, initial: CallState<T> = IDLE) {
    this.#publish = publish;
    this.#state = initial;
  }

  get state(): CallState<T> {
    return this.#state;
  }

  /** Starts a call; the data already shown stays while it runs (a refresh does not blank the view). */
  run(start: () => Promise<T>): void {
    this.#ticket += 1;
    const ticket = this.#ticket;
    this.#set({ ...this.#state, loading: true });
    let answer: Promise<T>;
    try {
      answer = start();
    } catch (failure) {
      answer = Promise.reject(failure);
    }
    answer.then(
      (data) => {
        if (ticket === this.#ticket) this.#set({ data, error: undefined, loading: false });
      },
      (failure: unknown) => {
        if (ticket === this.#ticket) this.#set({ ...this.#state, error: asError(failure), loading: false });
      },
    );
  }

  /** Whatever is on its way is dropped; nothing is published until the next run. */
  cancel(): void {
    this.#ticket += 1;
  }

  /** The question changed (another plan, another run): drop what is on its way and what is shown. */
  reset(): void {
    this.cancel();
    this.#set(IDLE);
  }

  #set(state: CallState<T>): void {
    this.#state = state;
    this.#publish(state);
  }
}
