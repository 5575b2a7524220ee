import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { createApi } from '../../main/api/router.ts';
import type { Trigger } from '../../main/core/config/schema.ts';
import type { Plan } from '../../main/core/config/types.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { Engine } from '../../main/core/engine.ts';
import { parseFindmntLine } from '../../main/core/platform/findmnt-mount-events.ts';
import { type MountEvent, type MountEvents, unsupportedMountEvents } from '../../main/core/platform/mount-events.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import { CancelReason } from '../../main/core/runs/run-state.ts';
import { systemClock } from '../../main/core/schedule/clock.ts';
import { PauseStore } from '../../main/core/schedule/pause.ts';
import { ScheduleMemory } from '../../main/core/schedule/schedule-memory.ts';
import { upcomingRuns } from '../../main/core/schedule/schedule-times.ts';
import { describeSchedule } from '../../main/core/schedule/schedule-words.ts';
import { Scheduler } from '../../main/core/schedule/scheduler.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;

/** Mount events a test sends by hand: the port's contract, without a findmnt. */
class HandMountEvents implements MountEvents {
  readonly unsupported = undefined;
  listener: ((event: MountEvent) => void) | undefined;
  watches = 0;
  stops = 0;

  watch(listener: (event: MountEvent) => void) {
    this.listener = listener;
    this.watches += 1;
    return {
      stop: async () => {
        this.stops += 1;
        this.listener = undefined;
      },
    };
  }

  send(action: MountEvent['action'], target: string): void {
    assert.ok(this.listener, 'nobody is watching');
    this.listener(action === 'mount' ? { action, target } : { action, target });
  }
}

const usbPlan = (extra: Partial<Plan> = {}, minutes = 60): Plan =>
  testPlan('docs', { onMount: '/media/me/usb', minInterval: { ms: minutes * MIN, text: `${minutes}m` } }, { sources: ['/media/me/usb/docs'], ...extra });

async function harness(
  t: TestContext,
  plans: () => Plan[],
  options: { gate?: (signal: AbortSignal) => Promise<string | undefined>; snoozedUntil?: (planId: string, now: Date) => Date | undefined } = {},
) {
  const dir = await tempDir(t);
  const events = new HandMountEvents();
  const calls: Array<{ trigger: Trigger; at: string; reason?: string | undefined }> = [];
  const memoryFile = join(dir, 'schedule-memory.json');
  let scheduler!: Scheduler;
  const clock = new FakeClock(T0, () => scheduler.settled());
  const make = () =>
    new Scheduler({
      plans,
      state: new PlanStateStore(join(dir, 'plan-state.json')),
      pause: new PauseStore(join(dir, 'pause.json')),
      clock,
      memory: new ScheduleMemory(memoryFile),
      mountEvents: events,
      snoozedUntil: options.snoozedUntil,
      run: async (planId, trigger, signal) => {
        const call: { trigger: Trigger; at: string; reason?: string | undefined } = { trigger, at: clock.now().toISOString().slice(11, 16) };
        calls.push(call);
        call.reason = await options.gate?.(signal);
        const status = signal.aborted ? 'cancelled' : 'success';
        return {
          record: {
            id: String(calls.length),
            plan: planId,
            repository: 'r',
            trigger,
            status,
            reason: call.reason ?? null,
            startedAt: clock.now().toISOString(),
            endedAt: clock.now().toISOString(),
            snapshotId: null,
            steps: [],
            summary: null,
          },
          retryable: true,
        };
      },
    });
  scheduler = make();
  t.after(() => scheduler.stop());
  return { events, calls, clock, memoryFile, scheduler: () => scheduler, remake: () => (scheduler = make()) };
}

