import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test("in a real browser: a restore into a folder that is not empty is refused in the dialog's own words (a folder, the original location), with no command-line flag", {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'Papers');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'notes.txt'), 'notes\n');
  const full = join(root, 'full');
  await mkdir(full);
  await writeFile(join(full, 'precious.txt'), 'mine\n');
  const setup = await writeSetup(root, [{ id: 'papers', name: 'Papers', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'papers')).code, 0);

  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    await page.goto(`${served.base}#/snapshots?plan=papers`);
    await page.getByRole('heading', { name: 'Snapshots' }).waitFor();
    await page.getByRole('list', { name: 'Snapshots' }).getByRole('button').first().click();
    await page.getByLabel('Select notes.txt').check();
    await page.getByLabel('Restore into').fill(full);
    await page.getByRole('button', { name: 'Restore selected' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor({ timeout: 30_000 });
    const text = await refusal.innerText();
    assert.match(text, /is not empty/);
    assert.match(text, /empty folder to restore into, or restore to the original location/);
    assert.doesNotMatch(text, /--/, text);
    assert.deepEqual(await readdir(full), ['precious.txt'], 'nothing was restored there');
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
