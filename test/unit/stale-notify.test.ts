import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DesktopNotification } from '../../main/core/notify/message.ts';
import { staleRequest } from '../../main/core/notify/monitors.ts';
import { NotificationCenter } from '../../main/core/notify/notification-center.ts';
import type { Notifier } from '../../main/core/platform/platform.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const SENTENCE = 'Documents: no backup for 4 days — last: skipped, on battery';
const plan = testPlan('docs', null, { name: 'Documents', notifications: { desktop: ['failure'], enabled: true } });

test('the staleness alarm reaches each kind of monitor as a failure', () => {
  assert.deepEqual(staleRequest({ type: 'healthchecks', url: 'https://hc.example/ping/abc/' }, plan, SENTENCE), {
    url: 'https://hc.example/ping/abc/fail',
    headers: {},
    body: SENTENCE,
  });
  assert.deepEqual(staleRequest({ type: 'ntfy', url: 'https://ntfy.example/backups', token: 'tk' }, plan, SENTENCE), {
    url: 'https://ntfy.example/backups',
    headers: { Title: 'No backup lately: Documents', Priority: 'high', Tags: 'warning', Authorization: 'Bearer tk' },
    body: SENTENCE,
  });
  const hook = staleRequest({ type: 'webhook', url: 'https://hook.example/', headers: { 'X-Key': 'k' } }, plan, SENTENCE);
  assert.deepEqual(hook.headers, { 'Content-Type': 'application/json', 'X-Key': 'k' });
  assert.deepEqual(JSON.parse(hook.body), { plan: 'docs', run: null, status: 'stale', reason: SENTENCE, summary: null });
});

test('a snoozed plan shows no notification, neither for a run nor for staleness; notifications off means no alarm on the desktop', async (t) => {
  const dir = await tempDir(t);
  const shown: DesktopNotification[] = [];
  const notifier: Notifier = { notify: async (notification) => void shown.push(notification) };
  let snoozed = true;
  let notifications = true;
  const center = new NotificationCenter({
    notifier,
    state: new PlanStateStore(join(dir, 'plan-state.json')),
    settings: () => ({ notifications }) as never,
    now: () => new Date('2026-11-21T10:00:00Z'),
    silenced: () => snoozed,
  });
  const failed = { id: 'r1', plan: 'docs', status: 'failure', reason: 'Disk full.', steps: [], snapshotId: null, summary: null } as unknown as RunRecord;
  const stale = { since: '2026-11-17T10:00:00Z', lastReason: 'skipped, on battery' };
  assert.equal(await center.afterRun(plan, failed), undefined);
  assert.equal(await center.staleAlarm(plan, stale), undefined);
  assert.equal(shown.length, 0);
  snoozed = false;
  assert.equal((await center.afterRun(plan, { ...failed, reason: 'Disk still full.' }))?.title, 'Backup failed — Documents');
  const alarm: DesktopNotification | undefined = await center.staleAlarm(plan, stale);
  assert.equal(alarm?.title, 'Documents: no backup for 4 days');
  notifications = false;
  assert.equal(await center.staleAlarm(plan, stale), undefined);
  assert.deepEqual(
    shown.map((notification) => notification.title),
    ['Backup failed — Documents', 'Documents: no backup for 4 days'],
  );
});

test('lifeboat plans says which plan is snoozed and which has gone without a backup', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [join(root, 'docs')], schedule: null, alertAfter: '1h' },
    { id: 'photos', name: 'Photos', sources: [join(root, 'photos')], schedule: null },
  ]);
  await mkdir(setup.dataDir, { recursive: true });
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
  await writeFile(join(setup.dataDir, 'plan-state.json'), JSON.stringify({ docs: { firstSeenAt: hoursAgo(5) }, photos: { firstSeenAt: hoursAgo(5) } }));
  await writeFile(join(setup.dataDir, 'snooze.json'), JSON.stringify({ plans: { photos: new Date(Date.now() + 3_000_000).toISOString() } }));
  const result = await lifeboatHere(setup, 'plans');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\nPhotos is snoozed until .+\.\n/);
  assert.match(result.stdout, /\nDocuments: no backup for 5 hours — last: no run yet\.\n/);
  const json = await lifeboatHere(setup, 'plans', '--json');
  assert.deepEqual(Object.keys(JSON.parse(json.stdout)[0]).sort(), ['id', 'lastRun', 'name', 'nextRun', 'repository'], 'the SPEC shape stays');
});
