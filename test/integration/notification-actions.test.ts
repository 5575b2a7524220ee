import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import { connectNotificationActions } from '../../main/api/notification-actions.ts';
import { createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { desktopSession, hasDesktopTools } from '../helpers/desktop-session.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { fakeNotificationServer, privateBus } from '../helpers/notification-server.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);
const tools = hasDesktopTools();

/** One restic repository for the whole file. */
let shared: string;
before(async () => {
  shared = await mkdtemp(join(tmpdir(), 'lifeboat-actions-repo-'));
  const setup = await writeSetup(shared, []);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  await engine.initRepository('local');
});
after(() => rm(shared, { recursive: true, force: true }));

/** The engine, its scheduler and the API in this process, notifications going to the bus in `env`. */
async function lifeboatOn(t: TestContext, root: string, env: NodeJS.ProcessEnv, plans: Array<Record<string, unknown>>) {
  const setup = await writeSetup(root, plans, { url: join(shared, 'repo') });
  const engine = await Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env, RESTIC_CACHE_DIR: join(shared, 'cache'), ...env },
  });
  const scheduler = engine.createScheduler();
  const api = createApi({ engine, scheduler, version: 'test', desktop: false });
  const opened: Array<{ runId: string; planId: string }> = [];
  const told: string[] = [];
  connectNotificationActions(api, engine.platform.notifier, {
    openRun: (runId, planId) => void opened.push({ runId, planId }),
    log: (line) => told.push(line),
  });
  await scheduler.start();
  t.after(async () => {
    await scheduler.stop();
    await engine.platform.notifier.close?.();
    await engine.flushMonitors();
  });
  const runsOf = async (plan: string) => (await engine.history.list({ plan })).filter((record) => record.status !== 'running');
  return { engine, scheduler, api, opened, told, runsOf, setup };
}

test('Retry now, Snooze 1 h and Open log on a failure notification in dunst each go through the API', {
  skip: !tools && 'Xvfb, dunst, dbus or notify-send is missing',
  timeout: 60_000,
}, async (t) => {
  const root = await tempDir(t);
  // dunst's context menu asks "dmenu" which action to take: this one picks the line named in `pick`.
  const pick = join(root, 'pick');
  const menu = join(root, 'menu.sh');
  await writeFile(menu, `#!/bin/sh\ngrep -F -- "$(cat '${pick}')" | head -n 1\n`);
  await chmod(menu, 0o755);
  const dunstrc = join(root, 'dunstrc');
  await writeFile(dunstrc, `[global]\n    dmenu = ${menu}\n    notification_limit = 0\n`);
  const desktop = await desktopSession(t, { dunstArgs: ['-config', dunstrc] });
  const docsSource = join(root, 'docs');
  const { api, engine, opened, runsOf } = await lifeboatOn(t, join(root, 'app'), desktop.env, [
    { id: 'docs', name: 'Documents', sources: [docsSource] },
    { id: 'photos', name: 'Photos', sources: [join(root, 'no-photos')] },
    { id: 'music', name: 'Music', sources: [join(root, 'no-music')] },
  ]);
  const choose = async (line: string) => {
    await writeFile(pick, line);
    await run('dunstctl', ['context'], { env: { ...process.env, ...desktop.env } });
  };

  // Documents fails: its notification carries the three buttons.
  await api.call('plans.run', { plan: 'docs' });
  await waitFor(async () => (await desktop.notifyCalls()).some((call) => call.includes('Backup failed — Documents')), 'the failure notification');
  const call = (await desktop.notifyCalls()).find((text) => text.includes('Backup failed — Documents'))!;
  for (const text of ['"retry"', '"Retry now"', '"snooze"', '"Snooze 1 h"', '"open-log"', '"Open log"'])
    assert.ok(call.includes(`string ${text}`), `${text} in\n${call}`);

  // The folder is back; Retry now from the notification runs the plan again, recorded as a retry.
  await mkdir(docsSource);
  await writeFile(join(docsSource, 'a.txt'), 'a\n');
  await choose('Retry now (Backup failed — Documents)');
  await waitFor(async () => (await runsOf('docs')).length === 2, 'the retry run');
  const [retry, first] = await runsOf('docs');
  assert.equal(first!.trigger, 'manual');
  assert.equal(first!.status, 'failure');
  assert.equal(retry!.trigger, 'retry');
  assert.equal(retry!.status, 'success', retry!.reason ?? '');

  // Snooze 1 h from Photos' notification: kept, and shown in plans.list.
  await api.call('plans.run', { plan: 'photos' });
  await waitFor(async () => (await desktop.notifyCalls()).some((text) => text.includes('Backup failed — Photos')), 'the Photos notification');
  await choose('Snooze 1 h (Backup failed — Photos)');
  const snoozeFile = join(engine.dataDir, 'snooze.json');
  await waitFor(async () => (await readFile(snoozeFile, 'utf8').catch(() => '')).includes('"photos"'), 'Photos snoozed and kept');
  const photos = (await api.call('plans.list', {})).find((plan) => plan.id === 'photos')!;
  assert.ok(photos.snoozedUntil && Date.parse(photos.snoozedUntil) - Date.now() > 59 * 60_000, `snoozed about an hour: ${photos.snoozedUntil}`);
  const kept = JSON.parse(await readFile(snoozeFile, 'utf8')) as { plans: Record<string, string> };
  assert.equal(kept.plans.photos, photos.snoozedUntil);

  // Open log from Music's notification opens that run.
  await api.call('plans.run', { plan: 'music' });
  await waitFor(async () => (await desktop.notifyCalls()).some((text) => text.includes('Backup failed — Music')), 'the Music notification');
  await choose('Open log (Backup failed — Music)');
  await waitFor(() => opened.length === 1, 'the log opened');
  const [musicRun] = await runsOf('music');
  assert.deepEqual(opened, [{ runId: musicRun!.id, planId: 'music' }]);
});

