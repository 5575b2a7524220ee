import assert from 'node:assert/strict';
import { chown, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { askForLink } from '../../main/cli/commands/open.ts';
import { processIsAlive } from '../../main/core/util/process-alive.ts';
import { processStat } from '../../main/core/util/process-stat.ts';
import { DEFAULT_PORT } from '../../main/server/serve-files.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { canConnect, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

const TOKEN = 'the-serve-token-of-this-data-dir-0123456789';

/** Runs as an ordinary user where the test runs as root: `lifeboat open` starts no browser as root. */
const AS_USER = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];

interface Fake {
  port: number;
  /** The Authorization header of every request it got ('' when there was none). */
  authorizations: string[];
}

/** A stand-in for serve on 127.0.0.1: takes any token and answers `answer` as its sign-in link. */
async function fakeServe(t: Parameters<typeof tempDir>[0], answer: (port: number) => string, port = 0): Promise<Fake> {
  const authorizations: string[] = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ code: 'x', url: answer(fake.port), expiresInSeconds: 60 }));
  });
  const fake: Fake = { port: 0, authorizations };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  fake.port = (server.address() as { port: number }).port;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.unref();
  return fake;
}

/** A data dir that has a serve token (serve ran here once), and a fake xdg-open that notes what it was asked to open. */
async function setupIn(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  await mkdir(setup.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(join(setup.dataDir, 'serve-token'), `${TOKEN}\n`, { mode: 0o600 });
  const bin = join(root, 'bin');
  const opened = join(root, 'xdg-open.argv');
  await mkdir(bin);
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\nexit 0\n`, { mode: 0o755 });
  const env = { ...setup.env, PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':lifeboat-test', HOME: root };
  return { root, setup, env, opened: () => readFile(opened, 'utf8').catch(() => '') };
}

/** `lifeboat open` as an ordinary user (so it would start a browser), on files that user owns. */
async function open(root: string, args: string[], env: NodeJS.ProcessEnv) {
  if (AS_USER.length) await chownTree(root);
  return lifeboat(args, { env, prefix: AS_USER });
}

async function chownTree(path: string): Promise<void> {
  await chown(path, 65534, 65534);
  if ((await stat(path)).isDirectory()) for (const name of await readdir(path)) await chownTree(join(path, name));
}

function record(pid: number, port: number, processStart?: string) {
  return `${JSON.stringify({ host: '127.0.0.1', port, pid, ...(processStart === undefined ? {} : { processStart }) })}\n`;
}

test('lifeboat open with no serve.json never sends the token to whatever listens on the default port, and opens nothing it answers', async (t) => {
  if (await canConnect(DEFAULT_PORT)) {
    t.skip(`port ${DEFAULT_PORT} is in use on this machine: the stand-in cannot take it`);
    return;
  }
  const { root, setup, env, opened } = await setupIn(t);
  const squatter = await fakeServe(t, () => 'file:///etc/passwd', DEFAULT_PORT);
  const result = await open(root, setup.args('open'), env);
  assert.deepEqual(squatter.authorizations.filter(Boolean), [], 'the token went to a process that is not this data dir’s serve');
  assert.equal(await opened(), '', 'xdg-open was run');
  assert.doesNotMatch(result.stdout + result.stderr, /file:\/\/|Opened Lifeboat/);
  // It started serve itself, which cannot have the port the stand-in holds.
  assert.match(result.stderr, /starting "lifeboat serve" in the background/);
  assert.notEqual(result.code, 0);
  assert.match(await readFile(join(setup.dataDir, 'serve.log'), 'utf8'), new RegExp(`Port ${DEFAULT_PORT} on 127\\.0\\.0\\.1 is already in use`));
});

test('lifeboat open does not trust a serve.json whose pid now names another process (its start time differs)', async (t) => {
  const { root, setup, env, opened } = await setupIn(t);
  const squatter = await fakeServe(t, () => 'file:///etc/passwd');
  // This test's own process is alive, but it is not the serve that wrote the record.
  await writeFile(join(setup.dataDir, 'serve.json'), record(process.pid, squatter.port, '1'));
  const result = await open(root, setup.args('open'), env);
  assert.deepEqual(squatter.authorizations.filter(Boolean), [], 'the token went to a process that is not this data dir’s serve');
  assert.equal(await opened(), '', 'xdg-open was run');
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /starting "lifeboat serve" in the background/);
});

test('askForLink sends the token only to the serve recorded in serve.json and still running as that process', async (t) => {
  const { setup } = await setupIn(t);
  const fake = await fakeServe(t, (port) => `http://127.0.0.1:${port}/auth?code=abcdefghijklmnopqrstuvwxyz012345`);
  const file = join(setup.dataDir, 'serve.json');
  const env = { PATH: process.env.PATH };
  assert.equal(await askForLink(setup.dataDir, env), undefined, 'no serve.json: no serve to ask');
  await writeFile(file, record(2 ** 22 + 1, fake.port, '12345'));
  assert.equal(await askForLink(setup.dataDir, env), undefined, 'a recorded pid that is gone');
  await writeFile(file, record(process.pid, fake.port, '1'));
  assert.equal(await askForLink(setup.dataDir, env), undefined, 'a recorded pid that is another process now');
  await writeFile(file, record(process.pid, fake.port));
  assert.equal(await askForLink(setup.dataDir, env), undefined, 'a record without the start time, where /proc can tell');
  assert.deepEqual(fake.authorizations, [], 'nothing was sent so far');
  await writeFile(file, record(process.pid, fake.port, processStat(process.pid)!.start));
  const link = await askForLink(setup.dataDir, env);
  assert.deepEqual(link, { base: `http://127.0.0.1:${fake.port}/`, url: `http://127.0.0.1:${fake.port}/auth?code=abcdefghijklmnopqrstuvwxyz012345` });
  assert.deepEqual(fake.authorizations, [`Bearer ${TOKEN}`]);
});

