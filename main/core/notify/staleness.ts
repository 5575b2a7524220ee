import type { RunStatus } from '../config/schema.ts';
import type { Plan } from '../config/types.ts';
import { nextSlotAfter } from '../schedule/schedule-times.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** `alertAfter` when the plan does not say (SPEC §2): 3 days, or 3× the schedule's interval when longer, at most 366 days. */
export const DEFAULT_ALERT_AFTER_MS = 3 * DAY;
export const MAX_ALERT_AFTER_MS = 366 * DAY;
/** A plan still stale is told again at most this often. */
export const STALE_REPEAT_MS = DAY;

/** A plan with no successful backup for longer than its `alertAfter`. */
export interface Staleness {
  /** The last successful backup's start (or, never backed up, when Lifeboat first saw the plan). */
  since: string;
  /** The last run in a few words: "skipped, on battery". */
  lastReason: string;
}

export interface StaleFacts {
  lastSuccessAt?: string | undefined;
  firstSeenAt?: string | undefined;
  lastRun?: { status: RunStatus | 'running'; reason: string | null } | null | undefined;
}

/** Cron intervals already worked out, by expression, time zone and hour: every plans.list asks for every plan's. */
const intervals = new Map<string, number | null>();
const MAX_INTERVALS = 1000;

/** The longest gap between a schedule's runs (a cron expression's, over its next slots). */
export function scheduleIntervalMs(plan: Plan, now: Date): number | null {
  const schedule = plan.schedule;
  if (!schedule) return null;
  if ('every' in schedule) return schedule.every.ms;
  if (!('cron' in schedule)) return null;
  const key = `${schedule.cron}\n${schedule.timezone ?? ''}\n${Math.floor(now.getTime() / HOUR)}`;
  const known = intervals.get(key);
  if (known !== undefined) return known;
  const interval = cronIntervalMs(schedule, now);
  if (intervals.size >= MAX_INTERVALS) intervals.clear();
  intervals.set(key, interval);
  return interval;
}

function cronIntervalMs(schedule: { cron: string; timezone?: string | undefined }, now: Date): number | null {
  let longest = 0;
  let at = nextSlotAfter(schedule, now);
  for (let slot = 0; slot < 8 && at; slot += 1) {
    const next = nextSlotAfter(schedule, at);
    if (next) longest = Math.max(longest, next.getTime() - at.getTime());
    at = next;
  }
  return longest > 0 ? longest : null;
}

/**
 * How long without a successful backup before the alarm: the plan's `alertAfter`, else the default.
 * Null when there is nothing to expect: a disabled plan, or a manual one that sets no `alertAfter`.
 */
export function alertAfterMs(plan: Plan, now: Date): number | null {
  if (!plan.enabled) return null;
  if (plan.alertAfter) return plan.alertAfter.ms;
  if (!plan.schedule) return null;
  const interval = scheduleIntervalMs(plan, now) ?? 0;
  return Math.min(MAX_ALERT_AFTER_MS, Math.max(DEFAULT_ALERT_AFTER_MS, 3 * interval));
}

/** Whether the plan is stale now, and from when it is (or will be) stale. */
export function staleness(plan: Plan, facts: StaleFacts, now: Date): { stale: Staleness | null; staleAt: Date | null } {
  const after = alertAfterMs(plan, now);
  const since = facts.lastSuccessAt ?? facts.firstSeenAt;
  if (after === null || !since || !Number.isFinite(Date.parse(since))) return { stale: null, staleAt: null };
  const staleAt = new Date(Date.parse(since) + after);
  if (staleAt.getTime() > now.getTime()) return { stale: null, staleAt };
  return { stale: { since, lastReason: lastRunWords(facts.lastRun) }, staleAt };
}

function lastRunWords(run: StaleFacts['lastRun']): string {
  if (!run) return 'no run yet';
  if (run.status === 'running') return 'running now';
  const reason = (run.reason ?? '').trim().replace(/\.$/, '');
  return reason ? `${run.status}, ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` : run.status;
}

/** "4 days", "1 day", "5 hours": how long without a backup, rounded down. */
export function staleAge(since: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(since));
  const days = Math.floor(ms / DAY);
  if (days >= 1) return `${days} ${days === 1 ? 'day' : 'days'}`;
  const hours = Math.floor(ms / HOUR);
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** "Documents: no backup for 4 days — last: skipped, on battery" */
export function staleSentence(planName: string, stale: Staleness, now: Date): string {
  return `${planName}: no backup for ${staleAge(stale.since, now)} — last: ${stale.lastReason}`;
}
