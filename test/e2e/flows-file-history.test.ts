import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test("in a real browser: several items restored to the original location after a preview (created, newer on disk, the policy), then a file's history from its row and from the search box, and a version restored beside it", {
  skip: skipBrowser(),
  timeout: 180_000,
}, async (t) => {
  const root = await tempDir(t);
  // `LIFEBOAT_SCREENSHOTS=docs/screenshots` keeps them for the README; a test run keeps the tree clean.
  const shots = process.env.LIFEBOAT_SCREENSHOTS ? join(PROJECT_ROOT, process.env.LIFEBOAT_SCREENSHOTS) : join(root, 'screenshots');
  await mkdir(shots, { recursive: true });
  const source = join(root, 'Papers');
  await mkdir(join(source, 'letters'), { recursive: true });
  const hourAgo = new Date(Date.now() - 3_600_000);
  const files = { 'letters/to grandma.txt': 'Dear grandma,\n', 'letters/to bank $(x) "q".txt': 'Dear bank,\n', 'notes.txt': 'first notes\n' };
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(source, name), text);
    await utimes(join(source, name), hourAgo, hourAgo);
  }
  const setup = await writeSetup(root, [{ id: 'papers', name: 'Papers', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'papers')).code, 0);
  await writeFile(join(source, 'notes.txt'), 'second notes, longer\n');
  await utimes(join(source, 'notes.txt'), hourAgo, new Date(hourAgo.getTime() + 60_000));
  assert.equal((await lifeboatHere(setup, 'run', 'papers')).code, 0);
  // Since the last backup: a letter lost, the notes edited (newer on disk than the backup).
  await rm(join(source, 'letters', 'to bank $(x) "q".txt'));
  await writeFile(join(source, 'notes.txt'), 'notes edited today\n');

  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    await page.goto(`${served.base}#/snapshots?plan=papers`);
    await page.getByRole('heading', { name: 'Snapshots' }).waitFor();
    await page.getByRole('list', { name: 'Snapshots' }).getByRole('button').first().click();

    // Multi-select: a folder and a file, then the original location: the preview comes first.
    await page.getByLabel('Select letters').check();
    await page.getByLabel('Select notes.txt').check();
    await page.getByLabel('The original location').check();
    await page.getByRole('button', { name: 'Restore selected' }).click();
    const preview = page.getByRole('region', { name: 'Restore to the original location' });
    await preview.getByRole('list', { name: 'Created' }).waitFor();
    assert.deepEqual(await preview.getByRole('list', { name: 'Created' }).getByRole('listitem').allInnerTexts(), [
      join(source, 'letters', 'to bank $(x) "q".txt'),
    ]);
    assert.match(await preview.getByRole('list', { name: 'Newer on disk' }).innerText(), /notes\.txt on disk .*, in the backup /);
    assert.match(await preview.getByRole('note').innerText(), /^1 file on disk is newer than the backup; this policy keeps them\.$/);
    assert.match(
      await page.getByRole('status').innerText(),
      /^Restoring 2 items to the original location would create 1 file, overwrite 0 and keep 1\. 1 file on disk is newer than the backup\.$/,
    );
    await preview.getByLabel('Files that are there already').selectOption('always');
    await preview.getByRole('list', { name: 'Overwritten' }).waitFor();
    assert.match(await preview.getByRole('note').innerText(), /and would be overwritten\./);
    await page.screenshot({ path: join(shots, 'restore-preview.png'), fullPage: true });
    await preview.getByLabel('Files that are there already').selectOption('if-newer');
    await page.getByText(/would create 1 file, overwrite 0 and keep 1/).waitFor();
    await preview.getByRole('button', { name: 'Restore now' }).click();
    await page.getByText(/^Restored 2 items to the original location \(overwrite: if-newer\)\./).waitFor({ timeout: 60_000 });
    assert.equal(await readFile(join(source, 'letters', 'to bank $(x) "q".txt'), 'utf8'), 'Dear bank,\n', 'the lost letter is back');
    assert.equal(await readFile(join(source, 'notes.txt'), 'utf8'), 'notes edited today\n', 'the newer file on disk is kept');
    assert.equal(await preview.count(), 0, 'the preview closes after the restore');

    // A file's history from its row: both versions, the older one put back beside the live file.
    await page.getByRole('button', { name: 'History of notes.txt' }).click();
    const history = page.getByRole('region', { name: 'History of notes.txt' });
    const versions = history.getByRole('list', { name: 'Versions' }).getByRole('listitem');
    await versions.nth(1).waitFor();
    assert.equal(await versions.count(), 2);
    assert.match(await versions.nth(0).innerText(), /21 B\s+changed\s+in 1 snapshot/);
    assert.match(await versions.nth(1).innerText(), /12 B\s+in 1 snapshot/);
    await page.screenshot({ path: join(shots, 'file-history.png'), fullPage: true });
    await versions.nth(1).getByRole('button', { name: 'Restore beside' }).click();
    await versions
      .nth(1)
      .getByText(/Put this version beside notes\.txt, under a dated name\?/)
      .waitFor();
    await versions.nth(1).getByRole('button', { name: 'Restore beside' }).click();
    await history.getByText(/^Restored the version of .* to .*notes \(\d{4}-\d\d-\d\d \d\d:\d\d\)\.txt\.$/).waitFor({ timeout: 60_000 });
    const beside = (await readdir(source)).filter((name) => /^notes \(.*\)\.txt$/.test(name));
    assert.equal(beside.length, 1);
    assert.equal(await readFile(join(source, beside[0]!), 'utf8'), 'first notes\n');
    assert.equal(await readFile(join(source, 'notes.txt'), 'utf8'), 'notes edited today\n');
    await history.getByRole('button', { name: 'Close' }).click();

    // The search box opens the same panel for any path.
    await page.getByLabel("Find a file's history").fill(join(source, 'letters', 'to grandma.txt'));
    await page.getByRole('button', { name: 'Show history' }).click();
    const grandma = page.getByRole('region', { name: 'History of to grandma.txt' });
    await grandma.getByText(/^unchanged in 2 snapshots, /).waitFor();
    await page.getByLabel("Find a file's history").fill(join(source, 'nothing $(touch x).txt'));
    await page.getByRole('button', { name: 'Show history' }).click();
    await page
      .getByRole('region', { name: 'History of nothing $(touch x).txt' })
      .getByRole('alert')
      .getByText(/is in none of the 2 snapshot\(s\)/)
      .waitFor();
    assert.ok(!existsSync(join(PROJECT_ROOT, 'x')) && !existsSync(join(root, 'x')), 'a name is never run as a command');
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
