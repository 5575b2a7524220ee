import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { RunStatus, Trigger } from '../../main/core/config/schema.ts';
import type { Plan } from '../../main/core/config/types.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import { PauseStore } from '../../main/core/schedule/pause.ts';
import { type ScheduledWatch, Scheduler } from '../../main/core/schedule/scheduler.ts';
import { SnoozeStore } from '../../main/core/schedule/snooze.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A scheduler on a fake clock whose runs are recorded (and fail when `fail` says so), with snoozes and watches. */
async function harness(t: TestContext, plans: Plan[], options: { watches?: ScheduledWatch[]; fail?: boolean; maxSleepMs?: number } = {}) {
  const dir = await tempDir(t);
  const state = new PlanStateStore(join(dir, 'plan-state.json'));
  const snoozes = new SnoozeStore(join(dir, 'snooze.json'));
  for (const plan of plans) await state.update(plan.id, { firstSeenAt: T0.toISOString() });
  const calls: string[] = [];
  let scheduler!: Scheduler;
  const clock = new FakeClock(T0, () => scheduler.idle());
  scheduler = new Scheduler({
    plans: () => plans,
    state,
    pause: new PauseStore(join(dir, 'pause.json')),
    clock,
    watches: options.watches,
    maxSleepMs: options.maxSleepMs,
    snoozedUntil: (planId, now) => snoozes.snoozedUntil(planId, now),
    run: async (planId, trigger: Trigger) => {
      const at = clock.now().toISOString();
      calls.push(`${trigger} ${at.slice(11, 16)}`);
      const status: RunStatus = options.fail ? 'failure' : 'success';
      await state.update(planId, { lastRunAt: at, ...(status === 'success' ? { lastSuccessAt: at } : {}) });
      const record = {
        id: String(calls.length),
        plan: planId,
        repository: 'r',
        trigger,
        status,
        reason: null,
        startedAt: at,
        endedAt: at,
        snapshotId: null,
        steps: [],
        summary: null,
      };
      return { record, retryable: true };
    },
  });
  t.after(() => scheduler.stop());
  return { scheduler, clock, calls, snoozes };
}

const hourly = testPlan('docs', { cron: '0 * * * *', timezone: 'UTC' });

test('a snoozed plan runs nothing until the snooze ends, then the slot it held runs once', async (t) => {
  const { scheduler, clock, calls, snoozes } = await harness(t, [hourly]);
  await scheduler.start();
  await clock.advance(30 * MIN); // 10:30
  await snoozes.snooze('docs', new Date(T0.getTime() + 90 * MIN), clock.now()); // until 11:30
  await scheduler.configChanged();
  await clock.advance(59 * MIN); // 11:29
  assert.deepEqual(calls, []);
  await clock.advance(MIN); // 11:30
  assert.deepEqual(calls, ['catch-up 11:30']);
  await clock.advance(30 * MIN); // 12:00
  assert.deepEqual(calls, ['catch-up 11:30', 'schedule 12:00'], 'then the schedule goes on as before');
});

test("a snooze holds a failed run's retries too", async (t) => {
  const { scheduler, clock, calls, snoozes } = await harness(t, [hourly], { fail: true });
  await scheduler.start();
  await clock.advance(HOUR); // 11:00, fails; its retry would be at 11:01
  await snoozes.snooze('docs', new Date(clock.now().getTime() + HOUR), clock.now());
  await scheduler.configChanged();
  await clock.advance(59 * MIN);
  assert.deepEqual(calls, ['schedule 11:00']);
  await clock.advance(MIN); // 12:00: the snooze ends with the next slot due
  assert.deepEqual(calls, ['schedule 11:00', 'schedule 12:00'], 'one run: the slot, which stands for the held retry too');
});

test('a watch is checked at start, on wake and at the time it asks for, on the one timer', async (t) => {
  const checks: string[] = [];
  let clock!: FakeClock;
  let nextAt: Date | null = new Date(T0.getTime() + 25 * MIN);
  const watch: ScheduledWatch = {
    name: 'test watch',
    check: async () => {
      checks.push(clock.now().toISOString().slice(11, 16));
      if (nextAt && clock.now() >= nextAt) nextAt = null;
    },
    nextCheckAt: async () => nextAt,
  };
  const manual = testPlan('docs', null);
  // The timer's usual 10-minute naps (to notice a suspend) are stretched, so only the watch's own time wakes it.
  const made = await harness(t, [manual], { watches: [watch], maxSleepMs: 24 * HOUR });
  clock = made.clock;
  await made.scheduler.start();
  assert.deepEqual(checks, ['10:00'], 'at start');
  await clock.advance(24 * MIN);
  assert.deepEqual(checks, ['10:00'], 'no polling of its own before the time it asked for');
  await clock.advance(MIN);
  assert.deepEqual(checks, ['10:00', '10:25']);
  await made.scheduler.resumed(); // a wake
  assert.deepEqual(checks, ['10:00', '10:25', '10:25']);
});

test('a watch that throws never stops the scheduler', async (t) => {
  const watch: ScheduledWatch = {
    name: 'broken watch',
    check: async () => {
      throw new Error('disk on fire');
    },
    nextCheckAt: async () => {
      throw new Error('still on fire');
    },
  };
  const { scheduler, clock, calls } = await harness(t, [hourly], { watches: [watch] });
  await scheduler.start();
  await clock.advance(HOUR);
  assert.deepEqual(calls, ['schedule 11:00']);
});
