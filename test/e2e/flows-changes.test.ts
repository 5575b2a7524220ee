import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { drawnText, openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const exec = promisify(execFile);

test('in a real browser: the card says what the last backup changed, the run shows the size blame, Exclude… previews then saves, and two snapshots compare', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  // `npm run screenshots` keeps them in docs/screenshots; a test run keeps the tree clean.
  const shots = process.env.LIFEBOAT_SCREENSHOTS ? join(PROJECT_ROOT, process.env.LIFEBOAT_SCREENSHOTS) : join(root, 'screenshots');
  await mkdir(shots, { recursive: true });
  const source = join(root, 'Home');
  const raw = join(source, 'Videos', 'raw');
  await mkdir(raw, { recursive: true });
  await mkdir(join(source, 'Documents'));
  await writeFile(join(source, 'Documents', 'letter.txt'), 'Dear grandma,\n');
  await writeFile(join(source, 'Documents', 'old notes.txt'), randomBytes(4000));
  const setup = await writeSetup(root, [{ id: 'home', name: 'Home folder', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const first = JSON.parse((await lifeboatHere(setup, 'run', 'home', '--json')).stdout);
  assert.equal(first.status, 'success', first.reason);
  await writeFile(join(raw, 'holiday.mov'), randomBytes(600_000));
  await writeFile(join(raw, 'birthday "party" $(x).mov'), randomBytes(300_000));
  await writeFile(join(source, 'Documents', 'letter.txt'), 'Dear grandma,\nthe backups work.\n');
  await writeFile(join(source, 'Documents', 'tax.pdf'), randomBytes(20_000));
  const second = JSON.parse((await lifeboatHere(setup, 'run', 'home', '--json')).stdout);
  assert.equal(second.status, 'success', second.reason);

  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    // The card: lifeboat run did not wait for what it changed, and the dashboard never works it out;
    // the card links to the run, whose page works it out and stores it.
    const card = page.getByRole('article', { name: 'Home folder' });
    await card.getByRole('link', { name: 'Open the run to see' }).click();
    const panel = page.getByRole('region', { name: 'What changed' });
    await panel.getByText(/^4 files changed/).waitFor();
    // Stored now: the card says it, and its line opens the run.
    await page.goBack();
    const line = card.getByRole('link', { name: /files changed/ });
    await line.waitFor();
    assert.match(await drawnText(line), /^4 files changed, \+898 KiB, mostly .*Videos\/raw \(879 KiB\)$/);
    await line.click();

    // The run: the line, the folders that grew and the largest files.
    await panel.getByText(/^4 files changed/).waitFor();
    const folders = panel.getByRole('list', { name: 'Folders that grew the most' });
    assert.deepEqual(
      (await folders.getByRole('listitem').allInnerTexts()).map((text) => text.split('\n')[0]),
      [`+898 KiB ${source} 4 files`, `+879 KiB ${raw} 2 files Exclude…`, `+20 KiB ${join(source, 'Documents')} 2 files Exclude…`],
      "largest first; the plan's own folder is not offered for excluding",
    );
    const files = panel.getByRole('list', { name: 'Largest files added or grown' });
    assert.match((await files.getByRole('listitem').allInnerTexts())[0]!, /^\+586 KiB .*holiday\.mov new, 586 KiB$/);

    // Exclude…: first what the next backup would skip, then the exclude in the plan.
    await folders.getByRole('button', { name: `Exclude ${raw}…` }).click();
    const question = panel.getByRole('group', { name: /Leave .* out of plan home\?/ });
    await question.waitFor();
    assert.match(await question.innerText(), /The next backup would skip 2 files, 879 KiB\./);
    await page.screenshot({ path: join(shots, 'run-changes.png'), fullPage: true });
    await question.getByRole('button', { name: 'Exclude it' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: /^Saved: the exclude/ })
      .waitFor();
    const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.deepEqual(config.plans[0].excludes, [raw], 'the exclude is in the config on disk');
    await panel.getByRole('link', { name: 'Open the plan' }).click();
    await page.getByLabel('Leave out 1', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Leave out 1', { exact: true }).inputValue(), raw, 'the plan editor shows the new exclude');

    // Compare with…: any two snapshots of the plan.
    await page.goto(`${served.base}#/snapshots?plan=home`);
    await page.getByRole('list', { name: 'Snapshots' }).getByRole('button').first().click();
    await page.getByLabel(`Compare ${second.snapshotId.slice(0, 8)} with`).selectOption(first.snapshotId);
    await page.getByRole('heading', { name: 'Compare snapshots of home' }).waitFor();
    const diff = page.locator('.snapshot-diff');
    await diff.getByText(/^4 files changed, \+898 KiB/).waitFor();
    assert.match(
      (await diff.getByRole('list', { name: 'Folders that grew the most' }).getByRole('listitem').allInnerTexts())[1]!,
      /Videos\/raw 2 files left out of the next backups$/,
      'a folder excluded since says so instead of offering Exclude… again',
    );
    const paths = await diff.getByRole('list', { name: 'Changed paths' }).getByRole('listitem').allInnerTexts();
    assert.ok(
      paths.some((text) => text.includes('birthday "party" $(x).mov')),
      'a name with quotes and $() is shown as it is',
    );
    assert.equal(paths.length, 4, 'four files: two new videos, a new and a changed document');
    await page.screenshot({ path: join(shots, 'snapshot-diff.png'), fullPage: true });
    // Swapped, the same pair says the growth went the other way.
    await page.getByLabel('Older snapshot', { exact: true }).selectOption(second.snapshotId);
    await page.getByLabel('Newer snapshot', { exact: true }).selectOption(first.snapshotId);
    await diff.getByText(/^4 files changed, −898 KiB$/).waitFor();

    // A run whose snapshot is gone (forgotten outside Lifeboat): its page says so, with a way to ask again.
    await exec('restic', ['forget', first.snapshotId], {
      env: { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password },
    });
    await page.goto(`${served.base}#/history/${first.id}`);
    const gone = page.getByRole('region', { name: 'What changed' }).getByRole('alert');
    await gone.waitFor();
    assert.match(await gone.innerText(), /is no longer in the repository \(retention or a forget removed it\).*\n?Retry$/s);
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
