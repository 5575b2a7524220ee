import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { hasDesktopTools } from '../helpers/desktop-session.ts';
import { lifeboatOnFakeClock, sharedRepository } from '../helpers/lifeboat-on-fake-clock.ts';
import { tempDir } from '../helpers/temp.ts';

const tools = hasDesktopTools();
const T0 = new Date('2026-11-21T10:00:00Z');
const MIN = 60_000;

let shared: string;
before(async () => {
  shared = await sharedRepository();
});
after(() => rm(shared, { recursive: true, force: true }));

const lifeboatAt = (t: TestContext, root: string, plans: Array<Record<string, unknown>>) => lifeboatOnFakeClock(t, root, shared, T0, plans);

test('Snooze 1 h holds the next scheduled run an hour and silences the plan, and survives a restart', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const root = await tempDir(t);
  // Every run of this plan fails quickly (its folder is missing) and would notify.
  const lifeboat = await lifeboatAt(t, root, [
    { id: 'docs', name: 'Documents', sources: [join(root, 'missing')], schedule: { cron: '0 * * * *', timezone: 'UTC' }, catchUp: true },
  ]);
  const runs = async () => (await lifeboat.app.engine.history.list({ plan: 'docs' })).map((run) => `${run.trigger} ${run.startedAt.slice(11, 16)}`).reverse();
  await lifeboat.app.clock.advance(20 * MIN); // 10:20
  const { until } = await lifeboat.app.api.call('plans.snooze', { plan: 'docs' });
  assert.equal(until, '2026-11-21T11:20:00.000Z');
  const listed = (await lifeboat.app.api.call('plans.list', {}))[0]!;
  assert.equal(listed.snoozedUntil, until);
  assert.equal(listed.nextRuns[0], until, 'the 11:00 run moves to the snooze end');

  // Closed and opened again at 10:30: the snooze is still there.
  await lifeboat.restart(new Date('2026-11-21T10:30:00Z'));
  assert.equal((await lifeboat.app.api.call('plans.list', {}))[0]!.snoozedUntil, until);
  await lifeboat.app.clock.advance(49 * MIN); // 11:19
  assert.deepEqual(await runs(), [], 'nothing ran during the snooze');
  await lifeboat.app.clock.advance(MIN); // 11:20
  assert.deepEqual(await runs(), ['catch-up 11:20'], 'the held slot runs once when the snooze ends');
  const failureTold = lifeboat.server.calls.filter((call) => call.summary === 'Backup failed — Documents');
  assert.equal(failureTold.length, 1, 'told after the snooze');

  // Snoozed again from that notification: the retries and the next slot wait, and nothing is told.
  const snoozed = new Promise<void>((resolve) => lifeboat.app.api.subscribe((event) => event.name === 'status.changed' && resolve()));
  lifeboat.server.invoke(lifeboat.server.calls.indexOf(failureTold[0]!) + 1, 'snooze');
  await snoozed; // plans.snooze has set the timer anew
  assert.equal((await lifeboat.app.api.call('plans.list', {}))[0]!.snoozedUntil, '2026-11-21T12:20:00.000Z');
  await lifeboat.app.clock.advance(59 * MIN); // 12:19
  assert.deepEqual(await runs(), ['catch-up 11:20']);
  await lifeboat.app.clock.advance(MIN);
  assert.deepEqual(await runs(), ['catch-up 11:20', 'catch-up 12:20'], 'the held slot runs at 12:20');
});
