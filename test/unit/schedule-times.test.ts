import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Plan } from '../../main/core/config/types.ts';
import { dueAt, latestSlotAtOrBefore, nextSlotAfter, upcomingRuns } from '../../main/core/schedule/schedule-times.ts';
import { describeSchedule } from '../../main/core/schedule/schedule-words.ts';
import { loaded } from '../helpers/duration.ts';
import { testPlan } from '../helpers/plans.ts';

const iso = (dates: Array<Date | null>) => dates.map((date) => date?.toISOString() ?? null);

function plan(schedule: Plan['schedule'], extra: Partial<Plan> = {}): Plan {
  return testPlan('p', schedule, { name: 'P', ...extra });
}

test('cron slots follow the time zone, 5 and 6 fields', () => {
  const berlin = { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' };
  assert.equal(nextSlotAfter(berlin, new Date('2026-11-20T09:00:00Z'))?.toISOString(), '2026-11-23T08:00:00.000Z', 'Friday 10:00 Berlin → Monday 09:00 Berlin');
  const newYork = { cron: '0 9 * * *', timezone: 'America/New_York' };
  assert.equal(nextSlotAfter(newYork, new Date('2026-11-21T12:00:00Z'))?.toISOString(), '2026-11-21T14:00:00.000Z');
  const seconds = { cron: '*/15 * * * * *', timezone: 'UTC' };
  assert.equal(nextSlotAfter(seconds, new Date('2026-11-21T12:00:07Z'))?.toISOString(), '2026-11-21T12:00:15.000Z');
  assert.equal(latestSlotAtOrBefore(seconds, new Date('2026-11-21T12:00:15Z'))?.toISOString(), '2026-11-21T12:00:15.000Z');
  assert.equal(latestSlotAtOrBefore(seconds, new Date('2026-11-21T12:00:29Z'))?.toISOString(), '2026-11-21T12:00:15.000Z');
});

test('a daily slot inside the spring-forward gap runs once, right after the jump', () => {
  const daily = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };
  // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
  const runs = iso([nextSlotAfter(daily, new Date('2026-03-28T12:00:00Z'))]);
  assert.deepEqual(runs, ['2026-03-29T01:00:00.000Z']);
  assert.equal(nextSlotAfter(daily, new Date('2026-03-29T01:00:00Z'))?.toISOString(), '2026-03-30T00:30:00.000Z');
});

test('a daily slot inside the autumn repeat runs once, not twice', () => {
  const daily = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };
  // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
  const first = nextSlotAfter(daily, new Date('2026-10-24T12:00:00Z'));
  assert.equal(first?.toISOString(), '2026-10-25T00:30:00.000Z');
  assert.equal(nextSlotAfter(daily, first!)?.toISOString(), '2026-10-26T01:30:00.000Z');
});

test('an interval runs from the last run; a plan that never ran is due at once; manual plans never', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const every = plan({ every: loaded('6h') });
  assert.equal(dueAt(every, { firstSeenAt: now.toISOString() }, now)?.toISOString(), now.toISOString());
  assert.equal(dueAt(every, { lastSuccessAt: '2026-11-21T08:00:00Z', lastRunAt: '2026-11-21T09:00:00Z' }, now)?.toISOString(), '2026-11-21T15:00:00.000Z');
  assert.equal(dueAt(plan(null), {}, now), null);
  assert.equal(dueAt(plan({ every: loaded('6h') }, { enabled: false }), {}, now), null);
  assert.deepEqual(iso(upcomingRuns(every, { lastRunAt: '2026-11-21T09:00:00Z' }, now, 3)), [
    '2026-11-21T15:00:00.000Z',
    '2026-11-21T21:00:00.000Z',
    '2026-11-22T03:00:00.000Z',
  ]);
});

test('the next five runs of a cron plan start at its next slot', () => {
  const now = new Date('2026-11-21T12:10:00Z');
  const hourly = plan({ cron: '0 * * * *', timezone: 'UTC' });
  assert.deepEqual(iso(upcomingRuns(hourly, { slotHandledAt: '2026-11-21T12:00:00Z' }, now)), [
    '2026-11-21T13:00:00.000Z',
    '2026-11-21T14:00:00.000Z',
    '2026-11-21T15:00:00.000Z',
    '2026-11-21T16:00:00.000Z',
    '2026-11-21T17:00:00.000Z',
  ]);
});

test('each schedule has a sentence a person reads', () => {
  assert.equal(describeSchedule({ cron: '0 * * * *' }), 'Every hour');
  assert.equal(describeSchedule({ cron: '30 2 * * 1-5', timezone: 'Europe/Berlin' }), 'At 02:30, Monday through Friday (Europe/Berlin)');
  assert.equal(describeSchedule({ every: loaded('6h') }), 'Every 6 h after the last run');
  assert.equal(describeSchedule(null), 'Manual only');
});
