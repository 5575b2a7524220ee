/** Time as the scheduler sees it: real in the app, controllable in tests. */
export interface Clock {
  now(): Date;
  /** Calls back at `at` (or at once if that has passed). */
  setTimer(at: Date, callback: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

/** setTimeout holds at most 2^31-1 ms; longer waits are re-armed in steps. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(at, callback) {
    let handle: NodeJS.Timeout | undefined;
    const arm = () => {
      const wait = at.getTime() - Date.now();
      if (wait > MAX_TIMEOUT_MS) handle = setTimeout(arm, MAX_TIMEOUT_MS);
      else handle = setTimeout(callback, Math.max(0, wait));
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};
