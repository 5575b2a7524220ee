import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { drawnText, openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test('in a real browser: the plan card says "restore verified 3/3", and the plan editor sets verify.every and verify.sample with their bounds', {
  skip: skipBrowser(),
  timeout: 120_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'docs');
  await mkdir(source);
  for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(source, name), `${name}\n`);
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  const verify = await lifeboatHere(setup, 'verify', 'docs');
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);

  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    const card = page.getByRole('article', { name: 'Documents' });
    await card.getByText('Restore check').waitFor();
    assert.match(await drawnText(card.locator('.plan-verify')), /^restore verified 3\/3, just now$/);

    await card.getByRole('link', { name: 'Edit plan & hooks' }).click();
    await page.getByRole('heading', { name: /Plan: Documents/ }).waitFor();
    await page.getByLabel('Check a restore every').fill('12h');
    await page.getByRole('alert').getByText('"12h" is out of bounds; use a duration between 1d and 366d', { exact: true }).waitFor();
    await page.getByLabel('Check a restore every').fill('30d');
    await page.getByLabel('Files sampled').fill('1001');
    await page.getByRole('alert').getByText('must be at most 1000 files (a spot check, not a full restore)', { exact: true }).waitFor();
    await page.getByLabel('Files sampled').fill('7');
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByRole('status').getByText('Saved.').waitFor({ timeout: 60_000 });
    const saved = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.deepEqual(saved.plans[0].verify, { every: '30d', sample: 7 });

    await page.getByLabel('Files sampled').fill('');
    await page.getByLabel('Check a restore every').fill('');
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByRole('status').getByText('Saved.').waitFor({ timeout: 60_000 });
    assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).plans[0].verify, undefined, 'emptied: no automatic checks');
    assert.deepEqual(errors, []);
  } catch (error) {
    await report(error);
  }
});