test('an arrival starts a run with trigger mount, at most once per minInterval, counted across a restart', async (t) => {
  const plans = [usbPlan({}, 30)];
  const h = await harness(t, () => plans);
  await h.scheduler().start();
  h.events.send('mount', '/media/me/usb/other'); // another folder: not this drive
  h.events.send('mount', '/media/me'); // a folder above: not this drive
  await h.scheduler().idle();
  assert.equal(h.calls.length, 0);
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  await h.clock.advance(29 * MIN);
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  assert.deepEqual(
    h.calls.map((c) => `${c.trigger} ${c.at}`),
    ['mount 10:00'],
  );
  await h.scheduler().stop();
  h.remake();
  await h.scheduler().start();
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  assert.equal(h.calls.length, 1, 'a restart does not allow a second run within minInterval');
  await h.clock.advance(MIN);
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  assert.deepEqual(
    h.calls.map((c) => `${c.trigger} ${c.at}`),
    ['mount 10:00', 'mount 10:30'],
  );
});

test('an arrival while the plan is snoozed runs when the snooze ends, if the drive is still mounted; an unmount meanwhile drops it', async (t) => {
  const plans = [usbPlan({}, 30)];
  let snoozedUntil: Date | undefined = new Date(T0.getTime() + 60 * MIN);
  const h = await harness(t, () => plans, { snoozedUntil: (_plan, now) => (snoozedUntil && now < snoozedUntil ? snoozedUntil : undefined) });
  await h.scheduler().start();
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  await h.clock.advance(59 * MIN);
  assert.equal(h.calls.length, 0, 'nothing runs during the snooze');
  await h.clock.advance(MIN);
  await h.scheduler().idle();
  assert.deepEqual(
    h.calls.map((c) => `${c.trigger} ${c.at}`),
    ['mount 11:00'],
    'the held arrival runs once, when the snooze ends',
  );
  await h.clock.advance(60 * MIN);
  assert.equal(h.calls.length, 1, 'and only once');

  // Snoozed again; the drive arrives and leaves before the snooze ends: no run.
  snoozedUntil = new Date(h.clock.now().getTime() + 60 * MIN);
  h.events.send('mount', '/media/me/usb');
  await h.clock.advance(10 * MIN);
  h.events.send('umount', '/media/me/usb');
  await h.clock.advance(60 * MIN);
  await h.scheduler().idle();
  assert.equal(h.calls.length, 1, 'an arrival whose drive left during the snooze is dropped');
});

test('an arrival while paused starts nothing; the watch runs only while an enabled plan has onMount, following config edits', async (t) => {
  let plans = [usbPlan()];
  const h = await harness(t, () => plans);
  await h.scheduler().start();
  assert.equal(h.events.watches, 1);
  await h.scheduler().pause(null);
  h.events.send('mount', '/media/me/usb');
  await h.scheduler().idle();
  assert.equal(h.calls.length, 0);
  plans = [testPlan('docs', { every: { ms: 60 * MIN, text: '1h' } })];
  await h.scheduler().configChanged();
  assert.equal(h.events.stops, 1, 'no plan has onMount: the watch ends');
  plans = [usbPlan({ enabled: false })];
  await h.scheduler().configChanged();
  assert.equal(h.events.watches, 1, 'a disabled plan is not watched for');
  plans = [usbPlan()];
  await h.scheduler().configChanged();
  assert.equal(h.events.watches, 2, 'an edit that adds onMount starts watching again');
});

test('unmounting a drive that holds a running plan\'s sources cancels it with "drive removed"; other unmounts do not', { timeout: 10_000 }, async (t) => {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const gate = (signal: AbortSignal) =>
    new Promise<string | undefined>((resolve) => {
      started();
      signal.addEventListener('abort', () => resolve(signal.reason instanceof CancelReason ? signal.reason.sentence : String(signal.reason)), { once: true });
    });
  const h = await harness(t, () => [usbPlan()], { gate });
  await h.scheduler().start();
  h.events.send('mount', '/media/me/usb');
  await running;
  h.events.send('umount', '/media/me/other');
  h.events.send('umount', '/media/me/usb2');
  h.events.send('remount', '/media/me/usb');
  assert.equal(h.scheduler().isRunning('docs'), true);
  h.events.send('umount', '/media/me/usb');
  await h.scheduler().idle();
  assert.equal(h.calls[0]!.reason, 'drive removed: /media/me/usb was unmounted during the run');
  assert.equal(h.calls.length, 1, 'a cancelled run is not retried');
});

