import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page, Route } from 'playwright-core';
import { browserSkip, openSession, saveAndRead } from '../helpers/editor-browser.ts';
import { waitFor } from '../helpers/processes.ts';

const WARNING = 'This folder is not on this computer (yet)';
const go = (page: Page, hash: string) => page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
/** Until the next frame has been drawn and the tasks queued before it have run. */
const nextFrame = (page: Page) => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
const leaveOut = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('input[aria-label^="Leave out "]')].map((input) => input.value)`) as Promise<string[]>;
// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
const planIn = (config: any, id: string) => config.plans.find((plan: { id: string }) => plan.id === id);

/**
 * Holds the answers of one call: each is fetched from the server at once but reaches the page only
 * once `release` is called (then every later one goes straight through).
 */
async function holdAnswers(page: Page, call: string) {
  const held: Array<() => Promise<void>> = [];
  let open = false;
  let asked!: () => void;
  const firstAsked = new Promise<void>((resolve) => {
    asked = resolve;
  });
  await page.route(`**/api/call/${call}`, async (route: Route) => {
    const response = await route.fetch();
    if (open) return route.fulfill({ response });
    held.push(() => route.fulfill({ response }));
    asked();
  });
  return {
    asked: firstAsked,
    stop: () => page.unroute(`**/api/call/${call}`),
    release: async () => {
      open = true;
      for (const answer of held.splice(0)) await answer();
    },
  };
}

/** The mouse goes down on the middle of the element, as a person's finger does; it stays down. */
async function pressOn(page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox();
  assert.ok(box, 'the element is on the screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
}

test('the plan editor under slow answers: no press, edit or saved state is lost', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const absent = (name: string) => join('/tmp', `lifeboat-absent-${process.pid}`, name);
  const plan = (id: string) => ({ id, name: id, sources: [absent('one'), absent('two')], excludes: ['*.tmp', '*.bak'] });
  const present = { id: 'typed', name: 'typed', sources: ['/tmp', '/var'] };
  const session = await openSession(t, [plan('press'), plan('hung'), plan('steady'), plan('late'), plan('during'), present]);
  // One page for every case: each starts from Settings, so its plan's editor opens afresh.
  const { page } = session;
  const fromSettings = async () => {
    await go(page, '#/settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  };

  await t.test("a press on a leave-out row's ✕ removes the row although the missing-folder warnings arrive before the release", async (t) => {
    await fromSettings();
    const check = await holdAnswers(page, 'paths.check');
    t.after(check.stop);
    await go(page, '#/plans/press');
    await check.asked;
    // The press starts as soon as the row can be pressed; the editor's folder check answers while the mouse is down.
    const remove = page.getByRole('button', { name: 'Remove leave out 1', exact: true });
    const early = await remove.isVisible();
    if (early) await pressOn(page, remove);
    await check.release();
    await waitFor(async () => (await page.getByText(WARNING).count()) === 2, 'both folders to be marked missing', 8000);
    if (!early) await pressOn(page, remove);
    await page.mouse.up();
    assert.deepEqual(await leaveOut(page), ['*.bak'], 'the pressed row is gone from the form');
    assert.deepEqual(planIn(await saveAndRead(session, page), 'press').excludes, ['*.bak']);
  });

  await t.test('a folder check that never answers (a hung network folder) does not keep the editor from opening', async (t) => {
    await fromSettings();
    const check = await holdAnswers(page, 'paths.check');
    t.after(check.stop);
    await go(page, '#/plans/hung');
    await check.asked;
    await page.getByRole('button', { name: 'Remove leave out 1', exact: true }).waitFor({ timeout: 8000 });
    assert.equal(await page.getByText(WARNING).count(), 0, 'no folder is called missing before the check answers');
    await check.release();
    await waitFor(async () => (await page.getByText(WARNING).count()) === 2, 'both folders to be marked missing', 8000);
  });

  await t.test('the rows of the plan editor stay where they are drawn while its own answers arrive', async () => {
    await fromSettings();
    await page.evaluate(`(() => {
      window.rowTops = [];
      const watch = new MutationObserver(() => {
        const button = document.querySelector('button[aria-label="Remove leave out 1"]');
        const top = button && Math.round(button.getBoundingClientRect().top + window.scrollY);
        if (top !== null && top !== window.rowTops.at(-1)) window.rowTops.push(top);
      });
      watch.observe(document.body, { subtree: true, childList: true, characterData: true });
      window.stopWatching = () => watch.disconnect();
    })()`);
    await go(page, '#/plans/steady');
    await waitFor(async () => (await page.getByText(WARNING).count()) === 2, 'both folders to be marked missing', 8000);
    await page.getByText('Manual only').waitFor();
    await nextFrame(page);
    const tops = (await page.evaluate('window.stopWatching(), window.rowTops')) as number[];
    assert.equal(tops.length, 1, `the first leave-out row was drawn at ${tops.join(', then at ')} px`);
  });

  await t.test('a folder typed that is not there gets its warning on its own row: the rows below it do not move', async () => {
    await fromSettings();
    await go(page, '#/plans/typed');
    const below = page.getByRole('button', { name: 'Remove folder to back up 2', exact: true });
    await below.waitFor();
    // A first edit, of a folder that is there: the form now says it has unsaved changes, and no warning comes.
    await page.getByLabel('Folder to back up 1', { exact: true }).fill('/usr');
    await page.getByText('Unsaved changes').first().waitFor();
    await nextFrame(page);
    const before = await below.boundingBox();
    await page.getByLabel('Folder to back up 1', { exact: true }).fill(absent('typed'));
    await page.getByText(WARNING).waitFor();
    await nextFrame(page);
    const after = await below.boundingBox();
    assert.equal(after?.y, before?.y, 'the second row stayed where it was when the first one got its warning');
    // On the row, a short mark drawn whole; the whole sentence is the field's description for a screen reader.
    const shown = (await page.evaluate(`(() => {
      const input = document.querySelector('input[aria-label="Folder to back up 1"]');
      const mark = input.parentElement.querySelector('.row-warning');
      return { mark: mark.textContent, clipped: mark.scrollWidth > mark.clientWidth, described: document.getElementById(input.getAttribute('aria-describedby'))?.textContent };
    })()`)) as { mark: string; clipped: boolean; described: string | undefined };
    assert.deepEqual(shown, {
      mark: '⚠ not on this computer',
      clipped: false,
      described: `${WARNING}; a backup fails until it is there (mount the drive it is on).`,
    });
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
  });

  await t.test("a late answer from an earlier opening of the editor never replaces the person's edit", async (t) => {
    await fromSettings();
    let heldFirst: Route | undefined;
    let firstAsked!: () => void;
    const askedOnce = new Promise<void>((resolve) => {
      firstAsked = resolve;
    });
    await page.route('**/api/call/config.get', async (route) => {
      if (heldFirst) return route.continue();
      heldFirst = route;
      firstAsked();
    });
    t.after(() => page.unroute('**/api/call/config.get'));
    await go(page, '#/plans/late');
    await askedOnce;
    await fromSettings();
    await go(page, '#/plans/late');
    await page.getByRole('button', { name: 'Remove leave out 1', exact: true }).click();
    assert.deepEqual(await leaveOut(page), ['*.bak']);

    const firstDone = page.waitForEvent('requestfinished', (request) => request === heldFirst?.request());
    await heldFirst!.continue();
    await firstDone;
    await nextFrame(page);
    await nextFrame(page);
    assert.deepEqual(await leaveOut(page), ['*.bak'], 'the form still shows the edit');
    assert.deepEqual(planIn(await saveAndRead(session, page), 'late').excludes, ['*.bak']);
  });

  await t.test('an edit made while Save is on its way is not called saved, and is offered back after leaving the editor', async (t) => {
    await fromSettings();
    const saving = await holdAnswers(page, 'config.save');
    t.after(saving.stop);
    await go(page, '#/plans/during');
    await page.getByRole('button', { name: 'Remove leave out 1', exact: true }).click();
    const save = page.getByRole('button', { name: 'Save plan' }).first();
    await save.click();
    await saving.asked;
    await page.getByLabel('Leave out 1', { exact: true }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('X');
    await saving.release();
    await waitFor(() => save.isEnabled(), 'the save to end', 8000);
    assert.deepEqual(
      planIn(JSON.parse(await readFile(session.setup.configFile, 'utf8')), 'during').excludes,
      ['*.bak'],
      'the file holds what Save was pressed on',
    );
    assert.equal(await page.getByText('Saved.').count(), 0, 'the form does not say Saved. while it shows an edit that is not');
    await page.getByText('Unsaved changes.').waitFor();

    await fromSettings();
    await go(page, '#/plans/during');
    await page.getByRole('button', { name: 'Restore them' }).click();
    assert.deepEqual(await leaveOut(page), ['*.bakX']);
  });
  assert.deepEqual(session.errors, [], 'no script errors in the page');
});
