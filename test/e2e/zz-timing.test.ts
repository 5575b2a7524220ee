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
  const T0 = Date.now(); const mark = (w: string) => console.log(`@@ ${((Date.now()-T0)/1000).toFixed(2)} ${w}`);
  const root = await tempDir(t);
  mark('const root = await tempDir(t);');
  const setup = await writeSetup(root, [
    // A manual plan watched by its alertAfter, first seen 3 hours ago and never backed up.
    { id: 'docs', name: 'Documents <b>"quoted"</b>', sources: [join(root, 'docs')], schedule: null, alertAfter: '2h' },
    { id: 'photos', name: 'Photos', sources: [join(root, 'photos')], schedule: { cron: '0 3 * * *' } },
  ]);
  await mkdir(setup.dataDir, { recursive: true });
  mark('await mkdir(setup.dataDir, { recursive: true });');
  await writeFile(join(setup.dataDir, 'plan-state.json'), JSON.stringify({ docs: { firstSeenAt: new Date(Date.now() - 3 * 3_600_000).toISOString() } }));
  mark("await writeFile(join(setup.dataDir, 'plan-state.json'), JSON");
  const served = await startServe(t, setup);
  mark('const served = await startServe(t, setup);');
  const { page, errors, report } = await openBrowser(t, served);
  mark('const { page, errors, report } = await openBrowser(t, served');
  try {
    const banner = page.locator('.stale-banner');
  mark("const banner = page.locator('.stale-banner');");
    await banner.waitFor();
  mark('await banner.waitFor();');
    assert.equal(await banner.count(), 1, 'only the stale plan');
  mark("assert.equal(await banner.count(), 1, 'only the stale plan')");
    assert.match(await banner.innerText(), /^Documents <b>"quoted"<\/b>: no backup for 3 hours — last: no run yet\./);
  mark('assert.match(await banner.innerText(), /^Documents <b>"quote');
    assert.equal(await page.locator('.stale-banner b').count(), 0, 'a name is text, never markup');
  mark("assert.equal(await page.locator('.stale-banner b').count(), ");

    const { body } = await served.call('plans.snooze', { plan: 'photos' });
  mark("const { body } = await served.call('plans.snooze', { plan: '");
    const until = new Date(body.until as string);
  mark('const until = new Date(body.until as string);');
    await page.reload();
  mark('await page.reload();');
    const snoozed = page.locator('.plan-snoozed');
  mark("const snoozed = page.locator('.plan-snoozed');");
    await snoozed.waitFor();
  mark('await snoozed.waitFor();');
    assert.match(await snoozed.innerText(), /^snoozed until /);
  mark('assert.match(await snoozed.innerText(), /^snoozed until /);');
    assert.equal((await served.call('plans.list')).body.find((plan: { id: string }) => plan.id === 'photos').snoozedUntil, until.toISOString());
  mark("assert.equal((await served.call('plans.list')).body.find((pl");
    await snoozed.getByRole('button', { name: 'End snooze' }).click();
  mark("await snoozed.getByRole('button', { name: 'End snooze' }).cl");
    await snoozed.waitFor({ state: 'detached' });
  mark("await snoozed.waitFor({ state: 'detached' });");
    assert.equal((await served.call('plans.list')).body.find((plan: { id: string }) => plan.id === 'photos').snoozedUntil, null);
  mark("assert.equal((await served.call('plans.list')).body.find((pl");

    await banner.getByRole('button', { name: 'Back up now' }).click();
  mark("await banner.getByRole('button', { name: 'Back up now' }).cl");
    const runs = async () => (await served.call('history.list', { plan: 'docs' })).body as Array<{ trigger: string }>;
  mark("const runs = async () => (await served.call('history.list', ");
    await waitFor(async () => (await runs()).length > 0, 'the run');
  mark("await waitFor(async () => (await runs()).length > 0, 'the ru");
    assert.equal((await runs())[0]!.trigger, 'manual', 'Back up now in the banner started a run');
  mark("assert.equal((await runs())[0]!.trigger, 'manual', 'Back up ");
    assert.deepEqual(errors, []);
  mark('assert.deepEqual(errors, []);');
  } catch (error) {
    await report(error);
  mark('await report(error);');
  }
});
