import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { RunStatus, Trigger } from '../../main/core/config/schema.ts';
import type { Plan } from '../../main/core/config/types.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import { PauseStore, pauseUntil } from '../../main/core/schedule/pause.ts';
import { type RunOutcome, Scheduler } from '../../main/core/schedule/scheduler.ts';
import { loaded } from '../helpers/duration.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

const plan = testPlan;

interface Call {
  plan: string;
  trigger: Trigger;
  at: string;
}

type Script = (call: Call) => Partial<RunOutcome> & { status?: RunStatus };

/** A scheduler on a fake clock whose runs are recorded and answered by `script`. */
async function harness(
  t: TestContext,
  plans: Plan[],
  options: { script?: Script; gate?: () => Promise<void>; seenAt?: Date; start?: Date; waitForNetwork?: (plan: Plan) => Promise<void> } = {},
) {
  const dir = await tempDir(t);
  const state = new PlanStateStore(join(dir, 'plan-state.json'));
  const pause = new PauseStore(join(dir, 'pause.json'));
  for (const p of plans) await state.update(p.id, { firstSeenAt: (options.seenAt ?? T0).toISOString() });
  const calls: Call[] = [];
  let scheduler!: Scheduler;
  const clock = new FakeClock(options.start ?? T0, () => scheduler.idle());
  const make = () =>
    new Scheduler({
      plans: () => plans,
      state,
      pause,
      clock,
      waitForNetwork: options.waitForNetwork,
      run: async (planId, trigger) => {
        const call = { plan: planId, trigger, at: clock.now().toISOString() };
        calls.push(call);
        await options.gate?.();
        const answer = options.script?.(call) ?? {};
        const status = answer.status ?? 'success';
        await state.update(planId, { lastRunAt: call.at, ...(status === 'success' ? { lastSuccessAt: call.at } : {}) });
        return {
          record: {
            id: String(calls.length),
            plan: planId,
            repository: 'r',
            trigger,
            status,
            reason: answer.status ? 'scripted' : null,
            startedAt: call.at,
            endedAt: call.at,
            snapshotId: null,
            steps: [],
            summary: null,
          },
          retryable: answer.retryable ?? true,
          deferral: answer.deferral,
        };
      },
    });
  scheduler = make();
  t.after(() => scheduler.stop());
  return { scheduler, clock, calls, state, pause, remake: () => (scheduler = make()) };
}

const hourly = (id = 'docs', extra: Partial<Plan> = {}) => plan(id, { cron: '0 * * * *', timezone: 'UTC' }, extra);
const summary = (calls: Call[]) => calls.map((c) => `${c.plan} ${c.trigger} ${c.at.slice(11, 16)}`);

test('scheduled slots run on time with trigger schedule', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()]);
  await scheduler.start();
  await clock.advance(2 * HOUR + 30 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00', 'docs schedule 12:00']);
});

test('three slots missed while Lifeboat was closed give exactly one catch-up run at start', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], { start: new Date(T0.getTime() + 3 * HOUR + 30 * MIN) });
  await scheduler.start();
  await clock.advance(0);
  assert.deepEqual(summary(calls), ['docs catch-up 13:30']);
  await clock.advance(30 * MIN);
  assert.deepEqual(summary(calls), ['docs catch-up 13:30', 'docs schedule 14:00']);
});

test('a sleep across three slots gives exactly one catch-up on wake, and none with catchUp off', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly(), hourly('photos', { catchUp: false })]);
  await scheduler.start();
  await clock.advance(HOUR + 5 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00', 'photos schedule 11:00']);
  await clock.sleep(3 * HOUR + 20 * MIN);
  assert.deepEqual(summary(calls).slice(2), ['docs catch-up 14:25']);
  await clock.advance(40 * MIN);
  assert.deepEqual(summary(calls).slice(3), ['docs schedule 15:00', 'photos schedule 15:00']);
});

