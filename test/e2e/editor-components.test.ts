import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { browserSkip, openPlan, openSession, saveAndRead } from '../helpers/editor-browser.ts';
import { waitFor } from '../helpers/processes.ts';

const scriptHook = (id: string, env: Record<string, string>, command = 'true') => ({ id, on: ['backup.before'], script: { command }, env });
const threeHooks = () => [
  {
    id: 'docs',
    name: 'Docs',
    sources: ['/tmp/src'],
    hooks: [scriptHook('first', { A: '1' }, 'echo hello-first'), scriptHook('second', { B: '2' }), scriptHook('third', { C: '3' })],
  },
];
const envBox = (page: import('playwright-core').Page, hook: string) =>
  page.getByRole('article', { name: `Hook ${hook}` }).getByLabel('Environment (KEY=value, one per line)');

/** Each case edits a plan of its own in one shared `lifeboat serve`; a plan's id is its case's name. */
const withId = (plans: Array<Record<string, unknown>>, id: string) => plans.map((plan) => ({ ...plan, id }));
// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
const planIn = (config: any, id: string) => config.plans.find((plan: { id: string }) => plan.id === id);
const PLANS = [
  ...withId(threeHooks(), 'remove'),
  ...withId(threeHooks(), 'move'),
  ...withId([{ id: 'docs', name: 'Docs', sources: ['/tmp/src'] }], 'typed'),
  ...withId([{ id: 'docs', name: 'Docs', sources: ['/tmp/src'], excludes: ['*.tmp'] }], 'paste'),
  ...withId(threeHooks(), 'invalid'),
  ...withId(threeHooks(), 'discard'),
  ...withId(
    [
      {
        id: 'docs',
        name: 'Docs',
        sources: ['/tmp/src'],
        hooks: [
          { id: 'battery', on: ['run.start'], condition: { type: 'battery', minPercent: 30 } },
          scriptHook('dump', { A: '1' }),
          { id: 'ping', on: ['run.end'], script: { command: 'true' } },
          scriptHook('mount', { B: '2' }),
        ],
      },
    ],
    'groups',
  ),
  ...withId([{ id: 'docs', name: 'Docs', sources: ['/tmp'] }], 'paths'),
  ...withId([{ id: 'docs', name: 'Docs', sources: ['/tmp/src'] }], 'tabs'),
  ...withId([{ id: 'docs', name: 'Docs', sources: ['/tmp/src'], excludes: ['*.tmp'] }], 'blank'),
];