test('a pending retry is dropped when its plan is removed, disabled or made manual; a deferral when no hook can defer', async (t) => {
  const hourly = testPlan('docs', { cron: '0 * * * *', timezone: 'UTC' });
  let plans: Plan[] = [hourly];
  const h = await harness(t, () => plans);
  await writeFile(
    h.memoryFile,
    JSON.stringify({
      version: 1,
      plans: {
        docs: { retry: { attempt: 1, at: '2026-11-21T10:30:00.000Z' }, deferred: { at: '2026-11-21T10:40:00.000Z', reason: 'on battery' } },
        gone: { retry: { attempt: 1, at: '2026-11-21T10:30:00.000Z' } },
      },
    }),
  );
  await h.scheduler().start();
  await h.scheduler().stop();
  let kept = JSON.parse(await readFile(h.memoryFile, 'utf8'));
  assert.deepEqual(Object.keys(kept.plans), ['docs'], 'a removed plan is forgotten');
  assert.equal(kept.plans.docs.deferred, undefined, 'no hook of the plan can defer');
  assert.deepEqual(kept.plans.docs.retry, { attempt: 1, at: '2026-11-21T10:30:00.000Z' });

  h.remake();
  await h.scheduler().start();
  plans = [{ ...hourly, schedule: null }];
  await h.scheduler().configChanged();
  await h.clock.advance(40 * MIN);
  assert.equal(h.calls.length, 0, 'a manual-only plan is not retried');
  await h.scheduler().stop();
  kept = JSON.parse(await readFile(h.memoryFile, 'utf8'));
  assert.deepEqual(kept.plans, {});
});

test('schedule sentences and next runs for drive arrival', () => {
  const config = (schedule: unknown) => {
    const result = validateConfig(
      { version: 1, repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }], plans: [{ id: 'p', repository: 'r', sources: ['/p'], schedule }] },
      { home: '/home/me' },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    return result.config.plans[0]!;
  };
  assert.equal(describeSchedule(config({ onMount: '/media/me/usb' }).schedule), 'When /media/me/usb is mounted, at most hourly');
  assert.equal(describeSchedule(config({ onMount: '~/usb/', minInterval: '1d' }).schedule), 'When /home/me/usb is mounted, at most daily');
  assert.equal(describeSchedule(config({ onMount: '/m', minInterval: '90m' }).schedule), 'When /m is mounted, at most once every 1 h 30 min');
  assert.equal(
    describeSchedule(config({ cron: '30 2 * * *', onMount: '/media/me/usb', minInterval: '7d' }).schedule),
    'At 02:30; and when /media/me/usb is mounted, at most weekly',
  );
  assert.equal(describeSchedule(config({ every: '6h', onMount: '/m' }).schedule), 'Every 6 h after the last run; and when /m is mounted, at most hourly');
  assert.deepEqual(upcomingRuns(config({ onMount: '/media/me/usb' }), {}, T0), [], 'no time-based runs to show');
  assert.equal(upcomingRuns(config({ every: '6h', onMount: '/m' }), {}, T0).length, 5);
});

