import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, launchChromium } from '../helpers/browser-page.ts';
import { lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const built = existsSync(join(PROJECT_ROOT, 'dist', 'renderer', 'index.html'));

test('in a real browser, the one-time link signs in: the UI calls the API and follows live events with the HttpOnly cookie alone', {
  skip: (!existsSync(CHROMIUM) && 'Debian chromium is not installed') || (!built && 'the renderer is not built (npm run build)'),
  timeout: 120_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const served = await startServe(t, setup);
  const browser = await launchChromium(t);
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);

  await page.goto(served.base);
  await page.getByText('This browser is not signed in').waitFor();
  assert.match((await page.textContent('main')) ?? '', /lifeboat open/);

  const minted = await fetch(`${served.base}api/session-code`, { method: 'POST', headers: { Authorization: `Bearer ${served.token}` } });
  const { url } = (await minted.json()) as { url: string };
  await page.goto(url);
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/', 'redirected to the UI');
  assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is out of reach of scripts (HttpOnly)');
  // A run started elsewhere reaches the page only through the event stream.
  assert.equal((await served.call('plans.run', { plan: 'docs' })).status, 200);
  await page.locator('.plan .badge-success').waitFor();
  // The page's own calls carry the cookie too.
  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.waitForFunction(async () => {
    const response = await fetch('/api/call/history.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return response.ok && ((await response.json()) as unknown[]).length === 2;
  });
  // The link was spent: opening it again signs nobody in.
  const again = await browser.newPage();
  await again.goto(url);
  assert.match((await again.textContent('body')) ?? '', /already used or has expired/);
});
