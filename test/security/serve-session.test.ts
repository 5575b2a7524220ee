import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, chown, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { processIsAlive } from '../../main/core/util/process-alive.ts';
import { Sessions } from '../../main/server/sessions.ts';
import { LIFEBOAT_BIN, lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { exited, freePort, waitFor } from '../helpers/processes.ts';
import { rawRequest } from '../helpers/raw-request.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

async function setupIn(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  return { root, setup: await writeSetup(root, [{ id: 'docs', sources: [root] }]) };
}

/** Every process's command line on this machine, as /proc shows it to anyone. */
async function allCommandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const line = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (line) lines.push(line.replaceAll('\0', ' '));
  }
  return lines;
}

test('the serve token lives in serve-token (0600) in the data dir, is reused across restarts, and is never printed', async (t) => {
  const { setup } = await setupIn(t);
  const first = await startServe(t, setup);
  const file = join(setup.dataDir, 'serve-token');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.match(first.output(), /serving at http:\/\/127\.0\.0\.1:\d+\/ \(run "lifeboat open"/);
  assert.ok(!first.output().includes(first.token), 'the token is not printed');
  assert.equal((await first.call('app.status')).status, 200);
  first.child.kill('SIGTERM');
  await exited(first.child);
  await chmod(file, 0o644);
  const second = await startServe(t, setup);
  assert.equal(second.token, first.token, 'the same token after a restart');
  assert.equal((await stat(file)).mode & 0o777, 0o600, 'a loosened mode is put back');
  assert.equal((await second.call('app.status')).status, 200);
  second.child.kill('SIGTERM');
  await exited(second.child);
  const fromEnv = await startServe(t, { ...setup, env: { ...setup.env, LIFEBOAT_SERVE_TOKEN: 'token-set-by-a-script-0123456789' } });
  assert.equal((await fromEnv.call('app.status')).status, 200);
  assert.equal((await readFile(file, 'utf8')).trim(), 'token-set-by-a-script-0123456789', 'LIFEBOAT_SERVE_TOKEN sets the token');
});

test('a port that is taken is a clear error naming --port', async (t) => {
  const { setup } = await setupIn(t);
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const result = await lifeboat(setup.args('serve', '--port', String(port)), { env: setup.env });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`^✘ Port ${port} on 127\\.0\\.0\\.1 is already in use .*lifeboat open.*Pick another port with --port N\\.\\n$`, 'm'));
  assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/, 'no stack trace');
});

test('a one-time code signs a browser in once: HttpOnly SameSite=Strict cookie, then refused; the cookie counts only from this site', async (t) => {
  const { setup } = await setupIn(t);
  const served = await startServe(t, setup);
  const host = new URL(served.base).host;
  const origin = served.base.replace(/\/$/, '');
  const minted = await rawRequest(served.base, '/api/session-code', { headers: { Host: host, Authorization: `Bearer ${served.token}` }, body: '' });
  assert.equal(minted.status, 200, minted.body);
  const { code, url } = JSON.parse(minted.body);
  assert.equal(url, `${served.base}auth?code=${code}`);
  assert.ok(!url.includes(served.token));
  const signIn = await fetch(url, { redirect: 'manual' });
  assert.equal(signIn.status, 303);
  assert.equal(signIn.headers.get('location'), '/');
  const cookie = signIn.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^lifeboat-session-\d+=[\w-]{20,}; HttpOnly; SameSite=Strict; Path=\/$/);
  const again = await fetch(url, { redirect: 'manual' });
  assert.equal(again.status, 403, 'a code works once');
  assert.match(await again.text(), /already used or has expired.*lifeboat open/);
  const session = cookie.split(';')[0]!;
  const json = { 'Content-Type': 'application/json', Host: host, Cookie: session };
  const call = (headers: Record<string, string>) => rawRequest(served.base, '/api/call/app.status', { headers, body: '{}' });
  assert.equal((await call({ ...json, Origin: origin })).status, 200, 'the cookie from this page works');
  assert.equal((await call({ ...json, Origin: origin, 'Sec-Fetch-Site': 'same-origin' })).status, 200);
  assert.equal((await call({ ...json, Origin: 'http://evil.example' })).status, 403, 'a foreign Origin is refused');
  assert.equal((await call(json)).status, 401, 'a cookie on a POST without Origin is refused');
  assert.equal((await call({ ...json, Origin: origin, 'Sec-Fetch-Site': 'cross-site' })).status, 401, 'a cross-site request is refused');
  assert.equal((await call({ ...json, Host: 'evil.example', Origin: 'http://evil.example' })).status, 403, 'a foreign Host is refused');
  assert.equal((await call({ ...json, Origin: origin, Cookie: 'lifeboat-session-1=forged' })).status, 401, 'a made-up session is refused');
  const events = await rawRequest(served.base, '/api/session', { method: 'GET', headers: { Host: host, Cookie: session } });
  assert.equal(events.status, 200, 'a same-origin GET (the event stream, the session probe) works with the cookie');
  const moreCodes = await rawRequest(served.base, '/api/session-code', { headers: { Host: host, Cookie: session, Origin: origin }, body: '' });
  assert.equal(moreCodes.status, 401, 'a session cannot mint codes; only the token can');
});

