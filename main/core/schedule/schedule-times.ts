import { Cron } from 'croner';
import type { Plan } from '../config/types.ts';
import type { PlanState } from '../runs/plan-state.ts';
import { hasTimedSchedule } from './mount-trigger.ts';

type CronSchedule = { cron: string; timezone?: string | undefined };

/**
 * Parsed expressions and the slots already found, reused: a paused Cron only answers questions,
 * the slot after a given moment never changes, and plans.list asks for every plan's next runs
 * (each found from the slot before it) whenever a dashboard refreshes.
 */
const parsed = new Map<string, { cron: Cron; next: Map<number, number | null> }>();
const MAX_PARSED = 1000;
const MAX_SLOTS = 64;

function parsedOf(schedule: CronSchedule): { cron: Cron; next: Map<number, number | null> } {
  const timezone = schedule.timezone && schedule.timezone !== 'local' ? schedule.timezone : undefined;
  const key = `${schedule.cron}\n${timezone ?? ''}`;
  let known = parsed.get(key);
  if (!known) {
    known = { cron: new Cron(schedule.cron, { paused: true, ...(timezone ? { timezone } : {}) }), next: new Map() };
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, known);
  }
  return known;
}

function cronOf(schedule: CronSchedule): Cron {
  return parsedOf(schedule).cron;
}

/** The first cron slot strictly after `after`. */
export function nextSlotAfter(schedule: CronSchedule, after: Date): Date | null {
  const { cron, next } = parsedOf(schedule);
  const known = next.get(after.getTime());
  if (known !== undefined) return known === null ? null : new Date(known);
  const slot = cron.nextRun(after);
  if (next.size >= MAX_SLOTS) next.clear();
  next.set(after.getTime(), slot?.getTime() ?? null);
  return slot;
}

/** The latest cron slot at or before `at`. */
export function latestSlotAtOrBefore(schedule: CronSchedule, at: Date): Date | null {
  const next = cronOf(schedule).nextRun(new Date(at.getTime() - 1));
  if (next && next.getTime() === at.getTime()) return next;
  return cronOf(schedule).previousRuns(1, at)[0] ?? null;
}

/**
 * When a scheduled plan is next due, from what is remembered about it: a cron plan at its
 * first slot after the last one handled; an interval plan `every` after its last run (or at
 * once, if it never ran). Null for manual and disabled plans, and for those that run only when a drive arrives.
 */
export function dueAt(plan: Plan, state: PlanState, now: Date): Date | null {
  const schedule = plan.schedule;
  if (!plan.enabled || !hasTimedSchedule(schedule)) return null;
  if ('cron' in schedule) return nextSlotAfter(schedule, new Date(state.slotHandledAt ?? state.firstSeenAt ?? now.toISOString()));
  const anchors = [state.lastSuccessAt, state.lastRunAt, state.slotHandledAt].filter((value): value is string => value !== undefined).map(Date.parse);
  if (anchors.length === 0) return new Date(Date.parse(state.firstSeenAt ?? now.toISOString()));
  const due = new Date(Math.max(...anchors) + schedule.every.ms);
  return Number.isNaN(due.getTime()) ? null : due; // past the last date there is: never
}

/** The next `count` times a plan will run, as the scheduler sees it now. */
export function upcomingRuns(plan: Plan, state: PlanState, now: Date, count = 5): Date[] {
  const first = dueAt(plan, state, now);
  if (!first || !hasTimedSchedule(plan.schedule)) return [];
  const start = first < now ? now : first;
  if ('cron' in plan.schedule) {
    const runs = [start];
    for (let at = nextSlotAfter(plan.schedule, start); at && runs.length < count; at = nextSlotAfter(plan.schedule, at)) runs.push(at);
    return runs.slice(0, count);
  }
  const step = plan.schedule.every.ms;
  return Array.from({ length: count }, (_, index) => new Date(start.getTime() + index * step));
}
