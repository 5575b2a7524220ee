import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const fake = await import('../helpers/fake-electron.ts');
const { ElectronNotifier } = await import('../../main/electron/notifications.ts');
const { connectNotificationActions, runRoute } = await import('../../main/api/notification-actions.ts');
const { createApi } = await import('../../main/api/router.ts');
const { Engine } = await import('../../main/core/engine.ts');
const { notificationFor, staleNotification } = await import('../../main/core/notify/message.ts');

type Choice = Parameters<Parameters<InstanceType<typeof ElectronNotifier>['onChoice']>[0]>[0];

const failed = notificationFor('failure', 'Documents', {
  id: 'R1',
  plan: 'documents',
  reason: 'The disk is full.',
  snapshotId: null,
  summary: null,
} as unknown as Parameters<typeof notificationFor>[2]);

for (const platform of ['darwin', 'win32'] as const) {
  test(`on ${platform} a failure notification shows Retry now, Snooze 1 h and Open log, and a press is heard as that choice`, async () => {
    const opened: string[] = [];
    const choices: Choice[] = [];
    const notifier = new ElectronNotifier((runId) => opened.push(runId), platform);
    notifier.onChoice((choice) => choices.push(choice));
    await notifier.notify(failed);
    const shown = fake.recorded.notifications.at(-1)!;
    assert.deepEqual(shown.options.actions, [
      { type: 'button', text: 'Retry now' },
      { type: 'button', text: 'Snooze 1 h' },
      { type: 'button', text: 'Open log' },
    ]);
    shown.emit('action', { actionIndex: 0 }, 0);
    shown.emit('action', { actionIndex: 1 }, 1);
    shown.emit('action', { actionIndex: 2 }, 2);
    shown.emit('action', { actionIndex: 7 }, 7); // no such button: nothing
    assert.deepEqual(
      choices.map((choice) => choice.action),
      ['retry', 'snooze', 'open-log'],
    );
    assert.ok(choices.every((choice) => choice.planId === 'documents' && choice.runId === 'R1'));
    shown.emit('click');
    assert.deepEqual(opened, ['R1'], 'a click still opens the run');
  });
}

test('on Linux the app shows no buttons: a click opens the run, or the dashboard for a staleness alarm', async () => {
  const opened: string[] = [];
  const notifier = new ElectronNotifier((runId) => opened.push(runId), 'linux');
  await notifier.notify(failed);
  const shown = fake.recorded.notifications.at(-1)!;
  assert.equal(shown.options.actions, undefined);
  shown.emit('click');
  const stale = staleNotification(
    'documents',
    'Documents',
    { since: '2026-11-17T10:00:00Z', lastReason: 'skipped, on battery' },
    new Date('2026-11-21T11:00:00Z'),
  );
  await notifier.notify(stale);
  const alarm = fake.recorded.notifications.at(-1)!;
  assert.equal(alarm.options.title, 'Documents: no backup for 4 days');
  assert.equal(alarm.options.body, 'Last: skipped, on battery');
  alarm.emit('click');
  assert.deepEqual(opened, ['R1', '']);
  assert.deepEqual(opened.map(runRoute), ['/history/R1', '/']);
});

test('a button pressed in the app goes through the API: Retry now records a retry run, Snooze 1 h snoozes the plan, Back up now runs it', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'documents', name: 'Documents', sources: [join(root, 'missing')] }]);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const scheduler = engine.createScheduler();
  t.after(() => scheduler.stop());
  const api = createApi({ engine, scheduler, version: 'test', desktop: true });
  const opened: string[] = [];
  const notifier = new ElectronNotifier((runId) => opened.push(runId), 'darwin');
  connectNotificationActions(api, notifier, { openRun: (runId) => void opened.push(runId) });

  await notifier.notify(failed);
  const shown = fake.recorded.notifications.at(-1)!;
  shown.emit('action', { actionIndex: 1 }, 1); // Snooze 1 h
  await waitFor(async () => (await api.call('plans.list', {}))[0]!.snoozedUntil !== null, 'the snooze');
  shown.emit('action', { actionIndex: 0 }, 0); // Retry now
  await waitFor(async () => (await engine.history.list({ plan: 'documents' })).some((run) => run.status !== 'running'), 'the retry run');
  const [retry] = await engine.history.list({ plan: 'documents' });
  assert.equal(retry!.trigger, 'retry');
  assert.equal((await api.call('plans.list', {}))[0]!.snoozedUntil, null, 'acting on the plan ends its snooze');
  shown.emit('action', { actionIndex: 2 }, 2); // Open log
  await waitFor(() => opened.length === 1, 'the log');
  assert.deepEqual(opened, ['R1']);

  const stale = staleNotification('documents', 'Documents', { since: '2026-11-17T10:00:00Z', lastReason: 'failure, the disk is full' }, new Date());
  await notifier.notify(stale);
  const alarm = fake.recorded.notifications.at(-1)!;
  assert.deepEqual(alarm.options.actions, [{ type: 'button', text: 'Back up now' }]);
  await scheduler.idle();
  alarm.emit('action', { actionIndex: 0 }, 0);
  await waitFor(async () => (await engine.history.list({ plan: 'documents' })).filter((run) => run.status !== 'running').length === 2, 'the backup');
  assert.equal((await engine.history.list({ plan: 'documents' }))[0]!.trigger, 'manual');
});