test('a wake while a run is active starts no second run of that plan', async (t) => {
  let release!: () => void;
  let gated = true;
  const gate = () => (gated ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
  const { scheduler, clock, calls } = await harness(t, [hourly()], { gate });
  const settle = () => scheduler.settled();
  await scheduler.start();
  await clock.advance(HOUR, settle);
  assert.deepEqual(summary(calls), ['docs schedule 11:00']);
  await clock.sleep(30 * MIN, settle);
  await scheduler.resumed();
  assert.deepEqual(summary(calls), ['docs schedule 11:00'], 'no duplicate of the slot that is running');
  gated = false;
  release();
  await scheduler.idle();
  assert.equal(calls.length, 1, 'nothing was missed while it ran');
});

test('a failed scheduled run is retried after 1, 5 and 15 minutes, then not again until its next slot', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], { script: (call) => (call.at < '2026-11-21T11:30' ? { status: 'failure' } : {}) });
  await scheduler.start();
  await clock.advance(HOUR + 25 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00', 'docs retry 11:01', 'docs retry 11:06', 'docs retry 11:21']);
  await clock.advance(35 * MIN);
  assert.deepEqual(summary(calls).slice(4), ['docs schedule 12:00']);
});

test('a failure that retrying cannot change (a wrong password) is not retried', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], { script: () => ({ status: 'failure', retryable: false }) });
  await scheduler.start();
  await clock.advance(HOUR + 50 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00']);
});

test('a skipped run is not retried', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], { script: () => ({ status: 'skipped' }) });
  await scheduler.start();
  await clock.advance(HOUR + 50 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00']);
});

test('pause for an hour: slots inside it are not run or caught up; the pause ends by itself', async (t) => {
  const { scheduler, clock, calls, pause } = await harness(t, [hourly()]);
  await scheduler.start();
  await clock.advance(50 * MIN);
  await scheduler.pause(pauseUntil('1h', clock.now()));
  assert.ok(scheduler.pauseInfo);
  await clock.advance(HOUR + 20 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 12:00'], '11:00 was paused and not caught up');
  assert.equal(scheduler.pauseInfo, undefined);
  assert.equal(await pause.read(), undefined, 'the ended pause is forgotten');
});

test('a pause until resumed survives a restart, and resuming runs the next slot', async (t) => {
  const h = await harness(t, [hourly()]);
  await h.scheduler.start();
  await h.scheduler.pause(null);
  await h.scheduler.stop();
  const again = h.remake();
  await again.start();
  await h.clock.advance(3 * HOUR + 10 * MIN);
  assert.deepEqual(h.calls, [], 'still paused after the restart');
  await again.unpause();
  await h.clock.advance(50 * MIN);
  assert.deepEqual(summary(h.calls), ['docs schedule 14:00']);
});

test('pause until tomorrow means 08:00 the next day', () => {
  const evening = new Date(2026, 10, 21, 22, 15);
  assert.deepEqual(pauseUntil('tomorrow', evening), new Date(2026, 10, 22, 8, 0, 0, 0));
  assert.equal(pauseUntil('indefinitely', evening), null);
});

test('a deferred run is tried again when power or network changes, with trigger deferred', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], {
    script: (call) => (call.trigger === 'schedule' ? { status: 'skipped', deferral: { reason: 'On battery', retryAfterMs: 10 * MIN } } : {}),
  });
  await scheduler.start();
  await clock.advance(HOUR + 2 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00']);
  await scheduler.conditionsChanged(); // the charger was plugged in
  await scheduler.idle();
  assert.deepEqual(summary(calls), ['docs schedule 11:00', 'docs deferred 11:02']);
  await clock.advance(20 * MIN);
  assert.equal(calls.length, 2, 'the deferral is done once it ran');
});

