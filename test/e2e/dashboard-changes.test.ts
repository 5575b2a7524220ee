import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { drawnText, openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON as the test reads it
const listedBare = (answer: { body: any }) => answer.body.find((plan: { id: string }) => plan.id === 'bare');

test('in a real browser: a card shows its stored changes line from plans.list, and no card asks for changes or makes restic work', {
  skip: skipBrowser(),
  timeout: 90_000,
}, async (t) => {
  const root = await tempDir(t);
  const kept = join(root, 'Kept');
  const bare = join(root, 'Bare "quoted" $(x)');
  await mkdir(kept, { recursive: true });
  await mkdir(bare, { recursive: true });
  await writeFile(join(kept, 'a.txt'), 'first\n');
  await writeFile(join(bare, 'b.txt'), 'only\n');
  const setup = await writeSetup(root, [
    { id: 'kept', name: 'Kept changes', sources: [kept] },
    { id: 'bare', name: 'No record', sources: [bare] },
    { id: 'new', name: 'Never run', sources: [bare] },
  ]);
  // restic through a wrapper that writes down every command it is given.
  const log = join(root, 'restic-commands.log');
  const wrapper = join(root, 'restic-logged');
  await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\nexec '${process.env.LIFEBOAT_TEST_RESTIC ?? 'restic'}' "$@"\n`);
  await chmod(wrapper, 0o755);
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { resticPath: wrapper } }, null, 2));
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  for (const plan of ['kept', 'bare']) assert.equal(JSON.parse((await lifeboatHere(setup, 'run', plan, '--json')).stdout).status, 'success');
  await writeFile(join(kept, 'a.txt'), 'first, then more\n');
  await writeFile(join(kept, 'new.txt'), 'new\n');
  const second = JSON.parse((await lifeboatHere(setup, 'run', 'kept', '--json')).stdout);
  assert.equal(second.status, 'success', second.reason);

  const served = await startServe(t, setup);
  // Kept's last backup has its changes stored (its run's page was opened); bare's has none.
  const stored = (await served.call('runs.changes', { runId: second.id })).body;
  assert.match(stored.sentence, /^2 files changed, \+/);
  const changesFolder = join(setup.dataDir, 'history', 'changes');
  const storedFiles = async () => (await readdir(changesFolder)).sort();
  assert.deepEqual(await storedFiles(), [`${second.id}.json`]);
  const commands = async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line && line !== 'version');
  const commandsBefore = (await commands()).length;

  const { page, errors, report } = await openBrowser(t, served);
  try {
    const asked: string[] = [];
    const answering = new Set<unknown>();
    page.on('request', (request) => {
      if (!request.url().includes('/api/call/')) return;
      asked.push(new URL(request.url()).pathname.replace('/api/call/', ''));
      answering.add(request);
    });
    page.on('requestfinished', (request) => answering.delete(request));
    page.on('requestfailed', (request) => answering.delete(request));
    await page.reload(); // the whole load seen from the start
    const keptCard = page.getByRole('article', { name: 'Kept changes' });
    const line = keptCard.getByRole('link', { name: stored.sentence, exact: true });
    await line.waitFor();
    assert.equal(await line.getAttribute('href'), `#/history/${second.id}`, 'the line opens its run');
    // Every call the page made after its cards were drawn (their effects ran by the next frame) answered.
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          (globalThis as unknown as { requestAnimationFrame: (draw: () => void) => void }).requestAnimationFrame(() => setTimeout(resolve, 0)),
        ),
    );
    await waitFor(() => answering.size === 0, 'every call the page made to be answered');
    assert.deepEqual(
      asked.filter((name) => name === 'runs.changes'),
      [],
      'no card asks for changes',
    );
    assert.ok(asked.includes('plans.list'));
    assert.deepEqual((await commands()).slice(commandsBefore), [], 'no restic command ran for the dashboard');
    assert.deepEqual(await storedFiles(), [`${second.id}.json`], 'nothing was worked out for the card without a record');
    const bareCard = page.getByRole('article', { name: 'No record' });
    assert.equal(
      await bareCard.getByRole('link', { name: 'Open the run to see' }).getAttribute('href'),
      `#/history/${listedBare(await served.call('plans.list')).lastBackup.id}`,
      'no record: a link to the run, whose page works it out',
    );
    assert.equal(await page.getByRole('article', { name: 'Never run' }).getByText('Changed', { exact: true }).count(), 0, 'never backed up: no line');

    // Back up now: serve works out the run's changes after it, and the open card shows them.
    await writeFile(join(bare, 'c.txt'), 'another\n');
    await bareCard.getByRole('button', { name: 'Back up now' }).click();
    const bareLine = bareCard.getByRole('link', { name: /^1 file changed, \+/ });
    await bareLine.waitFor();
    assert.equal(await drawnText(bareLine), listedBare(await served.call('plans.list')).lastChanges.sentence);
    await waitFor(async () => (await storedFiles()).length === 2, 'the run changes stored', 10_000);
    assert.deepEqual(errors, [], 'no script errors in the page');
  } catch (error) {
    await report(error);
  }
});
