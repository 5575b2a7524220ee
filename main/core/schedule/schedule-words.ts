import cronstrue from 'cronstrue';
import type { Schedule } from '../config/schema.ts';
import { formatDuration } from '../util/duration.ts';
import { describeMountTrigger, mountTriggerOf } from './mount-trigger.ts';

/** How many cron expressions' words are kept. */
const MAX_DESCRIBED = 1000;

/**
 * A sentence for a schedule: "At 02:30, Monday through Friday", "Every 6 h after the last run",
 * "When /media/me/usb is mounted, at most hourly", or a time with "; and when … is mounted …".
 */
export function describeSchedule(schedule: Schedule): string {
  if (!schedule) return 'Manual only';
  const mount = mountTriggerOf(schedule);
  const timed = describeTimed(schedule);
  if (!mount) return timed ?? 'Manual only';
  const arrival = describeMountTrigger(mount);
  return timed ? `${timed}; and ${arrival}` : `${arrival.charAt(0).toUpperCase()}${arrival.slice(1)}`;
}

/** Cron expressions in words, as cronstrue said them (each plans.list describes every plan's schedule). */
const described = new Map<string, string>();

function describeTimed(schedule: NonNullable<Schedule>): string | undefined {
  if ('every' in schedule) return `Every ${formatDuration(schedule.every.ms)} after the last run`;
  if (!('cron' in schedule)) return undefined;
  let text = described.get(schedule.cron);
  if (text === undefined) {
    text = cronstrue.toString(schedule.cron, { use24HourTimeFormat: true, verbose: false });
    if (described.size >= MAX_DESCRIBED) described.clear();
    described.set(schedule.cron, text);
  }
  const zone = schedule.timezone && schedule.timezone !== 'local' ? ` (${schedule.timezone})` : '';
  return `${text}${zone}`;
}
