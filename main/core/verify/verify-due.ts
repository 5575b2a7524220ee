import type { LastVerify } from '../runs/plan-state.ts';
import type { Duration } from '../util/duration.ts';

/** Whether a restore check is due: never checked, or `every` has passed since the last check ended. */
export function isVerifyDue(every: Duration, last: LastVerify | undefined, now: Date): boolean {
  if (!last) return true;
  const ended = Date.parse(last.endedAt);
  return Number.isNaN(ended) || now.getTime() - ended >= every.ms;
}