test('without a change, a deferred run is tried again after retryAfter', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly()], {
    script: (call) =>
      call.trigger !== 'deferred' || call.at < '2026-11-21T11:15' ? { status: 'skipped', deferral: { reason: 'Offline', retryAfterMs: 10 * MIN } } : {},
  });
  await scheduler.start();
  await clock.advance(HOUR + 25 * MIN);
  assert.deepEqual(summary(calls), ['docs schedule 11:00', 'docs deferred 11:10', 'docs deferred 11:20']);
});

test('triggers for a running plan are coalesced: at most one more run is queued', async (t) => {
  let release!: () => void;
  let gated = true;
  const gate = () => (gated ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
  const { scheduler, calls } = await harness(t, [plan('docs', null)], { gate });
  await scheduler.start();
  scheduler.trigger('docs', 'manual');
  scheduler.trigger('docs', 'manual');
  scheduler.trigger('docs', 'manual');
  scheduler.trigger('docs', 'manual');
  assert.equal(calls.length, 1);
  gated = false;
  release();
  await scheduler.idle();
  assert.deepEqual(summary(calls), ['docs manual 10:00', 'docs manual 10:00']);
});

test('an interval plan runs every period after its last run, and at once when it never ran', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [plan('docs', { every: loaded('6h') })]);
  await scheduler.start();
  await clock.advance(13 * HOUR);
  assert.deepEqual(summary(calls), ['docs schedule 10:00', 'docs schedule 16:00', 'docs schedule 22:00']);
});

test('after a wake, a remote plan waits for the network before its catch-up', async (t) => {
  let networkUp!: () => void;
  const waited: string[] = [];
  const { scheduler, calls } = await harness(t, [hourly()], {
    start: new Date(T0.getTime() + 3 * HOUR + 30 * MIN),
    waitForNetwork: (p) => {
      waited.push(p.id);
      return new Promise<void>((resolve) => (networkUp = resolve));
    },
  });
  await scheduler.start();
  assert.deepEqual(waited, ['docs']);
  assert.equal(calls.length, 0, 'no run before the network is back');
  networkUp();
  await scheduler.idle();
  assert.deepEqual(summary(calls), ['docs catch-up 13:30']);
});

test('a clock jump seen by the timer counts as a wake: the catch-up waits for the network', async (t) => {
  const waited: string[] = [];
  const h = await harness(t, [hourly()], {
    waitForNetwork: async (p) => {
      waited.push(`${p.id}@${h.clock.now().toISOString().slice(11, 16)}`);
    },
  });
  await h.scheduler.start();
  await h.clock.advance(HOUR);
  assert.deepEqual(waited, [], 'an on-time slot does not wait');
  await h.clock.sleep(3 * HOUR + 30 * MIN);
  assert.deepEqual(waited, ['docs@14:30']);
  assert.deepEqual(summary(h.calls), ['docs schedule 11:00', 'docs catch-up 14:30']);
});

test('a scheduler stopped while it was setting its timer sets none, so a stopped daemon can exit', async (t) => {
  const dir = await tempDir(t);
  const real = new PlanStateStore(join(dir, 'plan-state.json'));
  let release!: () => void;
  let reads = 0;
  let slow = false;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arming!: () => void;
  const armingStarted = new Promise<void>((resolve) => (arming = resolve));
  const state = {
    // configChanged reads once, then arm() reads again: that second read is held back.
    read: async () => {
      if (slow) reads += 1;
      if (slow && reads === 2) {
        arming();
        await gate;
      }
      return real.read();
    },
    get: (id: string) => real.get(id),
    update: (id: string, change: object) => real.update(id, change),
  } as unknown as PlanStateStore;
  const clock = new FakeClock(T0);
  const scheduler = new Scheduler({
    plans: () => [hourly()],
    state,
    pause: new PauseStore(join(dir, 'pause.json')),
    clock,
    run: async () => {
      throw new Error('no run expected');
    },
  });
  await scheduler.start();
  slow = true;
  const rearming = scheduler.configChanged();
  await armingStarted;
  await scheduler.stop();
  release();
  await rearming;
  assert.equal(clock.pendingTimers, 0);
});
