import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { type TestContext, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { exited } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

/** The focused element as "TAG text", so a failure says where focus went. */
const focused = (page: Page) =>
  page.evaluate('(() => { const at = document.activeElement; return at ? at.tagName + " " + (at.textContent ?? "").trim() : "(none)"; })()') as Promise<string>;
/** Whether the focused element is inside the card's confirm. */
const focusInConfirm = (page: Page) => page.evaluate('Boolean(document.activeElement?.closest("fieldset.confirm"))') as Promise<boolean>;

test('keyboard only: Delete plan opens a confirm focused on Keep it; Escape and Keep it close it, keep the plan and give focus back to Delete plan', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [root], schedule: null },
    { id: 'photos', name: 'Photos', sources: [root], schedule: null },
  ]);
  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  const planIds = async () => ((await served.call('plans.list')).body as Array<{ id: string }>).map((plan) => plan.id).sort();
  try {
    const card = page.getByRole('article', { name: 'Documents' });
    const deletePlan = card.getByRole('button', { name: 'Delete plan' });
    const question = card.getByText('Delete the plan "Documents"? Its history and its snapshots stay.');
    await deletePlan.waitFor();

    await deletePlan.focus();
    await page.keyboard.press('Enter');
    await question.waitFor();
    assert.equal(await focused(page), 'BUTTON Keep it', 'the confirm opens on the safe choice');

    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'BUTTON Delete plan', 'Escape gives focus back to the button that asked');
    assert.deepEqual(await planIds(), ['docs', 'photos'], 'Escape deleted nothing');

    // Open again: the order is Delete, then Keep it (focused), then out of the confirm.
    await page.keyboard.press('Enter');
    await question.waitFor();
    assert.equal(await focused(page), 'BUTTON Keep it');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'BUTTON Delete');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'BUTTON Keep it');
    await page.keyboard.press('Tab');
    assert.equal(await focusInConfirm(page), false, 'Tab from Keep it leaves the confirm');
    assert.notEqual(await focused(page), 'BODY ', 'focus lands on something, not the page');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'BUTTON Keep it');

    // Escape on the red button cancels too.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'BUTTON Delete');
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'BUTTON Delete plan');

    // Keep it by Enter: the plan stays, focus is back on Delete plan.
    await page.keyboard.press('Enter');
    await question.waitFor();
    await page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'BUTTON Delete plan', 'Keep it gives focus back to the button that asked');
    assert.deepEqual(await planIds(), ['docs', 'photos'], 'Keep it deleted nothing');
    assert.equal(await page.getByRole('article').count(), 2);

    // The deliberate path still deletes: Enter, Shift+Tab, Enter.
    await page.keyboard.press('Enter');
    await question.waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    assert.deepEqual(await planIds(), ['photos']);

    // The same confirm removes a repository no plan uses (one in use says what comes first): it behaves the same.
    assert.equal((await served.call('plans.delete', { plan: 'photos' })).status, 200);
    await page.evaluate(`window.location.hash = '#/repositories'`);
    await page.getByText('no plan uses it').waitFor();
    const remove = page.getByRole('button', { name: 'Remove', exact: true });
    await remove.focus();
    await page.keyboard.press('Enter');
    const removeQuestion = page.getByText('Remove "Local disk" from Lifeboat? Its backups stay where they are.');
    await removeQuestion.waitFor();
    assert.equal(await focused(page), 'BUTTON Keep it');
    await page.keyboard.press('Escape');
    await removeQuestion.waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'BUTTON Remove');
    assert.equal((await served.call('repositories.list')).body.length, 1, 'the repository stays');
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});

/** `lifeboat serve` with one plan, Documents, and a page open on it: what the server-stopped tests start from. */
async function oneDocumentsPlan(t: TestContext) {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [root], schedule: null }]);
  const served = await startServe(t, setup);
  return { setup, served, ...(await openBrowser(t, served)) };
}

test('the server stopped: Save in the plan editor says Lifeboat is not answering and where, keeps the edit, raises no page error; after a restart Save works', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const { setup, served, page, errors, report } = await oneDocumentsPlan(t);
  const host = new URL(served.base).host;
  try {
    await page.evaluate(`window.location.hash = '#/plans/docs'`);
    await page.getByRole('heading', { name: 'Plan: Documents' }).waitFor();
    // The edit is checked as it is typed; that check is answered before the server goes.
    const checked = page.waitForResponse(
      (response) => response.url().endsWith('/api/call/config.validate') && /Documents renamed/.test(response.request().postData() ?? ''),
    );
    await page.getByLabel('Name', { exact: true }).fill('Documents renamed');
    await checked;
    const before = await readFile(setup.configFile, 'utf8');

    served.child.kill('SIGTERM');
    await exited(served.child);
    // Typed while nothing answers: the check as it is typed fails quietly (no page error), the edit stays.
    const unanswered = page.waitForEvent('requestfailed', { predicate: (request) => request.url().endsWith('/api/call/config.validate') });
    await page.getByLabel('Name', { exact: true }).fill('Documents renamed twice');
    await unanswered;
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    const sentence = page.getByRole('alert').filter({ hasText: `Lifeboat is not answering at ${host}` });
    await sentence.waitFor();
    assert.match(await sentence.innerText(), /it may have been stopped.*Your edits are still here\./);
    assert.equal(await page.getByText('Failed to fetch').count(), 0, "not the browser's words");
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Documents renamed twice', 'the edit is still in the form');
    assert.equal(await readFile(setup.configFile, 'utf8'), before, 'nothing was written');

    // Back on the same port with the same token (the data dir keeps it): the next Save works.
    const reconnected = page.waitForResponse('**/api/events', { timeout: 20_000 });
    const again = await startServe(t, setup, ['--port', new URL(served.base).port]);
    assert.equal(again.base, served.base);
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(await sentence.count(), 0, 'the sentence is gone once Lifeboat answers');
    const saved = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.equal(saved.plans[0].name, 'Documents renamed twice');
    // The event stream found the server again, and its failures meanwhile raised nothing either.
    await reconnected;
    assert.deepEqual(errors, [], 'no uncaught error or rejection in the page');
  } catch (error) {
    await report(error);
  }
});

test('the server stopped: Pause on the dashboard says Lifeboat is not answering, and raises no page error', {
  skip: skipBrowser(),
  timeout: 60_000,
}, async (t) => {
  const { served, page, errors, report } = await oneDocumentsPlan(t);
  try {
    await page.getByRole('article', { name: 'Documents' }).waitFor();
    served.child.kill('SIGTERM');
    await exited(served.child);
    await page.getByLabel('Pause').selectOption('1h');
    await page
      .getByRole('alert')
      .filter({ hasText: `Lifeboat is not answering at ${new URL(served.base).host}` })
      .waitFor();
    assert.deepEqual(errors, [], 'no uncaught error or rejection in the page');
  } catch (error) {
    await report(error);
  }
});
