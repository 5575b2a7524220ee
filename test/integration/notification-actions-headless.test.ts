import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { hasDesktopTools } from '../helpers/desktop-session.ts';
import { LIFEBOAT_BIN, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { fakeNotificationServer, privateBus } from '../helpers/notification-server.ts';
import { exited, waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const tools = hasDesktopTools();

/** A desktop for a headless process: a notification server with buttons on a private bus, and an xdg-open that notes what it was asked to open. */
async function headlessDesktop(t: TestContext, root: string) {
  const address = await privateBus(t);
  const server = await fakeNotificationServer(t, address, ['actions', 'body']);
  const bin = join(root, 'bin');
  await mkdir(bin);
  const openedFile = join(root, 'opened.txt');
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${openedFile}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  const env = { DBUS_SESSION_BUS_ADDRESS: address, DISPLAY: ':lifeboat-test', PATH: `${bin}:${process.env.PATH}` };
  return { server, env, opened: async () => (await readFile(openedFile, 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

function failingSetup(root: string): Promise<Setup> {
  return writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [join(root, 'unplugged')], schedule: { every: '1h' } }]);
}

test('under lifeboat serve, Open log on a notification opens the browser UI at that run through a one-time sign-in link', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const root = await tempDir(t);
  const desktop = await headlessDesktop(t, root);
  const setup = await failingSetup(root);
  const served = await startServe(t, { ...setup, env: { ...setup.env, ...desktop.env } });
  // The plan is due at once: its first run fails and is told with buttons.
  await waitFor(() => desktop.server.calls.length === 1, 'the failure notification');
  assert.deepEqual(desktop.server.calls[0]!.actions, ['retry', 'Retry now', 'snooze', 'Snooze 1 h', 'open-log', 'Open log']);
  const [run] = (await served.call('history.list', { plan: 'docs' })).body as Array<{ id: string }>;
  desktop.server.invoke(1, 'open-log');
  if (process.getuid?.() === 0) {
    // A browser is never started as root: the log's place is said instead.
    await waitFor(() => served.output().includes('could not open a browser'), 'the answer');
    assert.match(served.output(), new RegExp(`Lifeboat runs as root.*the log of run ${run!.id} is in `));
    return;
  }
  await waitFor(async () => (await desktop.opened()).length === 1, 'the browser');
  const [url] = await desktop.opened();
  assert.match(url!, new RegExp(`^${served.base}auth\\?code=[^#&]+#/history/${run!.id}$`));
  const signIn = await fetch(url!.split('#')[0]!, { redirect: 'manual' });
  assert.equal(signIn.status, 303, 'the one-time code signs the browser in');
  assert.match(signIn.headers.get('set-cookie') ?? '', /HttpOnly/);
});

test('under lifeboat daemon, Open log with no browser UI running says where the log is', {
  skip: !tools && 'dbus is missing',
  timeout: 60_000,
}, async (t) => {
  const root = await tempDir(t);
  const desktop = await headlessDesktop(t, root);
  const setup = await failingSetup(root);
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('daemon')], {
    env: { ...process.env, ...setup.env, ...desktop.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  await waitFor(() => desktop.server.calls.length === 1, 'the failure notification');
  desktop.server.invoke(1, 'open-log');
  await waitFor(() => output.includes('no browser UI is running'), 'where the log is');
  assert.match(output, /no browser UI is running \("lifeboat serve" starts one\); the log of run \w+ is in \S+\/history\/logs\/\w+\.json/);
  assert.deepEqual(await desktop.opened(), []);
});
