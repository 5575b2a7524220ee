import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { browserSkip, openSession } from '../helpers/editor-browser.ts';

const PLANS = [
  { id: 'alpha', name: 'Alpha', sources: ['/tmp/src'] },
  { id: 'beta', name: 'Beta', sources: ['/tmp/src'] },
];

const snapshot = (shortId: string) => ({
  id: `${shortId}${'0'.repeat(56)}`,
  shortId,
  time: '2026-11-01T10:00:00.000Z',
  paths: ['/tmp/src'],
  tags: ['lifeboat'],
  hostname: 'here',
});

/** Until the next frame has been drawn and the tasks queued before it have run. */
const nextFrame = (page: Page) => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
const go = (page: Page, hash: string) => page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);

const planOf = (route: Route): string => (JSON.parse(route.request().postData() ?? '{}') as { plan?: string }).plan ?? '';

test('views load in a real browser: only the newest answer shows, a failed load can be retried', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const session = await openSession(t, PLANS);
  const { page } = session;
  await page.getByRole('heading', { name: 'Your backups' }).waitFor();

  await t.test("a slow answer for the plan shown first never replaces the plan chosen after it: Beta's snapshots stay", async () => {
    let heldAlpha: Route | undefined;
    let alphaAsked!: () => void;
    const alphaAskedOnce = new Promise<void>((resolve) => {
      alphaAsked = resolve;
    });
    await page.route('**/api/call/snapshots.list', async (route) => {
      if (planOf(route) === 'alpha') {
        heldAlpha = route;
        alphaAsked();
      } else await route.fulfill({ json: [snapshot('beeeeee2')] });
    });
    await go(page, '#/snapshots');
    await alphaAskedOnce;
    await page.getByLabel('Plan').selectOption('beta');
    const list = page.getByRole('list', { name: 'Snapshots' });
    await list.getByRole('button', { name: /beeeeee2/ }).waitFor();

    const alphaDone = page.waitForEvent(
      'requestfinished',
      (request) => request.url().endsWith('/snapshots.list') && request.postData()?.includes('alpha') === true,
    );
    await heldAlpha!.fulfill({ json: [snapshot('aaaaaaa1')] });
    await alphaDone;
    await nextFrame(page);
    await nextFrame(page);
    assert.equal(await list.getByRole('button').count(), 1);
    assert.match((await list.textContent()) ?? '', /beeeeee2/);
    assert.doesNotMatch((await list.textContent()) ?? '', /aaaaaaa1/);
    assert.equal(await page.getByLabel('Plan').inputValue(), 'beta');
    await page.unroute('**/api/call/snapshots.list');
  });

  await t.test("a list that fails to load shows the server's sentence and a Retry button that asks again", async () => {
    let asked = 0;
    await page.route('**/api/call/history.list', async (route) => {
      asked += 1;
      if (asked === 1) {
        await route.fulfill({
          status: 503,
          json: { error: { status: 503, code: 'unavailable', message: 'The history cannot be read right now; try again in a moment.' } },
        });
      } else await route.continue();
    });
    await go(page, '#/history');
    const alert = page.getByRole('alert').filter({ hasText: 'The history cannot be read right now; try again in a moment.' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.getByText('No runs yet.').waitFor();
    assert.equal(asked, 2);
    await page.unroute('**/api/call/history.list');
  });

  assert.deepEqual(session.errors, []);
});
