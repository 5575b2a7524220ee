import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, openPlan, openSession } from '../helpers/editor-browser.ts';

const hook = (id: string, command: string) => ({ id, on: ['backup.before'], script: { command } });
const PLANS = [
  {
    id: 'docs',
    name: 'Docs',
    sources: ['/tmp/src'],
    hooks: [
      hook('lines', 'seq 1 200000; echo END-MARK'),
      hook('zeros', 'head -c 5000000 /dev/zero | tr "\\0" "A"; echo; echo END-MARK'),
      hook('failing', 'seq 1 100000; echo "the disk is full" >&2; exit 3'),
      hook('again', 'seq 1 20000'),
      hook('slow', 'seq 1 5000; sleep 4; echo END-MARK'),
    ],
  },
];
const LEFT_OUT = /\[… [\d,]+ lines? .*left out …\]/;

const card = (page: Page, id: string) => page.getByRole('article', { name: `Hook ${id}` });
const log = (page: Page, id: string) => card(page, id).getByRole('log', { name: 'Test output' });
/** What a person sees in the panel, cut for an assertion message (the whole text can be megabytes). */
const seen = (text: string) => {
  const lines = text.split('\n');
  const show = (part: string[]) => part.map((line) => (line.length > 120 ? `${line.slice(0, 120)}…(${line.length} chars)` : line)).join('\n');
  return `${lines.length} lines, ${text.length} chars; first lines:\n${show(lines.slice(0, 5))}\n…\nlast lines:\n${show(lines.slice(-8))}`;
};

/** Clicks Test run and waits for the verdict; returns the panel's text once the run is over. */
async function testRun(page: Page, id: string, verdict: RegExp): Promise<string> {
  await page.getByRole('button', { name: `Test run ${id}` }).click();
  await card(page, id).locator('.verdict').filter({ hasText: verdict }).waitFor({ timeout: 60_000 });
  await card(page, id)
    .getByRole('button', { name: `Test run ${id}` })
    .getByText('Test run')
    .waitFor();
  return log(page, id).innerText();
}

test("a hook's Test run shows the whole end of its output and says where output was left out", { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const session = await openSession(t, PLANS);
  const page = session.page;
  await openPlan(page, 'docs');

  await t.test('200,000 lines then END-MARK: the last line shown is END-MARK, with a left-out marker before it', async () => {
    const text = await testRun(page, 'lines', /Passed/);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'END-MARK', seen(text));
    assert.equal(lines.at(-2), '200000', seen(text));
    assert.match(text, LEFT_OUT, seen(text));
    assert.equal(lines[0], '1', seen(text));
  });

  await t.test('5 MB of one line then END-MARK: END-MARK is shown, and a left-out marker', async () => {
    const text = await testRun(page, 'zeros', /Passed/);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'END-MARK', seen(text));
    assert.match(text, LEFT_OUT, seen(text));
    assert.ok(text.length < 2_000_000, `the panel holds the bounded output, not all 5 MB: ${seen(text)}`);
  });

  await t.test('a failing hook that printed a lot: its last line (the error) is shown, from stderr', async () => {
    const text = await testRun(page, 'failing', /would fail the run/i);
    const lines = text.trimEnd().split('\n');
    assert.match(lines.at(-1) ?? '', /the disk is full/, seen(text));
    assert.equal(lines.at(-2), '100000', seen(text));
    assert.match(text, LEFT_OUT, seen(text));
  });

  await t.test('a quick run right after a bigger one shows its own complete output, nothing of the first', async () => {
    const first = await testRun(page, 'again', /Passed/);
    assert.equal(first.trimEnd().split('\n').at(-1), '20000', seen(first));
    await card(page, 'again').getByLabel('Command').fill('seq 1 3000; echo END-MARK');
    const text = await testRun(page, 'again', /Passed/);
    const expected = [...Array.from({ length: 3000 }, (_, index) => String(index + 1)), 'END-MARK'];
    assert.deepEqual(text.trimEnd().split('\n'), expected, seen(text));
  });

  await t.test('while a hook floods, the live preview stays bounded and says it is cut; the final output replaces it', async () => {
    await page.getByRole('button', { name: 'Test run slow' }).click();
    await log(page, 'slow').getByText(LEFT_OUT).waitFor({ timeout: 20_000 });
    const live = await log(page, 'slow').innerText();
    assert.equal(await card(page, 'slow').getByRole('button', { name: 'Test run slow' }).isDisabled(), true, 'the test is still running');
    assert.ok(live.split('\n').length <= 1000, `the preview is bounded: ${seen(live)}`);
    await card(page, 'slow')
      .locator('.verdict')
      .filter({ hasText: /Passed/ })
      .waitFor({ timeout: 60_000 });
    const text = await log(page, 'slow').innerText();
    const lines = text.trimEnd().split('\n');
    assert.deepEqual([lines[0], lines.at(-2), lines.at(-1), lines.length], ['1', '5000', 'END-MARK', 5001], seen(text));
  });

  await t.test('the page raised no script error', () => {
    assert.deepEqual(session.errors, []);
  });
});
