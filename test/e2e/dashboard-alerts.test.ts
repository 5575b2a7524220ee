import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test('the dashboard shows a stale plan as a banner with Back up now, and a snoozed plan with its end and End snooze', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    // A manual plan watched by its alertAfter, first seen 3 hours ago and never backed up.
    { id: 'docs', name: 'Documents <b>"quoted"</b>', sources: [join(root, 'docs')], schedule: null, alertAfter: '2h' },
    { id: 'photos', name: 'Photos', sources: [join(root, 'photos')], schedule: { cron: '0 3 * * *' } },
  ]);
  await mkdir(setup.dataDir, { recursive: true });
  await writeFile(join(setup.dataDir, 'plan-state.json'), JSON.stringify({ docs: { firstSeenAt: new Date(Date.now() - 3 * 3_600_000).toISOString() } }));
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    const banner = page.locator('.stale-banner');
    await banner.waitFor();
    assert.equal(await banner.count(), 1, 'only the stale plan');
    assert.match(await banner.innerText(), /^Documents <b>"quoted"<\/b>: no backup for 3 hours — last: no run yet\./);
    assert.equal(await page.locator('.stale-banner b').count(), 0, 'a name is text, never markup');

    const { body } = await served.call('plans.snooze', { plan: 'photos' });
    const until = new Date(body.until as string);
    await page.reload();
    const snoozed = page.locator('.plan-snoozed');
    await snoozed.waitFor();
    assert.match(await snoozed.innerText(), /^snoozed until /);
    assert.equal((await served.call('plans.list')).body.find((plan: { id: string }) => plan.id === 'photos').snoozedUntil, until.toISOString());
    await snoozed.getByRole('button', { name: 'End snooze' }).click();
    await snoozed.waitFor({ state: 'detached' });
    assert.equal((await served.call('plans.list')).body.find((plan: { id: string }) => plan.id === 'photos').snoozedUntil, null);

    await banner.getByRole('button', { name: 'Back up now' }).click();
    const runs = async () => (await served.call('history.list', { plan: 'docs' })).body as Array<{ trigger: string }>;
    await waitFor(async () => (await runs()).length > 0, 'the run');
    assert.equal((await runs())[0]!.trigger, 'manual', 'Back up now in the banner started a run');
    assert.deepEqual(errors, []);
  } catch (error) {
    await report(error);
  }
});
