import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { drawnText, openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

test('in a real browser: onboarding starts the first backup with progress; "Back up another folder" reuses the repository; History of one plan; back and forward; delete a plan, its history kept', {
  skip: skipBrowser(),
  timeout: 110_000,
}, async (t) => {
  const root = await tempDir(t);
  const documents = join(root, 'Documents');
  const pictures = join(root, 'Pictures');
  await mkdir(documents);
  await mkdir(pictures);
  // Big enough that the first backup is seen running.
  for (let i = 0; i < 4; i += 1) await writeFile(join(documents, `scan-${i}.raw`), randomBytes(20_000_000));
  await writeFile(join(pictures, 'cat.jpg'), 'meow\n');
  const dataDir = join(root, 'data');
  const setup = { env: { RESTIC_CACHE_DIR: join(root, 'cache') }, args: (...rest: string[]) => ['--data-dir', dataDir, ...rest] };
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  // Remembers whether a progress bar ever appeared, however briefly.
  await page.evaluate(`
    window.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[role=progressbar]')) window.sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  `);
  try {
    await page.getByRole('heading', { name: 'Welcome aboard' }).waitFor();
    await page.getByLabel('Folder to back up').fill(documents);
    await page.getByLabel('Encryption password').fill('a long passphrase 1');
    await page.getByLabel('Password again').fill('a long passphrase 1');
    await page.getByRole('button', { name: 'Create my backup' }).click();

    const card = page.getByRole('article', { name: 'Documents' });
    await card.waitFor();
    await card.getByText(/^Backed up/).waitFor({ timeout: 60_000 });
    assert.ok((await page.evaluate('window.sawProgress')) === true, 'the first backup showed its progress');
    assert.match(await drawnText(card), /Result\s+4 new and 0 changed files · \d+(\.\d)? MiB added · took/);
    assert.match(await drawnText(card), /Last backup\s+just now/);

    // Another folder: a new plan in the repository that exists, no second repository, no password asked.
    await page.getByRole('link', { name: '+ Back up another folder' }).click();
    await page.getByRole('heading', { name: 'Back up another folder' }).waitFor();
    assert.equal(await page.getByLabel('Encryption password').count(), 0, 'no new password for a repository that exists');
    await page.getByLabel('Folder to back up').fill(pictures);
    await page.getByRole('button', { name: 'Add and back up now' }).click();
    const second = page.getByRole('article', { name: 'Pictures' });
    await second.getByText(/^Backed up/).waitFor({ timeout: 60_000 });
    const config = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'));
    assert.equal(config.repositories.length, 1, 'one repository for both plans');
    assert.deepEqual(
      config.plans.map((plan: { repository: string }) => plan.repository),
      [config.repositories[0].id, config.repositories[0].id],
    );

    // The card's History button shows that plan's runs only; back and forward walk the views.
    await second.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History of Pictures' }).waitFor();
    const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(2)').allInnerTexts(), ['pictures']);
    await page.goBack();
    await page.getByRole('heading', { name: 'Your backups' }).waitFor();
    await page.goForward();
    await page.getByRole('heading', { name: 'History of Pictures' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'History of Pictures' }).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();

    // Delete a plan after a confirmation; its history stays.
    await second.getByRole('button', { name: 'Delete plan' }).click();
    await second.getByRole('button', { name: 'Delete', exact: true }).click();
    await second.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('article').count(), 1);
    const kept = await served.call('history.list', { plan: 'pictures' });
    assert.equal(kept.body.length, 1, 'the deleted plan keeps its history');
    await page.goto(`${served.base}#/history?plan=pictures`);
    const runs = page.getByRole('table', { name: 'Runs' });
    await runs.locator('tbody tr').first().waitFor();
    // In a narrow window the page does not scroll sideways: the table scrolls in its own box, every column reachable.
    await page.setViewportSize({ width: 400, height: 800 });
    assert.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 400, 'the page is no wider than a 400 px window');
    await runs.getByRole('columnheader', { name: 'Status' }).scrollIntoViewIfNeeded();
    const status = await runs.getByRole('columnheader', { name: 'Status' }).boundingBox();
    assert.ok(status && status.x >= 0 && status.x + status.width <= 400, `the Status column can be brought into view (${JSON.stringify(status)})`);
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});

