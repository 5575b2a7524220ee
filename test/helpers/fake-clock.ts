import type { Clock, Timer } from '../../main/core/schedule/clock.ts';

interface Pending {
  at: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told. `advance` fires timers in order as time passes;
 * `sleep` moves time without firing anything, as a suspended machine does, so timers fire late.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Pending[] = [];
  private readonly settle: () => Promise<void>;

  constructor(start: Date, settle: () => Promise<void> = async () => undefined) {
    this.current = start.getTime();
    this.settle = settle;
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Timers set and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  setTimer(at: Date, callback: () => void): Timer {
    const pending = { at: at.getTime(), callback, cancelled: false };
    this.timers.push(pending);
    return { cancel: () => (pending.cancelled = true) };
  }

  /** Lets time pass, firing each timer at its time and waiting for what it set off. */
  async advance(ms: number, settle = this.settle): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** The machine sleeps: time jumps, nothing fires until it wakes; then overdue timers fire late. */
  async sleep(ms: number, settle = this.settle): Promise<void> {
    this.current += ms;
    await this.advance(0, settle);
  }
}