test('a sign-in code expires after 60 seconds and is spent by its first use (fake clock)', () => {
  let now = 1_000_000;
  const sessions = new Sessions(() => now);
  const late = sessions.mintCode();
  const onTime = sessions.mintCode();
  now += 59_999;
  assert.ok(sessions.redeem(onTime), 'valid for 60 s');
  assert.equal(sessions.redeem(onTime), undefined, 'and only once');
  now += 1;
  assert.equal(sessions.redeem(late), undefined, 'expired after 60 s');
  assert.equal(sessions.redeem(''), undefined);
  assert.equal(sessions.isSession('made-up'), false);
});

/** Runs as an ordinary user where the test runs as root: `lifeboat open` refuses to start a browser as root. */
const AS_USER = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];

test('lifeboat open opens a one-time link through xdg-open, and no process command line ever holds the token', async (t) => {
  const { root, setup } = await setupIn(t);
  const bin = join(root, 'bin');
  const record = join(root, 'xdg-open.argv');
  const leaks = join(root, 'leaks');
  await import('node:fs/promises').then((fs) => fs.mkdir(bin));
  // The fake browser opener looks at every command line on the machine while it "opens" the link
  // (grep reads the token from the file: it must not put it in a command line itself).
  await writeFile(
    join(bin, 'xdg-open'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nfor f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null | grep -qF -f '${setup.dataDir}/serve-token' && echo "$f" >> '${leaks}'; done\nexit 0\n`,
    { mode: 0o755 },
  );
  if (AS_USER.length) {
    for (const path of [root, bin, join(bin, 'xdg-open'), setup.configFile]) await chown(path, 65534, 65534);
  }
  const env = { ...process.env, ...setup.env, HOME: root, PATH: `${bin}:${process.env.PATH}`, DISPLAY: ':lifeboat-test' };
  const serve = spawn(
    AS_USER[0] ?? process.execPath,
    [...AS_USER.slice(1), ...(AS_USER.length ? [process.execPath] : []), LIFEBOAT_BIN, ...setup.args('serve', '--port', '0')],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  serve.stdout.on('data', (chunk) => (output += chunk));
  serve.stderr.on('data', (chunk) => (output += chunk));
  t.after(async () => {
    serve.kill('SIGTERM');
    await exited(serve);
  });
  await waitFor(() => /serving at (\S+)\s/.test(output) || serve.exitCode !== null, 'serve to start');
  const base = /serving at (\S+)\s/.exec(output)?.[1];
  assert.ok(base, output);
  const token = (await readFile(join(setup.dataDir, 'serve-token'), 'utf8')).trim();
  let watching = true;
  const seen: string[] = [];
  const watcher = (async () => {
    while (watching) {
      for (const line of await allCommandLines()) if (line.includes(token)) seen.push(line);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const open = await lifeboat(setup.args('open'), { env, prefix: AS_USER });
  watching = false;
  await watcher;
  assert.equal(open.code, 0, open.stdout + open.stderr);
  assert.match(open.stdout, /^Opened Lifeboat in your browser \(http:\/\/127\.0\.0\.1:\d+\/\)\.\n$/);
  assert.deepEqual(seen, [], 'the token was in a command line');
  assert.equal(await readFile(leaks, 'utf8').catch(() => ''), '', 'the token was in a command line while xdg-open ran');
  const [link] = (await readFile(record, 'utf8')).trim().split('\n');
  assert.match(link!, new RegExp(`^${base}auth\\?code=[\\w-]{20,}$`));
  assert.ok(!link!.includes(token));
  assert.equal((await fetch(link!, { redirect: 'manual' })).status, 303, 'the link signs the browser in');
  assert.equal((await fetch(link!, { redirect: 'manual' })).status, 403, 'once');
});

test('lifeboat open without a display (or as root) prints the one-time link in one line and says why', async (t) => {
  const { setup } = await setupIn(t);
  const served = await startServe(t, setup);
  const env = { ...setup.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const open = await lifeboat(setup.args('open'), { env });
  assert.equal(open.code, 0, open.stderr);
  assert.match(
    open.stdout,
    new RegExp(
      `^Could not open a browser: (there is no desktop display|Lifeboat runs as root)[^\\n]*\\. Open this one-time address within 60 s: ${served.base}auth\\?code=[\\w-]+\\n$`,
    ),
  );
  const link = /(http\S+)/.exec(open.stdout)![1]!;
  assert.equal((await fetch(link, { redirect: 'manual' })).status, 303);
});

test('lifeboat open starts serve in the background when it is not running, at the address it had last time', async (t) => {
  const { setup } = await setupIn(t);
  const port = await freePort();
  await import('node:fs/promises').then((fs) => fs.mkdir(setup.dataDir, { recursive: true }));
  // A serve that ran here before on this port and is gone.
  await writeFile(join(setup.dataDir, 'serve.json'), JSON.stringify({ host: '127.0.0.1', port, pid: 2 ** 22 + 1 }));
  // The serve open starts is stopped by the pid it recorded, read as soon as open returns: the temp
  // folder (serve.json with it) may be gone by the time this hook runs.
  let started: number | undefined;
  t.after(async () => {
    if (started === undefined) return;
    process.kill(started, 'SIGTERM');
    await waitFor(() => !processIsAlive(started!), 'the started serve to stop');
  });
  const open = await lifeboat(setup.args('open'), { env: { ...setup.env, DISPLAY: '', WAYLAND_DISPLAY: '' } });
  const recorded = JSON.parse(await readFile(join(setup.dataDir, 'serve.json'), 'utf8').catch(() => '{}')).pid;
  if (typeof recorded === 'number' && recorded !== 2 ** 22 + 1) started = recorded;
  assert.equal(open.code, 0, open.stdout + open.stderr);
  assert.ok(started !== undefined, 'the serve open started recorded itself');
  assert.match(open.stderr, /not serving yet; starting "lifeboat serve" in the background/);
  assert.match(open.stdout, new RegExp(`one-time address within 60 s: http://127\\.0\\.0\\.1:${port}/auth\\?code=`));
});

test('npm start without a display serves the browser UI and prints its stable address and how to open it', async (t) => {
  const { setup } = await setupIn(t);
  const env: NodeJS.ProcessEnv = { ...process.env, ...setup.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', 'start.ts'), ...setup.args('--port', '0')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited(child);
  });
  // The address and the hint after it arrive as separate writes: wait for the hint, the last line.
  await waitFor(() => /No browser can open here[^\n]*\n/.test(output) || child.exitCode !== null, 'npm start to print the address and how to open it', 120_000);
  assert.match(output, /Starting Lifeboat in your browser instead of the tray app: /);
  assert.match(output, /serving at (http:\/\/127\.0\.0\.1:\d+\/)[^\n]*\nNo browser can open here; Lifeboat stays at \1\. Run "\.\/lifeboat open" to open it/);
  const token = (await readFile(join(setup.dataDir, 'serve-token'), 'utf8')).trim();
  assert.ok(!output.includes(token));
});