test('onMount and minInterval refuse what cannot work, each with its own sentence', () => {
  const problems = (schedule: unknown) => {
    const result = validateConfig({
      version: 1,
      repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
      plans: [{ id: 'p', repository: 'r', sources: ['/p'], schedule }],
    });
    assert.equal(result.ok, false, JSON.stringify(schedule).slice(0, 80));
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };
  assert.deepEqual(problems({ onMount: 'media/usb' }), [
    'plans[0].schedule.onMount: "media/usb" is a relative path; write the mount folder from the root, e.g. "/media/me/usb"',
  ]);
  assert.deepEqual(problems({ cron: '0 * * * *', onMount: './usb' }), [
    'plans[0].schedule.onMount: "./usb" is a relative path; write the mount folder from the root, e.g. "/media/me/usb"',
  ]);
  assert.deepEqual(problems({ every: '1h', onMount: '' }), [
    'plans[0].schedule.onMount: is empty; give the folder the drive is mounted on, e.g. "/media/me/usb"',
  ]);
  assert.deepEqual(problems({ onMount: '/media/usb\n$(reboot)' }), [
    'plans[0].schedule.onMount: contains a line break or another control character; write the folder on one line, e.g. "/media/me/usb"',
  ]);
  assert.deepEqual(problems({ onMount: `/${'x'.repeat(5000)}` }), [
    'plans[0].schedule.onMount: is longer than 4,096 characters, longer than any path the system accepts',
  ]);
  assert.deepEqual(problems({ onMount: '/' }), [
    'plans[0].schedule.onMount: "/" is always mounted, so it never arrives; give the drive\'s own folder, e.g. "/media/me/usb"',
  ]);
  assert.deepEqual(problems({ onMount: '/m', minInterval: '59s' }), [
    'plans[0].schedule.minInterval: "59s" is out of bounds; use a duration between 1m and 7d',
  ]);
  assert.deepEqual(problems({ onMount: '/m', minInterval: '8d' }), ['plans[0].schedule.minInterval: "8d" is out of bounds; use a duration between 1m and 7d']);
  assert.deepEqual(problems({ onMount: '/m', minInterval: 'hourly' }), ['plans[0].schedule.minInterval: "hourly" is not a duration (try "10m")']);
  assert.deepEqual(problems({ cron: '0 * * * *', minInterval: '1h' }), [
    'plans[0].schedule.minInterval: only goes with "onMount" (the least time between two drive-arrival runs); add "onMount" or remove it',
  ]);
  assert.deepEqual(problems({ onMount: '/m', delay: '1h' }), ['plans[0].schedule.delay: is not a setting Lifeboat knows; remove it or check its spelling']);
  // The bounds themselves are accepted.
  for (const minInterval of ['1m', '7d']) {
    const result = validateConfig({
      version: 1,
      repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
      plans: [{ id: 'p', repository: 'r', sources: ['/p'], schedule: { onMount: '/m', minInterval } }],
    });
    assert.ok(result.ok, minInterval);
  }
});

test('findmnt raw lines: escapes undone, anything else ignored', () => {
  assert.deepEqual(parseFindmntLine('mount /media/me/usb\\x20drive'), { action: 'mount', target: '/media/me/usb drive' });
  assert.deepEqual(parseFindmntLine('umount /media/\\xc3\\xa9t\\xc3\\xa9\\x5cx\\x0ay'), { action: 'umount', target: '/media/été\\x\ny' });
  assert.equal(parseFindmntLine('ACTION TARGET'), undefined);
  assert.equal(parseFindmntLine('mount'), undefined);
  assert.equal(parseFindmntLine('mount relative/path'), undefined);
});

test('schedule.preview words drive arrival, and says so where it cannot work', async (t) => {
  const dir = await tempDir(t);
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ version: 1, repositories: [{ id: 'r', url: join(dir, 'repo'), passwordEnv: 'P' }], plans: [] }));
  const engine = await Engine.open({ configFile, dataDir: join(dir, 'data') });
  const why = 'drive arrival is not supported here (darwin); use cron or every';
  const scheduler = new Scheduler({
    plans: () => engine.config.plans,
    run: (planId, trigger, signal) => engine.execute(planId, { trigger, signal }),
    state: engine.planState,
    pause: engine.pauseStore,
    clock: systemClock,
    mountEvents: unsupportedMountEvents(why),
  });
  const api = createApi({ engine, scheduler, version: 'test', desktop: false });
  const arrival = await api.call('schedule.preview', { schedule: { onMount: '/media/me/usb', minInterval: '2h' } });
  assert.deepEqual(arrival, { sentence: `When /media/me/usb is mounted, at most once every 2 h (${why})`, next: [], problems: [] });
  const timed = await api.call('schedule.preview', { schedule: { every: '6h' } });
  assert.equal(timed.sentence, 'Every 6 h after the last run', 'no notice without onMount');
  const wrong = await api.call('schedule.preview', { schedule: { onMount: 'usb' } });
  assert.deepEqual(
    wrong.problems.map((p) => `${p.path}: ${p.message}`),
    ['onMount: "usb" is a relative path; write the mount folder from the root, e.g. "/media/me/usb"'],
  );
});
