import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, type EditorSession, openPlan, openSession, saveAndRead } from '../helpers/editor-browser.ts';
import { waitFor } from '../helpers/processes.ts';

const MASK = '••••••••';
const HC = 'https://hc-ping.com/1f6b-stored-healthchecks-secret';
const NTFY = 'https://ntfy.example/stored-topic-secret';
const NTFY_TOKEN = 'tk_stored_ntfy_token_secret';
const HOOK = 'https://hooks.example/stored-webhook-secret';
const HEADER = 'Bearer stored-header-secret';
const STORED = [
  { id: 'hc', type: 'healthchecks', url: HC },
  // Written without an id: the editor still keeps its secrets by the id the engine derives.
  { type: 'ntfy', url: NTFY, token: NTFY_TOKEN },
  { id: 'hook', type: 'webhook', url: HOOK, headers: { Authorization: HEADER } },
];

const plan = (id: string, monitors?: unknown[]) => ({ id, name: `Plan ${id}`, sources: ['/tmp/src'], ...(monitors ? { monitors } : {}) });
const PLANS = [
  plan('added'),
  plan('unrelated', STORED),
  plan('identity', [
    { type: 'healthchecks', url: 'https://hc-ping.com/first-monitor-secret' },
    { type: 'healthchecks', url: 'https://hc-ping.com/second-monitor-secret' },
  ]),
  plan('headers'),
  plan('hostile', [{ id: 'only', type: 'healthchecks', url: HC }]),
  plan('retype', [{ id: 'topic', type: 'ntfy', url: NTFY, token: NTFY_TOKEN }]),
  plan('rename', [{ id: 'hook', type: 'webhook', url: HOOK, headers: { Authorization: HEADER } }]),
  plan('discard', [
    { id: 'one', type: 'healthchecks', url: 'https://hc-ping.com/discard-first-secret' },
    { id: 'two', type: 'ntfy', url: 'https://ntfy.example/discard-second-secret', token: 'discard-token-secret' },
  ]),
];

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
const planIn = (config: any, id: string) => config.plans.find((candidate: { id: string }) => candidate.id === id);
const onDisk = async (session: EditorSession, id: string) => planIn(JSON.parse(await readFile(session.setup.configFile, 'utf8')), id);
const monitor = (page: Page, name: string) => page.getByRole('group', { name, exact: true });
const save = (page: Page) => page.getByRole('button', { name: 'Save plan' }).first();

/** No secret of the file is anywhere in the page's HTML (attributes, text, the draft kept for a reload). */
async function assertHidden(page: Page, secrets: string[]): Promise<void> {
  const html = await page.content();
  const kept = String(await page.evaluate('JSON.stringify(Object.values(sessionStorage))'));
  for (const secret of secrets) {
    assert.equal(html.includes(secret), false, `${secret} is not in the page`);
    assert.equal(kept.includes(secret), false, `${secret} is not in the tab's kept draft`);
  }
}

