import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { trayState } from '../../main/electron/tray-state.ts';
import { hasDesktopTools } from '../helpers/desktop-session.ts';
import { httpRecorder } from '../helpers/http-recorder.ts';
import { lifeboatOnFakeClock, sharedRepository } from '../helpers/lifeboat-on-fake-clock.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const tools = hasDesktopTools();
const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let shared: string;
before(async () => {
  shared = await sharedRepository();
});
after(() => rm(shared, { recursive: true, force: true }));

const lifeboatAt = (t: TestContext, root: string, plans: Array<Record<string, unknown>>) => lifeboatOnFakeClock(t, root, shared, T0, plans);

test('skipped runs for alertAfter raise one alarm: a notification with Back up now, one monitor fail ping, the tray warns; Back up now clears it', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const root = await tempDir(t);
  const monitor = await httpRecorder();
  t.after(() => monitor.close());
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const onBattery = join(root, 'on-battery');
  await writeFile(onBattery, '');
  const lifeboat = await lifeboatAt(t, root, [
    {
      id: 'docs',
      name: 'Documents',
      sources: [source],
      schedule: { every: '3h' },
      alertAfter: '5h',
      hooks: [
        {
          id: 'power',
          on: ['run.start'],
          script: { inline: `#!/bin/sh\nif [ -e '${onBattery}' ]; then echo 'On battery'; exit 75; fi\n` },
        },
      ],
      monitors: [{ type: 'healthchecks', url: `${monitor.url}/ping/abc` }],
    },
  ]);
  const { server } = lifeboat;
  const fails = () => monitor.requests.filter((request) => request.path === '/ping/abc/fail');
  const plansNow = () => lifeboat.app.api.call('plans.list', {});

  await lifeboat.app.clock.advance(4 * HOUR + 59 * MIN);
  assert.equal(server.calls.length, 0, 'not stale yet: nothing told');
  assert.equal((await plansNow())[0]!.stale, null);

  await lifeboat.app.clock.advance(MIN);
  const history = await lifeboat.app.engine.history.list({ plan: 'docs' });
  assert.ok(history.length === 2 && history.every((run) => run.status === 'skipped'), history.map((run) => run.status).join(' '));
  assert.equal(server.calls.length, 1, 'one alarm');
  assert.equal(server.calls[0]!.summary, 'Documents: no backup for 5 hours');
  assert.equal(server.calls[0]!.body, 'Last: skipped, on battery');
  assert.deepEqual(server.calls[0]!.actions, ['default', 'Open Lifeboat', 'back-up-now', 'Back up now']);
  await waitFor(() => fails().length === 1, 'the monitor fail ping');
  assert.equal(fails()[0]!.body, 'Documents: no backup for 5 hours — last: skipped, on battery');
  const plans = await plansNow();
  assert.deepEqual(plans[0]!.stale, {
    since: T0.toISOString(),
    lastReason: 'skipped, on battery',
    sentence: 'Documents: no backup for 5 hours — last: skipped, on battery',
  });
  const tray = trayState(plans, null, lifeboat.app.clock.now());
  assert.equal(tray.icon, 'warning');
  assert.equal(tray.statusLine, 'Documents: no backup for 5 hours — last: skipped, on battery');

  // Still stale, more skips: not told again within a day.
  await lifeboat.app.clock.advance(18 * HOUR);
  await lifeboat.app.engine.flushMonitors();
  assert.equal(server.calls.length, 1, 'no second alarm within a day');
  assert.equal(fails().length, 1, 'no second fail ping within a day');
  const kept = JSON.parse(await readFile(join(lifeboat.setup.dataDir, 'plan-state.json'), 'utf8')) as Record<string, { staleAlarmAt?: string }>;
  assert.equal(kept.docs!.staleAlarmAt, new Date(T0.getTime() + 5 * HOUR).toISOString(), 'remembered in the data dir');

  // Back on mains; Back up now from the alarm makes a backup, and the alarm is over.
  await rm(onBattery);
  server.invoke(1, 'back-up-now');
  await waitFor(async () => (await lifeboat.app.engine.history.list({ plan: 'docs', limit: 1 }))[0]?.status === 'success', 'the backup');
  const [backup] = await lifeboat.app.engine.history.list({ plan: 'docs', limit: 1 });
  assert.equal(backup!.trigger, 'manual');
  const fine = await plansNow();
  assert.equal(fine[0]!.stale, null);
  assert.notEqual(trayState(fine, null, lifeboat.app.clock.now()).icon, 'warning');
  await lifeboat.app.scheduler.idle(); // the run has ended and the timer is set anew
  await lifeboat.app.clock.advance(10 * MIN); // the scheduler's next wake looks again
  const cleared = JSON.parse(await readFile(join(lifeboat.setup.dataDir, 'plan-state.json'), 'utf8')) as Record<string, { staleAlarmAt?: string }>;
  assert.equal(cleared.docs!.staleAlarmAt, undefined, 'a success clears the alarm');
});

