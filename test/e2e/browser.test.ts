import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, launchChromium } from '../helpers/browser-page.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const built = existsSync(join(PROJECT_ROOT, 'dist', 'renderer', 'index.html'));

test('in a real browser: onboarding → plan → gallery and battery hooks → test run → back up now with progress → history with hook output → restore a file', {
  skip: (!existsSync(CHROMIUM) && 'Debian chromium is not installed') || (!built && 'the renderer is not built (npm run build)'),
  timeout: 180_000,
}, async (t) => {
  const root = await tempDir(t);
  // `npm run screenshots` keeps them in docs/screenshots; a test run keeps the tree clean.
  const SHOTS = process.env.LIFEBOAT_SCREENSHOTS ? join(PROJECT_ROOT, process.env.LIFEBOAT_SCREENSHOTS) : join(root, 'screenshots');
  await mkdir(SHOTS, { recursive: true });
  const source = join(root, 'My Documents');
  await mkdir(join(source, 'letters'), { recursive: true });
  await writeFile(join(source, 'letters', 'to grandma.txt'), 'Dear grandma,\nthe backups work.\n');
  for (let i = 0; i < 6; i += 1) await writeFile(join(source, `photo-${i}.raw`), randomBytes(25_000_000));
  const dataDir = join(root, 'data');
  const setup = {
    root,
    configFile: join(dataDir, 'config.json'),
    dataDir,
    repo: join(dataDir, 'repository'),
    password: '',
    env: { RESTIC_CACHE_DIR: join(root, 'cache') },
    args: (...rest: string[]) => ['--data-dir', dataDir, ...rest],
  };
  const served = await startServe(t, setup);

  const browser = await launchChromium(t);
  const page = await browser.newPage({ viewport: { width: 1180, height: 860 } });
  page.setDefaultTimeout(60_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${served.base}#token=${served.token}`);
  try {
    // Onboarding
    await page.getByRole('heading', { name: 'Welcome aboard' }).waitFor();
    assert.ok(!page.url().includes(served.token), 'the token leaves the address bar');
    await page.getByLabel('Folder to back up').fill(source);
    await page.getByLabel('Encryption password').fill('a long passphrase 1');
    await page.getByLabel('Password again').fill('a long passphrase 1');
    await page.getByLabel('How often').selectOption({ label: 'Every night at 02:00' });
    await page.screenshot({ path: join(SHOTS, 'onboarding.png') });
    await page.getByRole('button', { name: 'Create my backup' }).click();

    // Dashboard → plan editor
    await page.getByRole('heading', { name: 'My Documents' }).waitFor();
    await page.getByText('At 02:00').first().waitFor();
    await page.getByRole('link', { name: 'Edit plan & hooks' }).click();
    await page.getByRole('heading', { name: /Plan: My Documents/ }).waitFor();
    await page.getByText('At 02:00').first().waitFor();
    assert.equal(await page.getByRole('list', { name: 'Next runs' }).getByRole('listitem').count(), 5);

    // A battery condition, a script from the gallery, edited, test-run
    await page.getByRole('button', { name: '+ Condition' }).click();
    await page.getByLabel('Minimum battery %').fill('20');
    await page.getByRole('button', { name: 'Templates…' }).click();
    await page.getByRole('button', { name: 'Insert External drive connected' }).click();
    const drive = page.getByRole('article', { name: 'Hook drive' });
    await drive.getByLabel('Environment (KEY=value, one per line)').fill('DRIVE=/');
    await page.getByRole('button', { name: 'Test run drive' }).click();
    await page.getByText('Passed: Hook "drive" succeeded').waitFor({ timeout: 60_000 });
    assert.match(await drive.getByRole('log', { name: 'Test output' }).innerText(), /Drive \/ is connected/);
    await drive.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hook-editor.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByRole('status').getByText('Saved.').waitFor({ timeout: 60_000 });
    const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
    const hooks = config.plans[0].hooks;
    assert.deepEqual(
      hooks.map((hook: { id: string }) => hook.id),
      ['condition', 'drive'],
    );
    assert.equal(hooks[0].condition.minPercent, 20);
    assert.equal(hooks[1].env.DRIVE, '/');

    // Back up now: progress, then success
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('progressbar', { name: 'Backup progress' }).waitFor();
    await page.getByText(/\d+\.\d % · \d+\/\d+ files · /).waitFor();
    await page.screenshot({ path: join(SHOTS, 'dashboard-progress.png') });
    await page.getByRole('button', { name: 'Back up now' }).waitFor({ timeout: 120_000 });
    await page.getByText('success', { exact: false }).first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'dashboard.png') });

    // History with the hook's output
    await page.getByRole('link', { name: 'History' }).first().click();
    await page.getByRole('heading', { name: /^History/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'history.png') });
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByText('hook drive (run.start)').click();
    await page
      .getByText(/Drive \/ is connected/)
      .first()
      .waitFor();
    await page.screenshot({ path: join(SHOTS, 'run-detail.png'), fullPage: true });

    // Restore one file and compare bytes
    await page.getByRole('link', { name: 'Snapshots' }).click();
    await page.getByRole('list', { name: 'Snapshots' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'letters/' }).click();
    await page.getByLabel('Select to grandma.txt').check();
    const target = join(root, 'restored');
    await page.getByLabel('Restore into').fill(target);
    await page.getByRole('button', { name: 'Restore selected' }).click();
    await page.getByText(/^Restored .* into /).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'snapshots.png') });
    const restored = await readFile(join(target, source, 'letters', 'to grandma.txt'));
    assert.deepEqual(restored, await readFile(join(source, 'letters', 'to grandma.txt')));
    assert.ok(!existsSync(join(target, source, 'photo-0.raw')), 'only the chosen file was restored');

    for (const view of ['repositories', 'settings']) {
      await page.getByRole('link', { name: view === 'settings' ? 'Settings' : 'Repositories' }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.screenshot({ path: join(SHOTS, `${view}.png`) });
    }
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    // What the page showed when a step failed, for the CI log.
    const text = await page
      .locator('main')
      .innerText({ timeout: 2000 })
      .catch(() => '(no page text)');
    console.log(`The page when the browser test failed:\n${text.slice(0, 4000)}\n--- serve said:\n${served.output().slice(-3000)}`);
    throw error;
  }
});