test('the plan editor edits monitors in a real browser without showing or losing a secret', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const session = await openSession(t, PLANS);
  const page = session.page;

  await t.test('a healthchecks and an ntfy monitor added in the form are saved with ids, exact URLs and the token, and come back masked', async () => {
    await openPlan(page, 'added');
    await page.getByRole('button', { name: '+ Add a monitor' }).click();
    await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').fill('https://hc-ping.com/new-hc-secret');
    await page.getByRole('button', { name: '+ Add a monitor' }).click();
    await monitor(page, 'Monitor 2 (healthchecks)').getByLabel('Type').selectOption({ label: 'ntfy' });
    const ntfy = monitor(page, 'Monitor 2 (ntfy)');
    await ntfy.getByLabel('URL').fill('https://ntfy.example/new-topic-secret');
    await ntfy.getByLabel('Token').fill('tk_new_token_secret');
    const config = await saveAndRead(session);
    const [hc, topic] = planIn(config, 'added').monitors;
    assert.match(hc.id, /^monitor-[0-9a-f]{8,}$/);
    assert.match(topic.id, /^monitor-[0-9a-f]{8,}$/);
    assert.notEqual(hc.id, topic.id);
    assert.deepEqual(planIn(config, 'added').monitors, [
      { id: hc.id, type: 'healthchecks', url: 'https://hc-ping.com/new-hc-secret' },
      { id: topic.id, type: 'ntfy', url: 'https://ntfy.example/new-topic-secret', token: 'tk_new_token_secret' },
    ]);
    const secrets = ['new-hc-secret', 'new-topic-secret', 'tk_new_token_secret'];
    await assertHidden(page, secrets);
    await page.reload();
    await page.getByRole('heading', { name: /^Plan: / }).waitFor();
    const url = monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL');
    assert.equal(await url.inputValue(), MASK);
    assert.equal(await url.getAttribute('type'), 'password');
    await monitor(page, 'Monitor 1 (healthchecks)').getByText('stored — type to replace').waitFor();
    assert.equal(await monitor(page, 'Monitor 2 (ntfy)').getByLabel('URL').inputValue(), MASK);
    assert.equal(await monitor(page, 'Monitor 2 (ntfy)').getByLabel('Token').inputValue(), MASK);
    await assertHidden(page, secrets);
  });

  await t.test('editing the plan name keeps every stored monitor secret byte for byte', async () => {
    await openPlan(page, 'unrelated');
    await assertHidden(page, [HC, NTFY, NTFY_TOKEN, HOOK, HEADER]);
    assert.equal(await monitor(page, 'Monitor 3 (webhook)').getByLabel('Header 1 value').inputValue(), MASK);
    await page.getByLabel('Name', { exact: true }).fill('Renamed plan');
    const config = await saveAndRead(session);
    const stored = planIn(config, 'unrelated');
    assert.equal(stored.name, 'Renamed plan');
    assert.deepEqual(
      stored.monitors.map(({ id: _id, ...rest }: { id: string }) => rest),
      STORED.map(({ id: _id, ...rest }: { id?: string }) => rest),
    );
    assert.deepEqual(
      stored.monitors.map((item: { id: string }) => item.id.startsWith('monitor-')),
      [false, true, false],
    );
  });

  await t.test('removing the first of two stored monitors leaves the second its own URL (identity, not position)', async () => {
    await openPlan(page, 'identity');
    await page.getByRole('button', { name: 'Remove monitor 1 (healthchecks)' }).click();
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').inputValue(), MASK);
    const config = await saveAndRead(session);
    assert.deepEqual(
      planIn(config, 'identity').monitors.map((item: { type: string; url: string }) => [item.type, item.url]),
      [['healthchecks', 'https://hc-ping.com/second-monitor-secret']],
    );
  });

  await t.test('a webhook keeps exactly the header left after another is removed, and its value is masked after a reload', async () => {
    await openPlan(page, 'headers');
    await page.getByRole('button', { name: '+ Add a monitor' }).click();
    await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('Type').selectOption({ label: 'Webhook' });
    const hook = monitor(page, 'Monitor 1 (webhook)');
    await hook.getByLabel('URL').fill('https://hooks.example/new-webhook-secret');
    await hook.getByRole('button', { name: '+ Add a header' }).click();
    await hook.getByLabel('Header 1 name').fill('Authorization');
    await hook.getByLabel('Header 1 value').fill('Bearer first-header-secret');
    await hook.getByRole('button', { name: '+ Add a header' }).click();
    await hook.getByLabel('Header 2 name').fill('X-Extra');
    await hook.getByLabel('Header 2 value').fill('second-header-secret');
    await hook.getByRole('button', { name: 'Remove header 1 (Authorization) of monitor 1' }).click();
    assert.equal(await hook.getByLabel('Header 1 name').inputValue(), 'X-Extra');
    const config = await saveAndRead(session);
    const [saved] = planIn(config, 'headers').monitors;
    assert.deepEqual(saved, { id: saved.id, type: 'webhook', url: 'https://hooks.example/new-webhook-secret', headers: { 'X-Extra': 'second-header-secret' } });
    await page.reload();
    await page.getByRole('heading', { name: /^Plan: / }).waitFor();
    assert.equal(await monitor(page, 'Monitor 1 (webhook)').getByLabel('Header 1 value').inputValue(), MASK);
    assert.equal(await monitor(page, 'Monitor 1 (webhook)').getByLabel('Header 1 name').inputValue(), 'X-Extra');
    await assertHidden(page, ['new-webhook-secret', 'second-header-secret', 'first-header-secret']);
  });

  await t.test('a hostile URL gets a sentence next to its field that names the fix, Save is blocked and the file stays as it was', async () => {
    await openPlan(page, 'hostile');
    const before = await readFile(session.setup.configFile, 'utf8');
    const row = monitor(page, 'Monitor 1 (healthchecks)');
    const cases: Array<[string, RegExp]> = [
      ['javascript:alert(1)', /must be an http:\/\/ or https:\/\/ URL/],
      ['https://hc-ping.com/with\ttab', /control character; write the URL on one line/],
      [`https://hc-ping.com/${'a'.repeat(5000)}`, /is longer than 4,096 characters/],
      ['$(rm -rf ~)', /must be an http:\/\/ or https:\/\/ URL/],
    ];
    for (const [url, sentence] of cases) {
      await row.getByLabel('URL').fill(url);
      await row
        .locator('.field')
        .filter({ has: page.getByLabel('URL') })
        .getByRole('alert')
        .filter({ hasText: sentence })
        .waitFor();
      assert.equal(await save(page).isDisabled(), true, `Save is blocked for ${url.slice(0, 40)}`);
      await page.locator('.problem-summary').getByText('monitor 1 (healthchecks) › url').waitFor();
    }
    // A line break cannot reach a one-line field (the browser makes it a space), and the space is refused.
    await row.getByLabel('URL').fill('https://hc-ping.com/line\nbreak');
    assert.equal((await row.getByLabel('URL').inputValue()).includes('\n'), false);
    await row.getByRole('alert').filter({ hasText: 'contains a space; remove it' }).waitFor();
    assert.equal(await save(page).isDisabled(), true);
    await row.getByLabel('URL').fill('$(rm -rf ~)');
    await row.getByRole('alert').first().waitFor();
    assert.equal(await readFile(session.setup.configFile, 'utf8'), before, 'nothing was saved');
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
    assert.equal(await row.getByLabel('URL').inputValue(), MASK);
  });

  await t.test('a stored ntfy monitor changed to healthchecks is saved without its token', async () => {
    await openPlan(page, 'retype');
    await monitor(page, 'Monitor 1 (ntfy)').getByText('stored — type to replace').first().waitFor();
    await monitor(page, 'Monitor 1 (ntfy)').getByLabel('Type').selectOption({ label: 'Healthchecks' });
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('Token').count(), 0);
    // The stored URL stays (the person may only have fixed the type), and the form says whose it is.
    await monitor(page, 'Monitor 1 (healthchecks)').getByText("the URL stored for the ntfy monitor is kept — type this service's URL to replace it").waitFor();
    // After a reload, the edit restored says the same: the hint comes from the saved plan, not from the page's memory.
    await waitFor(async () => String(await page.evaluate('sessionStorage.getItem("lifeboat-draft-retype")')).includes('healthchecks'), 'the draft to be kept');
    await page.reload();
    await page.getByRole('button', { name: 'Restore them' }).click();
    await monitor(page, 'Monitor 1 (healthchecks)').getByText("the URL stored for the ntfy monitor is kept — type this service's URL to replace it").waitFor();
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').inputValue(), MASK);
    await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('Type').selectOption({ label: 'ntfy' });
    await monitor(page, 'Monitor 1 (ntfy)').getByText('stored — type to replace').first().waitFor();
    await monitor(page, 'Monitor 1 (ntfy)').getByLabel('Type').selectOption({ label: 'Healthchecks' });
    const config = await saveAndRead(session);
    assert.deepEqual(planIn(config, 'retype').monitors, [{ id: 'topic', type: 'healthchecks', url: NTFY }]);
    // Saved, the URL belongs to the healthchecks monitor it now is: the hint says no more about ntfy.
    await monitor(page, 'Monitor 1 (healthchecks)').getByText('stored — type to replace').waitFor();
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByText('the URL stored for the ntfy monitor').count(), 0);
  });

  await t.test('keys typed into a masked field replace the stored secret; a renamed header must have its hidden value typed again', async () => {
    await openPlan(page, 'rename');
    const hook = monitor(page, 'Monitor 1 (webhook)');
    await hook.getByLabel('Header 1 name').fill('X-Auth');
    await hook.getByRole('alert').filter({ hasText: 'the hidden value was stored under "Authorization"; type the value again' }).waitFor();
    assert.equal(await save(page).isDisabled(), true);
    await hook.getByLabel('Header 1 value').click();
    await page.keyboard.type('typed value');
    assert.equal(await hook.getByLabel('Header 1 value').inputValue(), 'typed value');
    await hook.getByLabel('URL').click();
    await page.keyboard.type('https://hooks.example/typed');
    assert.equal(await hook.getByLabel('URL').inputValue(), 'https://hooks.example/typed');
    assert.equal(await hook.getByLabel('URL').getAttribute('type'), 'text', 'a URL typed is shown as typed');
    const config = await saveAndRead(session);
    assert.deepEqual(planIn(config, 'rename').monitors, [
      { id: 'hook', type: 'webhook', url: 'https://hooks.example/typed', headers: { 'X-Auth': 'typed value' } },
    ]);
    // Once saved, what was typed is masked on the page too.
    assert.equal(await hook.getByLabel('URL').inputValue(), MASK);
    await assertHidden(page, ['hooks.example/typed', 'typed value']);
  });

  await t.test('Discard and a reload bring back monitors by identity, with their secrets masked', async () => {
    await openPlan(page, 'discard');
    await page.getByRole('button', { name: 'Remove monitor 1 (healthchecks)' }).click();
    await page.getByRole('button', { name: '+ Add a monitor' }).click();
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').inputValue(), MASK);
    assert.equal(await monitor(page, 'Monitor 2 (ntfy)').getByLabel('Token').inputValue(), MASK);
    assert.equal(await monitor(page, 'Monitor 3 (healthchecks)').count(), 0);
    await page.getByRole('button', { name: 'Remove monitor 1 (healthchecks)' }).click();
    await waitFor(async () => (await page.evaluate('sessionStorage.getItem("lifeboat-draft-discard")')) !== null, 'the draft to be kept');
    await assertHidden(page, ['discard-first-secret', 'discard-second-secret', 'discard-token-secret']);
    await page.reload();
    await page.getByRole('button', { name: 'Restore them' }).click();
    assert.equal(await monitor(page, 'Monitor 1 (ntfy)').getByLabel('Token').inputValue(), MASK);
    const config = await saveAndRead(session);
    assert.deepEqual(planIn(config, 'discard').monitors, [
      { id: 'two', type: 'ntfy', url: 'https://ntfy.example/discard-second-secret', token: 'discard-token-secret' },
    ]);
    assert.deepEqual((await onDisk(session, 'discard')).monitors.length, 1);
  });

  await t.test('a secret typed but not saved is not kept for a reload: the rest of the edit comes back, and the form asks for the secret again', async () => {
    await openPlan(page, 'hostile');
    await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').fill('https://hc-ping.com/typed-unsaved-replacing-secret');
    await page.getByRole('button', { name: '+ Add a monitor' }).click();
    await monitor(page, 'Monitor 2 (healthchecks)').getByLabel('Type').selectOption({ label: 'ntfy' });
    const topic = monitor(page, 'Monitor 2 (ntfy)');
    await topic.getByLabel('URL').fill('https://ntfy.example/typed-unsaved-topic-secret');
    await topic.getByLabel('Token').fill('tk_typed_unsaved_token_secret');
    const secrets = ['typed-unsaved-replacing-secret', 'typed-unsaved-topic-secret', 'tk_typed_unsaved_token_secret'];
    await waitFor(async () => String(await page.evaluate('sessionStorage.getItem("lifeboat-draft-hostile")')).includes('ntfy'), 'the draft to be kept');
    const kept = String(await page.evaluate('sessionStorage.getItem("lifeboat-draft-hostile")'));
    for (const secret of secrets) assert.equal(kept.includes(secret), false, `${secret} is not in the tab's kept draft`);
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'secrets typed into monitors were not kept' }).waitFor();
    await page.getByRole('button', { name: 'Restore them' }).click();
    // The edit comes back (the monitor added, its type); each secret typed is to be typed again.
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').inputValue(), '');
    assert.equal(await monitor(page, 'Monitor 2 (ntfy)').getByLabel('URL').inputValue(), '');
    assert.equal(await monitor(page, 'Monitor 2 (ntfy)').getByLabel('Token').inputValue(), '');
    await monitor(page, 'Monitor 2 (ntfy)').getByRole('alert').filter({ hasText: 'is empty; paste the URL' }).waitFor();
    assert.equal(await save(page).isDisabled(), true);
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
    assert.equal(await monitor(page, 'Monitor 1 (healthchecks)').getByLabel('URL').inputValue(), MASK);
  });

  await t.test('a bad header name the form and the engine both refuse is told once on its row', async () => {
    await openPlan(page, 'headers');
    const hook = monitor(page, 'Monitor 1 (webhook)');
    await hook.getByLabel('Header 1 name').fill('X Token');
    await hook.getByLabel('Header 1 value').fill('typed');
    // A URL only the engine refuses: once its sentence is shown, the engine has answered for the header too.
    await hook.getByLabel('URL').fill('javascript:alert(1)');
    await hook.getByRole('alert').filter({ hasText: 'must be an http:// or https:// URL' }).waitFor();
    assert.equal(await hook.getByRole('alert').filter({ hasText: '"X Token" is not a header name' }).count(), 1);
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
  });

  await t.test('a header the HTTP client sets itself gets a sentence on its own row, and Save is blocked', async () => {
    await openPlan(page, 'headers');
    const before = await readFile(session.setup.configFile, 'utf8');
    const hook = monitor(page, 'Monitor 1 (webhook)');
    await hook.getByLabel('Header 1 name').fill('Expect');
    // A renamed header's hidden value must be typed again (the form says so first); then the engine has its say.
    await hook.getByLabel('Header 1 value').fill('100-continue');
    await hook.getByRole('alert').filter({ hasText: '"Expect" is a header the HTTP client writes or refuses itself' }).waitFor();
    // The sentence may come from the check of the draft before the value was typed, which shows but does not
    // block (Save checks the whole draft again); the check of this draft blocks Save.
    await waitFor(() => save(page).isDisabled(), 'Save blocked by the check of the draft as it is');
    await page.getByRole('button', { name: 'Discard changes' }).first().click();
    assert.equal(await hook.getByLabel('Header 1 name').inputValue(), 'X-Extra');
    assert.equal(await readFile(session.setup.configFile, 'utf8'), before, 'nothing was saved');
  });

  assert.deepEqual(session.errors, [], 'no script errors in the page');
});