test('the app closed for a week raises the alarm the moment it starts, once', { skip: !tools && 'dbus is missing', timeout: 60_000 }, async (t) => {
  const root = await tempDir(t);
  // A daily plan (default alertAfter: 3 days) first seen at T0; the app is closed right after, for a week (no catch-up run).
  const lifeboat = await lifeboatAt(t, root, [
    { id: 'docs', name: 'Documents', sources: [join(root, 'src')], schedule: { cron: '0 2 * * *', timezone: 'UTC' }, catchUp: false },
  ]);
  assert.equal(lifeboat.server.calls.length, 0);
  assert.equal((await lifeboat.app.api.call('plans.list', {}))[0]!.stale, null);

  const weekLater = new Date(T0.getTime() + 7 * DAY + HOUR);
  await lifeboat.restart(weekLater);
  assert.deepEqual(
    lifeboat.server.calls.map((call) => `${call.summary} / ${call.body}`),
    ['Documents: no backup for 7 days / Last: no run yet'],
  );
  assert.equal((await lifeboat.app.api.call('plans.list', {}))[0]!.stale?.since, T0.toISOString());

  // Opened again an hour later: told within the day already.
  await lifeboat.restart(new Date(weekLater.getTime() + HOUR));
  const alarms = () => lifeboat.server.calls.filter((call) => call.summary.startsWith('Documents: no backup')).map((call) => call.summary);
  assert.deepEqual(alarms(), ['Documents: no backup for 7 days']);
  // A day after the alarm, still stale: told again (once a day at most).
  await lifeboat.app.clock.advance(DAY);
  assert.deepEqual(alarms(), ['Documents: no backup for 7 days', 'Documents: no backup for 8 days']);
});

test('alertAfter is a duration from 1h to 366d; the plan editor field takes it', async () => {
  const { validateConfig } = await import('../../main/core/config/validate.ts');
  const config = (alertAfter: unknown) => ({
    version: 1,
    repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
    plans: [{ id: 'p', repository: 'r', sources: ['/p'], alertAfter }],
  });
  for (const good of ['1h', '3d', '366d', '90m']) assert.equal(validateConfig(config(good)).ok, true, good);
  const problem = (value: unknown) => {
    const result = validateConfig(config(value));
    assert.equal(result.ok, false, String(value));
    return result.ok ? '' : result.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  };
  assert.equal(problem('59m'), 'plans[0].alertAfter: "59m" is out of bounds; use a duration between 1h and 366d');
  assert.equal(problem('367d'), 'plans[0].alertAfter: "367d" is out of bounds; use a duration between 1h and 366d');
  assert.match(problem('3 days'), /^plans\[0\]\.alertAfter: "3 days" is not a duration/);
  assert.match(problem(3), /^plans\[0\]\.alertAfter: /);
  assert.match(problem('$(reboot)'), /^plans\[0\]\.alertAfter: "\$\(reboot\)" is not a duration/);
});