test('in a real browser: an existing repository with a wrong password is refused and not added; the restic path is checked, shown with its version and kept after a reload', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const folder = join(root, 'Letters');
  await mkdir(folder);
  await writeFile(join(folder, 'a.txt'), 'a\n');
  const existing = join(root, 'usb-repository');
  await run('restic', ['init', '--repo', existing], { env: { ...process.env, RESTIC_PASSWORD: 'the usb password', RESTIC_CACHE_DIR: join(root, 'cache') } });
  const dataDir = join(root, 'data');
  const setup = { env: { RESTIC_CACHE_DIR: join(root, 'cache') }, args: (...rest: string[]) => ['--data-dir', dataDir, ...rest] };
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    await page.getByRole('heading', { name: 'Welcome aboard' }).waitFor();
    await page.goto(`${served.base}#/repositories`);
    await page.getByRole('heading', { name: 'Repositories' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a repository' });
    await form.getByLabel('Id').fill('usb');
    await form.getByLabel('Name').fill('USB disk');
    await form.getByLabel('Path or restic URL').fill(existing);
    await form.getByLabel('Password').fill('not the usb password');
    await form.getByRole('button', { name: 'Add repository' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /The password does not open the repository at .*usb-repository; nothing was saved/ })
      .first()
      .waitFor();
    assert.equal((await served.call('repositories.list')).body.length, 0, 'nothing was added');

    await form.getByLabel('Password').fill('the usb password');
    await form.getByRole('button', { name: 'Add repository' }).click();
    await page.getByRole('listitem', { name: 'Repository USB disk' }).waitFor();

    // Edit: a credential added, then kept masked (never shown) when the name changes.
    const item = page.getByRole('listitem', { name: 'Repository USB disk' });
    await item.getByRole('button', { name: 'Edit' }).click();
    await item.getByRole('button', { name: '+ Credential' }).click();
    await item.getByLabel('Credential 1 name').fill('B2_ACCOUNT_KEY');
    await item.getByLabel('Credential 1 value').fill('b2-secret-value');
    await item.getByRole('button', { name: 'Save repository' }).click();
    await page.getByText('Repository "USB disk" saved.').waitFor();
    const renamed = page.getByRole('listitem', { name: 'Repository USB disk' });
    await renamed.getByRole('button', { name: 'Edit' }).click();
    assert.equal(await renamed.getByLabel('Credential 1 value').inputValue(), '', 'a stored secret is not shown');
    await renamed.getByLabel('Name', { exact: true }).fill('USB stick');
    await renamed.getByRole('button', { name: 'Save repository' }).click();
    await page.getByRole('listitem', { name: 'Repository USB stick' }).waitFor();
    const stored = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8')).repositories[0];
    assert.deepEqual(stored.env, { B2_ACCOUNT_KEY: 'b2-secret-value' });
    assert.ok(!(await page.content()).includes('b2-secret-value'), 'the secret never reaches the page');

    // Settings: a path that does not exist is refused; the real one shows its version, after a reload too.
    await page.goto(`${served.base}#/settings`);
    await page.getByText(/^Using restic \d+\.\d+\.\d+ at /).waitFor();
    const field = page.getByLabel('restic program (empty: the one on PATH)');
    await field.fill(join(root, 'no-restic-here'));
    await page.getByRole('button', { name: 'Use it' }).click();
    await page.getByText(/no executable restic is there.*Nothing was saved/).waitFor();
    await field.fill('/usr/bin/restic');
    await page.getByRole('button', { name: 'Use it' }).click();
    await page.getByText(/^Using restic \d+\.\d+\.\d+ at \/usr\/bin\/restic$/).waitFor();
    await page.reload();
    await page.getByText(/^Using restic \d+\.\d+\.\d+ at \/usr\/bin\/restic$/).waitFor();
    assert.equal(await page.getByLabel('restic program (empty: the one on PATH)').inputValue(), '/usr/bin/restic');
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
