import type { Schedule } from '../config/schema.ts';
import type { Plan } from '../config/types.ts';
import { formatDuration } from '../util/duration.ts';

/** `minInterval` when the schedule does not say: one arrival run an hour at most. */
export const DEFAULT_MOUNT_MIN_INTERVAL_MS = 3_600_000;

/** A plan's drive-arrival trigger: the mount folder (normalised, `~` expanded) and the least time between two runs. */
export interface MountTrigger {
  path: string;
  minIntervalMs: number;
}

/** The drive-arrival part of a schedule, if it has one. */
export function mountTriggerOf(schedule: Schedule): MountTrigger | undefined {
  if (!schedule || schedule.onMount === undefined) return undefined;
  return { path: schedule.onMount, minIntervalMs: schedule.minInterval?.ms ?? DEFAULT_MOUNT_MIN_INTERVAL_MS };
}

/** The plan's drive-arrival trigger when the plan is enabled. */
export function planMountTrigger(plan: Plan): MountTrigger | undefined {
  return plan.enabled ? mountTriggerOf(plan.schedule) : undefined;
}

/** Whether the schedule has a time-based part (cron or every) beside, or instead of, onMount. */
export function hasTimedSchedule(schedule: Schedule): schedule is Extract<NonNullable<Schedule>, { cron: string } | { every: unknown }> {
  return schedule !== null && ('cron' in schedule || 'every' in schedule);
}

/** Whether anything starts the plan without a person: a time or a drive. */
export function isAutomatic(plan: Plan): boolean {
  return plan.enabled && (hasTimedSchedule(plan.schedule) || mountTriggerOf(plan.schedule) !== undefined);
}

/** "when /media/me/usb is mounted, at most hourly". */
export function describeMountTrigger(trigger: MountTrigger): string {
  return `when ${trigger.path} is mounted, ${describeMinInterval(trigger.minIntervalMs)}`;
}

function describeMinInterval(ms: number): string {
  if (ms === 3_600_000) return 'at most hourly';
  if (ms === 86_400_000) return 'at most daily';
  if (ms === 7 * 86_400_000) return 'at most weekly';
  if (ms % 86_400_000 === 0) return `at most once every ${ms / 86_400_000} days`;
  return `at most once every ${formatDuration(ms)}`;
}

/** A path as findmnt prints a mount target: absolute, no trailing or doubled slashes, no `.` parts. */
export function normaliseMountPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Whether `path` is `mountPoint` or lies below it. */
export function isOnMount(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return true;
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}
