import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

test('in a real browser: cards say what happened (failed, skipped, result), a bypassed condition is not "skipped", and several items restore at once into a folder', {
  skip: skipBrowser(),
  timeout: 110_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'Papers');
  await mkdir(join(source, 'letters'), { recursive: true });
  await mkdir(join(source, 'tax', '2025'), { recursive: true });
  await writeFile(join(source, 'letters', 'to grandma.txt'), 'Dear grandma,\n');
  await writeFile(join(source, 'letters', 'to bank.txt'), 'Dear bank,\n');
  await writeFile(join(source, 'tax', '2025', 'return.pdf'), 'numbers\n');
  await writeFile(join(source, 'notes $(touch x) "q".txt'), 'notes\n');
  const setup = await writeSetup(root, [
    { id: 'papers', name: 'Papers', sources: [source], hooks: [{ id: 'battery', on: ['run.start'], condition: { type: 'battery', minPercent: 30 } }] },
    { id: 'gone', name: 'Gone drive', sources: [join(root, 'not-there')] },
    { id: 'usb', name: 'USB stick', sources: [source], hooks: [{ id: 'stick', on: ['run.start'], condition: { type: 'path', path: join(root, 'no-stick') } }] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const backup = await lifeboat(setup.args('run', 'papers', '--json'), { env: setup.env });
  assert.equal(backup.code, 0, backup.stderr);
  const run = JSON.parse(backup.stdout);
  assert.equal((await lifeboat(setup.args('run', 'gone'), { env: setup.env })).code, 1);
  assert.equal((await lifeboat(setup.args('run', 'usb', '--trigger', 'schedule'), { env: setup.env })).code, 75);
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    await page.getByRole('heading', { name: 'Your backups' }).waitFor();
    const papers = page.getByRole('article', { name: 'Papers' });
    await papers.getByText(/^Backed up/).waitFor();
    assert.match(await papers.innerText(), /Result\s+4 new and 0 changed files · .* added · took/);
    const gone = page.getByRole('article', { name: 'Gone drive' });
    await gone.getByText(/^Failed: The source .*not-there" does not exist/).waitFor();
    assert.match(await gone.innerText(), /Last backup\s+never/, 'a failed run is not a last backup');
    const usb = page.getByRole('article', { name: 'USB stick' });
    await usb.getByText(/^Skipped: /).waitFor();
    assert.match(await usb.innerText(), /Last backup\s+never/, 'a skipped run is not a last backup');

    // The backup started by hand bypassed the battery condition: it says so, not "skipped".
    await page.goto(`${served.base}#/history/${run.id}`);
    await page.getByText('hook battery (run.start)').waitFor();
    const step = page.getByRole('listitem').filter({ hasText: 'hook battery (run.start)' });
    assert.match(await step.innerText(), /bypassed \(started by hand\)/);
    assert.doesNotMatch(await step.locator('summary').innerText(), /skipped/);

    // Restore from the card: the plan is chosen already; several items from different folders.
    await page.goto(`${served.base}#/`);
    await papers.getByRole('link', { name: 'Restore…' }).click();
    await page.getByRole('heading', { name: 'Snapshots' }).waitFor();
    await page.getByRole('list', { name: 'Snapshots' }).getByRole('button').first().click();
    await page.getByRole('option', { name: 'Gone drive' }).waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Plan').inputValue(), 'papers', "the card's plan is chosen");
    await page.getByLabel('Select notes $(touch x) "q".txt').check();
    await page.getByRole('button', { name: 'letters/' }).click();
    await page.getByLabel('Select to grandma.txt').check();
    await page.getByRole('button', { name: 'Up' }).click();
    await page.getByLabel('Select tax').check();
    assert.equal(await page.getByRole('list', { name: 'Selected for restore' }).getByRole('listitem').count(), 3);
    const target = join(root, 'restored');
    await page.getByLabel('Restore into').fill(target);
    await page.getByRole('button', { name: 'Restore selected' }).click();
    await page.getByText(/^Restored 3 items into /).waitFor({ timeout: 60_000 });
    assert.equal(await readFile(join(target, source, 'letters', 'to grandma.txt'), 'utf8'), 'Dear grandma,\n');
    assert.equal(await readFile(join(target, source, 'tax', '2025', 'return.pdf'), 'utf8'), 'numbers\n');
    assert.equal(await readFile(join(target, source, 'notes $(touch x) "q".txt'), 'utf8'), 'notes\n');
    assert.ok(!existsSync(join(target, source, 'letters', 'to bank.txt')), 'only the chosen items were restored');
    assert.ok(!existsSync(join(PROJECT_ROOT, 'x')) && !existsSync(join(root, 'x')), 'a name is never run as a command');

    // The original location: the overwrite choice goes with it, and whatever the engine says is shown.
    await page.getByLabel('The original location').check();
    await page.getByLabel('Files that are there already').selectOption('if-newer');
    await page.getByRole('button', { name: 'Restore selected' }).click();
    await page.locator('[role=status]:has-text("to the original location"), [role=alert]').first().waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
