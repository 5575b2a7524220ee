import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { importSetup } from '../helpers/import-fixture.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';

test('in a real browser: on first run, "Import from…" Backrest shows what maps, what does not and why, hooks off and no secret; Import adds the plans; a second import says they are already there; beside existing plans it asks first; the metrics settings say what is wrong by field and never show the pushgateway password', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const profiles = join(setup.root, 'foreign', 'profiles.toml');
  await copyFile(join(PROJECT_ROOT, 'test', 'fixtures', 'import', 'resticprofile.toml'), profiles);
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  try {
    await page.getByRole('heading', { name: 'Welcome aboard' }).waitFor();
    await page.getByRole('button', { name: /Import from…/ }).click();
    await page.getByRole('radio', { name: 'Backrest' }).check();
    await page.getByLabel('Its config file').fill('relative/config.json');
    await page.getByRole('button', { name: 'Show what would be imported' }).click();
    await page
      .getByRole('alert')
      .getByText(/is not a full path; give the file's whole path/)
      .waitFor();

    await page.getByLabel('Its config file').fill(setup.file);
    await page.getByRole('button', { name: 'Show what would be imported' }).click();
    const preview = page.getByRole('region', { name: 'Import preview' });
    await preview.getByRole('table', { name: 'Plans to import' }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    const rows = preview.getByRole('table', { name: 'Plans to import' }).locator('tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match(await rows.first().innerText(), /documents[\s\S]*Every hour/);
    assert.match(await preview.getByRole('status').innerText(), /^3 plans, 2 new repositories and \d+ hooks \(all off\) would be imported\.$/);
    assert.ok((await preview.getByRole('list', { name: 'Not imported' }).locator('li').count()) > 0, 'what did not map is listed, with why');
    const shown = await page.locator('main').innerText();
    for (const secret of ['backrest-inline-Secret-6', 'b2-Env-Secret-7']) assert.ok(!shown.includes(secret), `${secret} is not on the page`);
    await page.evaluate('window.scrollTo(0, 0)');
    if (process.env.LIFEBOAT_SCREENSHOTS) {
      const folder = join(PROJECT_ROOT, process.env.LIFEBOAT_SCREENSHOTS);
      await mkdir(folder, { recursive: true });
      await page.screenshot({ path: join(folder, 'import.png'), fullPage: true });
    }
    assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8').catch(() => '{}')).plans, undefined, 'a preview writes nothing');

    await preview.getByRole('button', { name: 'Import 3 plans' }).click();
    await page.getByRole('heading', { name: 'Your backups' }).waitFor();
    await page.getByRole('article', { name: 'documents' }).waitFor();
    const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.deepEqual(
      config.plans.map((plan: { id: string }) => plan.id),
      ['documents', 'offsite-photos', 'utc-weekly'],
    );
    assert.ok(config.plans.flatMap((plan: { hooks?: Array<{ enabled: boolean }> }) => plan.hooks ?? []).every((hook: { enabled: boolean }) => !hook.enabled));

    // From Settings, the same file again: recognised, nothing to import.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Import from resticprofile, autorestic or Backrest…' }).click();
    await page.getByRole('radio', { name: 'Backrest' }).check();
    await page.getByLabel('Its config file').fill(setup.file);
    await page.getByRole('button', { name: 'Show what would be imported' }).click();
    await page.getByText('Everything in this file that can be imported is already in your config.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Import \d/ }).count(), 0);
    assert.equal(await page.getByText(/is already imported, as plan “documents”/).count(), 1);

    // Another tool's file beside the plans there now: Import waits for the person's consent.
    await page.getByRole('radio', { name: 'resticprofile' }).check();
    await page.getByLabel('Its config file').fill(profiles);
    await page.getByRole('button', { name: 'Show what would be imported' }).click();
    const importButton = page.getByRole('button', { name: /^Import \d+ plans?$/ });
    await importButton.waitFor();
    assert.equal(await importButton.isDisabled(), true, 'not before the person agrees');
    await page.getByLabel(/Add these beside my 3 plans/).check();
    await importButton.click();
    await page.getByText(/^Imported .*; every imported hook is off until you turn it on\.$/).waitFor();
    const after = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.ok(after.plans.length > 3);
    assert.deepEqual(after.plans.slice(0, 3), config.plans, 'the plans there before are untouched');

    // Settings → Prometheus metrics: a wrong value is told under its field; the gateway's password never comes back.
    const metrics = page.getByRole('region', { name: 'Prometheus metrics' });
    await metrics.getByLabel('Textfile folder for node_exporter').fill('prom');
    await metrics.getByLabel('Pushgateway URL').fill('ftp://gw.example');
    await metrics.getByRole('button', { name: 'Save metrics settings' }).click();
    await metrics.getByText(/must be an absolute folder/).waitFor();
    await metrics.getByText(/must be an http:\/\/ or https:\/\/ URL of a Prometheus pushgateway/).waitFor();
    const folder = join(setup.root, 'prom');
    await metrics.getByLabel('Textfile folder for node_exporter').fill(folder);
    await metrics.getByLabel('Pushgateway URL').fill('http://ops:gw-Secret-9@127.0.0.1:9/gw');
    await metrics.getByLabel(/Let this machine read \/metrics without the token/).check();
    await metrics.getByRole('button', { name: 'Save metrics settings' }).click();
    await metrics.getByText('Saved.').waitFor();
    assert.deepEqual(JSON.parse(await readFile(setup.configFile, 'utf8')).settings.metrics, {
      textfile: folder,
      pushgateway: 'http://ops:gw-Secret-9@127.0.0.1:9/gw',
      loopbackWithoutToken: true,
    });
    await page.reload();
    const reloaded = page.getByRole('region', { name: 'Prometheus metrics' });
    await reloaded.getByLabel('Pushgateway URL').waitFor();
    await page.waitForFunction(`document.querySelector('input[placeholder="http://pushgateway:9091"]')?.value !== ''`);
    assert.equal(await reloaded.getByLabel('Pushgateway URL').inputValue(), 'http://ops:••••••••@127.0.0.1:9/gw');
    assert.ok(!(await page.content()).includes('gw-Secret-9'));
    assert.deepEqual(errors, []);
  } catch (error) {
    await report(error);
  }
});