test('the plan and hook editors in a real browser', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const session = await openSession(t, PLANS);
  await t.test('removing a hook leaves every other hook its own env: a line added to the second hook is saved with the second hook only', async () => {
    const page = await session.newPage();
    await openPlan(page, 'remove');
    await page.getByRole('button', { name: 'Remove first' }).click();
    await envBox(page, 'second').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nD=4');
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      planIn(config, 'remove').hooks.map((hook: { id: string; env: unknown }) => [hook.id, hook.env]),
      [
        ['second', { B: '2', D: '4' }],
        ['third', { C: '3' }],
      ],
    );
  });

  await t.test('moving a hook down moves its env and its test-run output with it', async () => {
    const page = await session.newPage();
    await openPlan(page, 'move');
    await page.getByRole('button', { name: 'Test run first' }).click();
    const first = page.getByRole('article', { name: 'Hook first' });
    await first.getByRole('log', { name: 'Test output' }).getByText('hello-first').waitFor();
    await page.getByRole('button', { name: 'Move first down' }).click();
    assert.equal(await envBox(page, 'first').inputValue(), 'A=1');
    assert.equal(await envBox(page, 'second').inputValue(), 'B=2');
    assert.match(await page.getByRole('article', { name: 'Hook first' }).innerText(), /hello-first/);
    assert.doesNotMatch(await page.getByRole('article', { name: 'Hook second' }).innerText(), /hello-first/);
    await envBox(page, 'first').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nE=5');
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      planIn(config, 'move').hooks.map((hook: { id: string; env: unknown }) => [hook.id, hook.env]),
      [
        ['second', { B: '2' }],
        ['first', { A: '1', E: '5' }],
        ['third', { C: '3' }],
      ],
    );
  });

  await t.test('a folder typed after Enter, with a space in its name, is saved as a second folder, exactly as typed', async () => {
    const page = await session.newPage();
    await openPlan(page, 'typed');
    await page
      .getByLabel(/^Folders? to back up/)
      .first()
      .click();
    await page.keyboard.press('End');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n/tmp/My Folder');
    const config = await saveAndRead(session, page);
    assert.deepEqual(planIn(config, 'typed').sources, ['/tmp/src', '/tmp/My Folder']);
  });

  await t.test('several pasted lines become several rows, and spaces inside names are kept exactly', async () => {
    const page = await session.newPage();
    await openPlan(page, 'paste');
    await page.getByRole('button', { name: '+ Add a pattern' }).click();
    await page.getByLabel('Leave out 2', { exact: true }).waitFor();
    assert.equal(await page.evaluate('document.activeElement.getAttribute("aria-label")'), 'Leave out 2', 'the new row has the focus');
    const pasted = 'node_modules\r\n\n  My  Cache /*\n$(rm -rf ~)\n"quoted" name';
    await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(pasted)});
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
    await page.getByLabel('Leave out 5', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Leave out 3', { exact: true }).inputValue(), '  My  Cache /*');
    await page.keyboard.type('\n two  spaces ');
    await page.getByRole('button', { name: 'Remove leave out 1' }).click();
    const config = await saveAndRead(session, page);
    assert.deepEqual(planIn(config, 'paste').excludes, ['node_modules', '  My  Cache /*', '$(rm -rf ~)', '"quoted" name', ' two  spaces ']);
    assert.deepEqual(planIn(config, 'paste').sources, ['/tmp/src'], 'the other list is untouched');
  });

  await t.test('an invalid hook timeout shows the engine sentence next to the field and blocks Save; the file stays as it was', async () => {
    const page = await session.newPage();
    await openPlan(page, 'invalid');
    const before = await readFile(session.setup.configFile, 'utf8');
    const second = page.getByRole('article', { name: 'Hook second' });
    await second.getByLabel('Timeout').fill('10 minutes');
    const timeoutField = second.locator('.field').filter({ has: page.getByLabel('Timeout') });
    await timeoutField.getByRole('alert').getByText('"10 minutes" is not a duration (try "10m")').waitFor();
    const save = page.getByRole('button', { name: 'Save plan' }).first();
    assert.equal(await save.isDisabled(), true, 'Save is disabled while the draft has problems');
    await page.locator('.problem-summary').getByText('hook second › timeout').waitFor();
    await page.getByRole('button', { name: 'Move second up' }).click();
    // The problem follows the hook it belongs to, not the position.
    await page
      .getByRole('article', { name: 'Hook second' })
      .locator('.field')
      .filter({ has: page.getByLabel('Timeout') })
      .getByRole('alert')
      .waitFor();
    assert.equal(await page.getByRole('article', { name: 'Hook first' }).getByRole('alert').count(), 0);
    assert.equal(await readFile(session.setup.configFile, 'utf8'), before, 'nothing was saved');
    await page.getByRole('article', { name: 'Hook second' }).getByLabel('Timeout').fill('10m');
    // A line that is not KEY=value is refused by the form itself, next to the env box.
    await envBox(page, 'third').fill('C=3\nnot a pair');
    await page.getByRole('article', { name: 'Hook third' }).getByRole('alert').getByText('line 2 ("not a pair") is not KEY=value').waitFor();
    assert.equal(await save.isDisabled(), true);
    await envBox(page, 'third').fill('C=3');
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      planIn(config, 'invalid').hooks.map((hook: { id: string; timeout?: string }) => [hook.id, hook.timeout]),
      [
        ['second', '10m'],
        ['first', undefined],
        ['third', undefined],
      ],
    );
  });

  await t.test('Discard brings the form back to exactly the saved plan; a reload offers unsaved edits back', async () => {
    const page = await session.newPage();
    await openPlan(page, 'discard');
    await page.getByRole('button', { name: 'Remove first' }).click();
    await envBox(page, 'third').fill('C=changed');
    await page.getByLabel('Folder to back up 1', { exact: true }).fill('/tmp/elsewhere');
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
    assert.deepEqual(await page.getByRole('article').evaluateAll((cards) => cards.map((card) => card.getAttribute('aria-label'))), [
      'Hook first',
      'Hook second',
      'Hook third',
    ]);
    assert.equal(await envBox(page, 'first').inputValue(), 'A=1');
    assert.equal(await envBox(page, 'third').inputValue(), 'C=3');
    assert.equal(await page.getByLabel('Folder to back up 1', { exact: true }).inputValue(), '/tmp/src');
    assert.equal(await page.getByRole('button', { name: 'Discard changes' }).first().isDisabled(), true);

    await page.getByRole('button', { name: 'Remove second' }).click();
    await envBox(page, 'third').fill('C=kept');
    await waitFor(async () => (await page.evaluate('sessionStorage.getItem("lifeboat-draft-discard")')) !== null, 'the draft to be kept');
    await page.reload();
    await page.getByRole('button', { name: 'Restore them' }).click();
    assert.equal(await page.getByRole('article', { name: 'Hook second' }).count(), 0);
    assert.equal(await envBox(page, 'third').inputValue(), 'C=kept');
    assert.equal(await envBox(page, 'first').inputValue(), 'A=1');
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      planIn(config, 'discard').hooks.map((hook: { id: string; env: unknown }) => [hook.id, hook.env]),
      [
        ['first', { A: '1' }],
        ['third', { C: 'kept' }],
      ],
    );
  });

  await t.test('hooks are listed per event in words, move only within their event, and conditions have no env box', async () => {
    const page = await session.newPage();
    await openPlan(page, 'groups');
    for (const words of ['When a run starts', 'Before the backup', 'When a run ends']) await page.getByRole('heading', { name: words, level: 3 }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'backup.before' }).count(), 0, 'no raw event names as headings');
    const battery = page.getByRole('article', { name: 'Hook battery' });
    assert.equal(await battery.getByLabel('Environment (KEY=value, one per line)').count(), 0);
    assert.equal(await battery.getByRole('button', { name: 'Move battery down' }).isDisabled(), true, 'the only run.start hook cannot move');
    assert.equal(await page.getByRole('button', { name: 'Move dump up' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Move dump down' }).click();
    const config = await saveAndRead(session, page);
    assert.deepEqual(
      planIn(config, 'groups').hooks.map((hook: { id: string }) => hook.id),
      ['battery', 'mount', 'ping', 'dump'],
      'dump and mount swapped; ping (another event) stayed where it was',
    );
  });

  await t.test('the repository is picked from the list, and a folder that is not there gets a warning next to its row', async () => {
    const page = await session.newPage();
    const { served, root } = session;
    await mkdir(join(root, 'Folder With Spaces', 'inner'), { recursive: true });
    await mkdir(join(root, 'Folder Two'));
    await writeFile(join(root, 'Folder File'), 'not a folder');
    await openPlan(page, 'paths');
    assert.deepEqual(await page.getByLabel('Repository').locator('option').allInnerTexts(), [`Local disk (${session.setup.repo})`]);
    await page.getByLabel('Folder to back up 1', { exact: true }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('/not-here at all');
    await page.getByText('This folder is not on this computer (yet)').waitFor();
    await page.getByLabel('Folder to back up 1', { exact: true }).fill(`${root}/Folder W`);
    await page.getByRole('button', { name: join(root, 'Folder With Spaces') }).click();
    assert.equal(await page.getByLabel('Folder to back up 1', { exact: true }).inputValue(), join(root, 'Folder With Spaces'));
    await waitFor(async () => (await page.getByText('This folder is not on this computer (yet)').count()) === 0, 'the warning to go');
    // By keyboard: down into the suggestions, Enter takes one.
    await page.getByLabel('Folder to back up 1', { exact: true }).fill(`${root}/Folder T`);
    await page.getByRole('button', { name: join(root, 'Folder Two') }).waitFor();
    await page.getByLabel('Folder to back up 1', { exact: true }).press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.getByLabel('Folder to back up 1', { exact: true }).inputValue(), join(root, 'Folder Two'));

    const completion = await served.call('paths.complete', { prefix: `${root}/Folder` });
    assert.equal(completion.status, 200);
    assert.deepEqual(completion.body.entries, [join(root, 'Folder Two'), join(root, 'Folder With Spaces')], 'folders only, no files');
    assert.deepEqual((await served.call('paths.complete', { prefix: '/proc/1/root/x' })).body.entries, [], 'an unreadable folder gives nothing, not an error');
    const checked = await served.call('paths.check', { paths: [root, join(root, 'missing'), '~'] });
    assert.deepEqual(checked.body.missing, [join(root, 'missing')]);
  });
  await t.test(
    'two tabs on one plan: the second save over the first is refused, the first stays on disk, and the refused edits are offered back on top of it',
    async () => {
      const first = await session.newPage();
      const second = await session.newPage();
      await openPlan(first, 'tabs');
      await openPlan(second, 'tabs');
      await first.getByLabel('Name', { exact: true }).fill('Renamed in the first tab');
      await first.getByLabel('Folder to back up 1', { exact: true }).fill('/tmp/from the first tab');
      const saved = await saveAndRead(session, first);
      assert.deepEqual(planIn(saved, 'tabs').sources, ['/tmp/from the first tab']);
      await second.getByLabel('Folder to back up 1', { exact: true }).fill('/tmp/from the second tab');
      await second.getByRole('button', { name: 'Save plan' }).first().click();
      await second.getByText('The config changed on disk since you opened it').waitFor();
      const onDisk = JSON.parse(await readFile(session.setup.configFile, 'utf8'));
      assert.deepEqual(planIn(onDisk, 'tabs').sources, ['/tmp/from the first tab'], 'the stale save changed nothing');
      await second.reload();
      // Before restoring, the person is told the plan was saved since, and which part both tabs changed.
      const banner = second.getByRole('status').filter({ hasText: 'not saved' });
      assert.match(
        await banner.innerText(),
        /saved elsewhere since you made them.*The folders changed on both sides: restoring puts yours over the saved one\./s,
      );
      await second.getByRole('button', { name: 'Restore them' }).click();
      assert.equal(await second.getByLabel('Folder to back up 1', { exact: true }).inputValue(), '/tmp/from the second tab');
      assert.equal(await second.getByLabel('Name', { exact: true }).inputValue(), 'Renamed in the first tab', 'what only the first tab changed stays');
      const resaved = await saveAndRead(session, second);
      assert.deepEqual(planIn(resaved, 'tabs').sources, ['/tmp/from the second tab'], 'after the reload the edits save over the new version');
      assert.equal(planIn(resaved, 'tabs').name, 'Renamed in the first tab', "the first tab's rename is not undone by restoring the second tab's edit");
    },
  );
  await t.test('a row of only spaces is not saved, and after the save the form shows what was saved: "Saved.", nothing left to discard', async () => {
    const page = await session.newPage();
    await openPlan(page, 'blank');
    await page.getByLabel('Leave out 1', { exact: true }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('-\n ');
    const config = await saveAndRead(session, page);
    assert.deepEqual(planIn(config, 'blank').excludes, ['*.tmp-']);
    assert.equal(await page.getByLabel('Leave out 2', { exact: true }).count(), 0, 'the blank row is gone from the form too');
    assert.equal(await page.getByRole('button', { name: 'Discard changes' }).first().isDisabled(), true);
  });
  assert.deepEqual(session.errors, [], 'no script errors in the pages');
});
