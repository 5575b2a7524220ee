import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, openPlan, openSession, saveAndRead } from '../helpers/editor-browser.ts';

const LABEL = "Passed on from Lifeboat's environment (names; NAME_* for all starting so)";
const scriptHook = (id: string, extra: Record<string, unknown> = {}) => ({ id, on: ['backup.before'], script: { command: 'true' }, ...extra });
const namesBox = (page: Page, hook: string) => page.getByRole('article', { name: `Hook ${hook}` }).getByLabel(LABEL);
// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
const hooksOf = (config: any, id: string) => config.plans.find((plan: { id: string }) => plan.id === id).hooks;

const PLANS = [
  { id: 'typed', name: 'Typed', sources: ['/tmp/src'], hooks: [scriptHook('first', { inheritEnv: ['HOME'] }), scriptHook('second'), scriptHook('third')] },
  { id: 'stored', name: 'Stored', sources: ['/tmp/src'], hooks: [scriptHook('only', { inheritEnv: ['SSH_AUTH_SOCK', 'AWS_*'] })] },
  { id: 'refused', name: 'Refused', sources: ['/tmp/src'], hooks: [scriptHook('only')] },
  { id: 'enter', name: 'Enter', sources: ['/tmp/src'], hooks: [scriptHook('only', { env: { A: '1' } })] },
];

test("a hook's text boxes (its environment, the names it is passed) in a real browser", { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const session = await openSession(t, PLANS);

  await t.test('names typed key by key, separators and all, are saved as a list on the hook that owns them, after removing the hook above it', async () => {
    const page = await session.newPage();
    await openPlan(page, 'typed');
    await namesBox(page, 'second').pressSequentially('SSH_AUTH_SOCK, AWS_* ');
    // Typing is never rewritten under the cursor: the trailing separator stays while the box is edited.
    assert.equal(await namesBox(page, 'second').inputValue(), 'SSH_AUTH_SOCK, AWS_* ');
    await page.getByRole('button', { name: 'Remove first' }).click();
    assert.equal(await namesBox(page, 'second').inputValue(), 'SSH_AUTH_SOCK, AWS_* ', 'the names stay with their hook');
    assert.equal(await namesBox(page, 'third').inputValue(), '');
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      hooksOf(config, 'typed').map((hook: { id: string; inheritEnv?: string[] }) => [hook.id, hook.inheritEnv]),
      [
        ['second', ['SSH_AUTH_SOCK', 'AWS_*']],
        ['third', undefined],
      ],
    );
    assert.equal(await namesBox(page, 'second').inputValue(), 'SSH_AUTH_SOCK, AWS_* ', 'the box keeps what was typed after the save');
  });

  await t.test('stored names are shown; emptying the box removes the key from the file', async () => {
    const page = await session.newPage();
    await openPlan(page, 'stored');
    assert.equal(await namesBox(page, 'only').inputValue(), 'SSH_AUTH_SOCK AWS_*');
    await namesBox(page, 'only').fill('');
    const config = await saveAndRead(session, page);
    assert.equal('inheritEnv' in hooksOf(config, 'stored')[0], false);
  });

  await t.test("a name that is not one, and a secret's name, are refused next to the box by name; Save is blocked and the file stays", async () => {
    const page = await session.newPage();
    await openPlan(page, 'refused');
    const before = await readFile(session.setup.configFile, 'utf8');
    await namesBox(page, 'only').fill('GOOD $(rm -rf ~) LIFEBOAT_TEST_PASSWORD');
    const field = page
      .getByRole('article', { name: 'Hook only' })
      .locator('.field')
      .filter({ has: page.getByLabel(LABEL) });
    await field.getByRole('alert').getByText('"$(rm" is not an environment variable name').waitFor();
    await field.getByRole('alert').getByText('LIFEBOAT_TEST_PASSWORD holds a secret').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save plan' }).first().isDisabled(), true);
    assert.equal(await readFile(session.setup.configFile, 'utf8'), before, 'nothing was saved');
    await namesBox(page, 'only').fill('GOOD');
    const config = await saveAndRead(session, page);
    assert.deepEqual(hooksOf(config, 'refused')[0].inheritEnv, ['GOOD']);
  });

  await t.test('Enter after the last environment line, then Save: the page says Saved., not that changes are unsaved', async () => {
    const page = await session.newPage();
    await openPlan(page, 'enter');
    const box = page.getByRole('article', { name: 'Hook only' }).getByLabel('Environment (KEY=value, one per line)');
    await box.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nB=2\n');
    const config = await saveAndRead(session, page);
    assert.deepEqual(hooksOf(config, 'enter')[0].env, { A: '1', B: '2' });
    assert.equal(await page.getByText('Unsaved changes.').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Discard changes' }).first().isDisabled(), true, 'nothing is left to discard');
  });

  await t.test('the page raised no script error', () => {
    assert.deepEqual(session.errors, []);
  });
});
