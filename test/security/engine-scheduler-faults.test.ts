import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { Trigger } from '../../main/core/config/schema.ts';
import type { Plan } from '../../main/core/config/types.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import { PauseStore } from '../../main/core/schedule/pause.ts';
import { type RunOutcome, Scheduler } from '../../main/core/schedule/scheduler.ts';
import { loaded } from '../helpers/duration.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

/** A fake clock that remembers every time a timer was set for. */
class RecordingClock extends FakeClock {
  readonly armed: number[] = [];
  override setTimer(at: Date, callback: () => void) {
    this.armed.push(at.getTime());
    return super.setTimer(at, callback);
  }
}

interface Call {
  trigger: Trigger;
  at: string;
}

/** A scheduler on a fake clock whose run function is `run`; unhandled rejections are collected. */
async function harness(t: TestContext, plans: Plan[], run: (call: Call, state: PlanStateStore) => Promise<RunOutcome>) {
  const dir = await tempDir(t);
  const stateFile = join(dir, 'plan-state.json');
  const state = new PlanStateStore(stateFile);
  for (const plan of plans) await state.update(plan.id, { firstSeenAt: T0.toISOString() });
  const calls: Call[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const logs: string[] = [];
  let scheduler!: Scheduler;
  const clock = new RecordingClock(T0, () => scheduler.idle());
  scheduler = new Scheduler({
    plans: () => plans,
    state,
    pause: new PauseStore(join(dir, 'pause.json')),
    clock,
    log: (line) => logs.push(line),
    run: async (_planId, trigger) => {
      const call = { trigger, at: clock.now().toISOString().slice(11, 16) };
      calls.push(call);
      return run(call, state);
    },
  });
  t.after(async () => {
    await scheduler.stop();
    process.off('unhandledRejection', onUnhandled);
  });
  return { scheduler, clock, calls, unhandled, logs, stateFile };
}

function success(call: Call): RunOutcome {
  return {
    record: {
      id: call.at,
      plan: 'docs',
      repository: 'r',
      trigger: call.trigger,
      status: 'success',
      reason: null,
      startedAt: call.at,
      endedAt: call.at,
      snapshotId: null,
      steps: [],
      summary: null,
    },
    retryable: true,
  };
}

const hourly = testPlan('docs', { cron: '0 * * * *', timezone: 'UTC' });

test('a run that throws does not stop the scheduler: the next slot still runs', async (t) => {
  const { scheduler, clock, calls, unhandled, logs } = await harness(t, [hourly], async (call) => {
    if (call.at === '11:00') throw new Error('ENOSPC: no space left on device');
    return success(call);
  });
  await scheduler.start();
  await clock.advance(2 * HOUR + 30 * MIN);
  assert.ok(
    calls.some((call) => call.trigger === 'schedule' && call.at === '12:00'),
    calls.map((call) => `${call.trigger} ${call.at}`).join(', '),
  );
  assert.ok(
    logs.some((line) => /no space left on device/.test(line)),
    logs.join('\n'),
  );
  assert.deepEqual(unhandled, []);
});

test('a run that rejects is retried like a failed run (the disk may have space again a minute later)', async (t) => {
  const { scheduler, clock, calls } = await harness(t, [hourly], async (call) => {
    if (call.at === '11:00') throw new Error('ENOSPC: no space left on device');
    return success(call);
  });
  await scheduler.start();
  await clock.advance(HOUR + 5 * MIN);
  assert.deepEqual(
    calls.map((call) => `${call.trigger} ${call.at}`),
    ['schedule 11:00', 'retry 11:01'],
  );
});

test('the scheduler survives its own state file failing (a full or broken data dir) and runs the next slot once it is back', async (t) => {
  const { scheduler, clock, calls, unhandled, stateFile } = await harness(t, [hourly], async (call, state) => {
    await state.update('docs', { lastRunAt: new Date().toISOString() }); // fails while the state cannot be written
    return success(call);
  });
  await scheduler.start();
  await clock.advance(30 * MIN);
  // The state file becomes unreadable and unwritable (a folder where the file was).
  await rm(stateFile);
  await mkdir(stateFile);
  await clock.advance(HOUR);
  const whileBroken = calls.length;
  assert.ok(whileBroken >= 1 && whileBroken <= 4, `the 11:00 slot was tried, with a few retries at most, not a storm: ${JSON.stringify(calls)}`);
  await rm(stateFile, { recursive: true });
  await clock.advance(HOUR);
  assert.ok(
    calls.slice(whileBroken).some((call) => call.trigger === 'schedule' && call.at === '12:00'),
    JSON.stringify(calls),
  );
  assert.deepEqual(unhandled, []);
});

test('a plan every 100000000d in memory (bypassing validation) arms no timer in the past and runs no storm', async (t) => {
  const huge = testPlan('docs', { every: loaded('100000000d') });
  const { scheduler, clock, calls, unhandled } = await harness(t, [huge], async (call) => success(call));
  await scheduler.start();
  await clock.advance(2 * HOUR);
  assert.ok(calls.length <= 1, `at most the first run, got ${calls.length}`);
  assert.ok(
    clock.armed.every((at) => Number.isFinite(at)),
    `every timer is set for a real time: ${clock.armed.join(', ')}`,
  );
  assert.deepEqual(unhandled, []);
});