test('a notification server without the actions capability gets plain notifications', {
  skip: !tools && 'dbus or notify-send is missing',
  timeout: 60_000,
}, async (t) => {
  const address = await privateBus(t);
  const server = await fakeNotificationServer(t, address, ['body', 'body-markup']);
  // The plain path (notify-send through node-notifier) reads the process's own environment.
  const before = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  t.after(() => {
    if (before === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = before;
  });
  const root = await tempDir(t);
  const { api, runsOf } = await lifeboatOn(t, root, { DBUS_SESSION_BUS_ADDRESS: address }, [{ id: 'docs', name: 'Documents', sources: [join(root, 'gone')] }]);
  await api.call('plans.run', { plan: 'docs' });
  await waitFor(() => server.calls.length === 1, 'the plain notification');
  assert.ok(server.capabilitiesAsked >= 1, 'the server was asked what it can do');
  assert.equal(server.calls[0]!.summary, 'Backup failed — Documents');
  assert.deepEqual(server.calls[0]!.actions, [], 'no buttons where the server shows none');
  assert.equal((await runsOf('docs')).length, 1);
});

test('on a server with actions, only the server itself can press a button: a signal from another bus client is ignored', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const address = await privateBus(t);
  const server = await fakeNotificationServer(t, address, ['actions', 'body']);
  const forger = await fakeNotificationServer(t, address, ['actions']); // not the name owner: its signals are not the server's
  const root = await tempDir(t);
  const source = join(root, 'missing');
  const { api, told, runsOf } = await lifeboatOn(t, root, { DBUS_SESSION_BUS_ADDRESS: address }, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  await api.call('plans.run', { plan: 'docs' });
  await waitFor(() => server.calls.length === 1, 'the notification with buttons');
  assert.deepEqual(server.calls[0]!.actions, ['retry', 'Retry now', 'snooze', 'Snooze 1 h', 'open-log', 'Open log']);
  // The forged press comes first on the bus; by the time the real one has acted, it was heard and ignored.
  forger.invoke(1, 'snooze');
  server.invoke(1, 'retry');
  await waitFor(async () => (await runsOf('docs')).length === 2, 'the retry');
  assert.equal((await runsOf('docs'))[0]!.trigger, 'retry');
  assert.deepEqual(told, ['docs: "retry" chosen on a notification'], 'the forged Snooze was not heard');
});

test('a server that reads markup gets the reason escaped: a path with <, > and & shows as written', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const address = await privateBus(t);
  const server = await fakeNotificationServer(t, address, ['actions', 'body', 'body-markup']);
  const root = await tempDir(t);
  const source = join(root, '<b>Tom & "Jerry"</b>\n$(reboot)');
  const { api } = await lifeboatOn(t, root, { DBUS_SESSION_BUS_ADDRESS: address }, [{ id: 'docs', name: 'Documents <i>', sources: [source] }]);
  await api.call('plans.run', { plan: 'docs' });
  await waitFor(() => server.calls.length === 1, 'the notification');
  assert.equal(server.calls[0]!.summary, 'Backup failed — Documents <i>', 'the summary is never markup');
  assert.match(server.calls[0]!.body, /&lt;b&gt;Tom &amp; \\"Jerry\\"&lt;\/b&gt;\\n\$\(reboot\)/);
  assert.ok(!/<b>|<\/b>/.test(server.calls[0]!.body));
});
