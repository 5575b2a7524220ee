import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertAfterMs, staleAge, staleness, staleSentence } from '../../main/core/notify/staleness.ts';
import { loaded } from '../helpers/duration.ts';
import { testPlan } from '../helpers/plans.ts';

const NOW = new Date('2026-11-21T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('alertAfter defaults to 3 days, or 3× the schedule interval when longer, at most 366 days', () => {
  assert.equal(alertAfterMs(testPlan('p', { every: loaded('6h') }), NOW), 3 * DAY);
  assert.equal(alertAfterMs(testPlan('p', { every: loaded('2d') }), NOW), 6 * DAY);
  assert.equal(alertAfterMs(testPlan('p', { every: loaded('200d') }), NOW), 366 * DAY);
  assert.equal(alertAfterMs(testPlan('p', { cron: '0 * * * *', timezone: 'UTC' }), NOW), 3 * DAY);
  assert.equal(alertAfterMs(testPlan('p', { cron: '0 2 * * 0', timezone: 'UTC' }), NOW), 21 * DAY, 'weekly');
  assert.equal(alertAfterMs(testPlan('p', { cron: '0 3 1 * *', timezone: 'UTC' }), NOW), 93 * DAY, 'monthly: the longest month, tripled');
  assert.equal(alertAfterMs(testPlan('p', { every: loaded('6h') }, { alertAfter: loaded('12h') }), NOW), 12 * HOUR, 'the plan says');
});

test('a manual plan is watched only when it sets alertAfter; a disabled plan never', () => {
  assert.equal(alertAfterMs(testPlan('p', null), NOW), null);
  assert.equal(alertAfterMs(testPlan('p', null, { alertAfter: loaded('7d') }), NOW), 7 * DAY);
  assert.equal(alertAfterMs(testPlan('p', { every: loaded('1h') }, { enabled: false, alertAfter: loaded('1h') }), NOW), null);
});

test('stale from the last successful backup, or from when the plan was first seen; the last run in words', () => {
  const plan = testPlan('p', { every: loaded('1h') }, { name: 'Documents', alertAfter: loaded('4d') });
  const fresh = staleness(plan, { lastSuccessAt: '2026-11-18T10:00:00Z' }, NOW);
  assert.equal(fresh.stale, null);
  assert.equal(fresh.staleAt?.toISOString(), '2026-11-22T10:00:00.000Z');
  const old = staleness(plan, { lastSuccessAt: '2026-11-17T09:00:00Z', lastRun: { status: 'skipped', reason: 'On battery.' } }, NOW);
  assert.deepEqual(old.stale, { since: '2026-11-17T09:00:00Z', lastReason: 'skipped, on battery' });
  assert.equal(staleSentence('Documents', old.stale!, NOW), 'Documents: no backup for 4 days — last: skipped, on battery');
  const never = staleness(plan, { firstSeenAt: '2026-11-10T10:00:00Z' }, NOW);
  assert.equal(never.stale?.lastReason, 'no run yet');
  assert.deepEqual(staleness(plan, {}, NOW), { stale: null, staleAt: null }, 'not seen by a scheduler yet: nothing to say');
  assert.equal(staleness(plan, { lastSuccessAt: 'not a date' }, NOW).stale, null);
});

test('how long without a backup reads as days, else hours', () => {
  assert.equal(staleAge('2026-11-20T09:00:00Z', NOW), '1 day');
  assert.equal(staleAge('2026-11-11T10:00:00Z', NOW), '10 days');
  assert.equal(staleAge('2026-11-21T09:00:00Z', NOW), '1 hour');
  assert.equal(staleAge('2026-11-21T05:30:00Z', NOW), '4 hours');
});
