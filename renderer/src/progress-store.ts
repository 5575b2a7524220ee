import type { Progress } from '../../main/api/contract.ts';

/** Progress arrives many times a second; what is shown changes at most this often (and only in a frame the screen draws). */
export const REDRAW_MS = 100;

export interface RedrawScheduler {
  /** Calls `draw` once, soon: after `REDRAW_MS`, in the next animation frame. */
  schedule(draw: () => void): () => void;
}

/** The browser's frames (typed here: this module is also compiled for the unit tests, without the DOM). */
const frames = globalThis as unknown as { requestAnimationFrame(draw: () => void): number; cancelAnimationFrame(frame: number): void };

/** A browser's: a timer, then the next animation frame (none while the window is hidden: the latest is drawn when it shows again). */
export const frameScheduler: RedrawScheduler = {
  schedule(draw) {
    let frame: number | undefined;
    const timer = setTimeout(() => {
      frame = frames.requestAnimationFrame(draw);
    }, REDRAW_MS);
    return () => {
      clearTimeout(timer);
      if (frame !== undefined) frames.cancelAnimationFrame(frame);
    };
  },
};

/**
 * Each plan's running backup progress, as the run.progress events tell it, held per plan so a
 * progress event redraws only that plan's progress bar (useSyncExternalStore), never the whole
 * dashboard. Events are gathered and published together at most once per redraw; only the
 * newest progress of each plan is kept. Plain TypeScript: the dashboard subscribes to it.
 */
export class ProgressStore {
  readonly #shown = new Map<string, Progress>();
  readonly #pending = new Map<string, Progress>();
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #scheduler: RedrawScheduler;
  #cancel: (() => void) | undefined;

  constructor(scheduler: RedrawScheduler = frameScheduler) {
    this.#scheduler = scheduler;
  }

  /** A progress event: shown with the next redraw. */
  put(plan: string, progress: Progress): void {
    this.#pending.set(plan, progress);
    this.#cancel ??= this.#scheduler.schedule(() => this.flush());
  }

  /** The plan's run ended: its progress goes at once, and any still waiting is dropped. */
  end(plan: string): void {
    this.#pending.delete(plan);
    if (this.#shown.delete(plan)) this.#notify(plan);
  }

  /** The progress shown for a plan, or null when no event has come since its run started. */
  get(plan: string): Progress | null {
    return this.#shown.get(plan) ?? null;
  }

  subscribe(plan: string, listener: () => void): () => void {
    let set = this.#listeners.get(plan);
    if (!set) {
      set = new Set();
      this.#listeners.set(plan, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(plan);
    };
  }

  /** Publishes what is waiting (the redraw; tests call it directly). */
  flush(): void {
    this.#cancel = undefined;
    const waiting = [...this.#pending];
    this.#pending.clear();
    for (const [plan, progress] of waiting) {
      this.#shown.set(plan, progress);
      this.#notify(plan);
    }
  }

  /** Stops a redraw on its way (the dashboard is gone). */
  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #notify(plan: string): void {
    for (const listener of this.#listeners.get(plan) ?? []) listener();
  }
}
