import { Cron } from 'croner';
import type { Plan } from '../config/types.ts';
import { durationMs } from '../util/duration.ts';

/** When a plan is next due, or null for a manual or disabled plan. */
export function nextRunTime(plan: Plan, lastSuccessAt: string | undefined, now: Date): Date | null {
  if (!plan.enabled || !plan.schedule) return null;
  if ('every' in plan.schedule) {
    if (!lastSuccessAt) return now;
    const due = new Date(Date.parse(lastSuccessAt) + durationMs(plan.schedule.every));
    return due < now ? now : due;
  }
  const timezone = plan.schedule.timezone && plan.schedule.timezone !== 'local' ? plan.schedule.timezone : undefined;
  return new Cron(plan.schedule.cron, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun(now);
}