test('lifeboat open refuses, with a sentence, a link from its serve that is not http://<its host>:<its port>/auth?code=…, and opens nothing', async (t) => {
  const { root, setup, env, opened } = await setupIn(t);
  let answer = 'file:///etc/passwd';
  const fake = await fakeServe(t, () => answer);
  // The record names a live process as it is (this test's own): the answer is all that is wrong.
  await writeFile(join(setup.dataDir, 'serve.json'), record(process.pid, fake.port, processStat(process.pid)!.start));
  for (answer of [
    'file:///etc/passwd',
    'http://evil.example/auth?code=abc',
    `http://127.0.0.1:${fake.port}/auth?code=abc&calc.exe`,
    `http://127.0.0.1:${fake.port}.evil.example/auth?code=abc`,
  ]) {
    const result = await open(root, setup.args('open'), env);
    assert.equal(result.code, 1, `${answer}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^✘ The server at http://127\\.0\\.0\\.1:${fake.port}/ answered with something other than its sign-in link`, 'm'));
    assert.equal(result.stdout, '', answer);
    assert.ok(!result.stderr.includes(answer), 'the answer is not echoed');
    assert.equal(await opened(), '', `xdg-open was run for ${answer}`);
  }
});

test('lifeboat open on a fresh install creates the data dir (0700, as serve does) and starts serve', async (t) => {
  if (await canConnect(DEFAULT_PORT)) {
    t.skip(`port ${DEFAULT_PORT} is in use on this machine: a fresh serve cannot take it`);
    return;
  }
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const dataDir = join(root, 'not', 'there', 'yet');
  const result = await lifeboat(['--config', setup.configFile, '--data-dir', dataDir, 'open'], {
    env: { ...setup.env, HOME: root, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  const started = JSON.parse(await readFile(join(dataDir, 'serve.json'), 'utf8').catch(() => '{}')) as { pid?: number };
  if (started.pid) {
    const pid = started.pid;
    t.after(async () => {
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !processIsAlive(pid), 'the started serve to stop');
    });
  }
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stderr, /internal error|ENOENT/);
  assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
  assert.match(result.stdout, new RegExp(`one-time address within 60 s: http://127\\.0\\.0\\.1:${DEFAULT_PORT}/auth\\?code=[\\w-]+\\n$`));
});
