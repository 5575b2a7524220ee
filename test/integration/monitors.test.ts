import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { httpRecorder } from '../helpers/http-recorder.ts';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

test('monitors get the exact requests for success, failure and skip; a skip is never a failure ping', async (t) => {
  const root = await tempDir(t);
  const server = await httpRecorder();
  t.after(() => server.close());
  const source = await smallSource(root);
  const monitors = [
    { type: 'healthchecks', url: `${server.url}/hc/0f3a` },
    { type: 'ntfy', url: `${server.url}/ntfy/backups`, token: 'tk_secret' },
    { type: 'webhook', url: `${server.url}/hook`, headers: { 'X-Token': 'abc' } },
  ];
  const setup = await writeSetup(root, [
    { id: 'ok', name: 'Documents', sources: [source], monitors },
    { id: 'broken', name: 'Broken', sources: [join(root, 'missing')], monitors },
    {
      id: 'skip',
      name: 'Skipper',
      sources: [source],
      monitors,
      hooks: [{ id: 'usb', on: ['run.start'], condition: { type: 'path', path: join(root, 'usb') } }],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const seen = (from: number) => server.requests.slice(from).map((r) => `${r.method} ${r.path}`);

  let mark = server.requests.length;
  const ok = JSON.parse((await lifeboat(setup.args('run', 'ok', '--json'), { env: setup.env })).stdout);
  assert.equal(ok.status, 'success');
  const okRequests = server.requests.slice(mark);
  assert.equal(seen(mark)[0], 'POST /hc/0f3a/start', 'the start ping comes first');
  assert.deepEqual(seen(mark).sort(), ['POST /hc/0f3a', 'POST /hc/0f3a/start', 'POST /hook', 'POST /ntfy/backups'].sort());
  const ntfy = okRequests.find((r) => r.path === '/ntfy/backups')!;
  assert.equal(ntfy.headers.priority, 'default');
  assert.equal(ntfy.headers.title, 'Backup done: Documents');
  assert.equal(ntfy.headers.authorization, 'Bearer tk_secret');
  const hook = okRequests.find((r) => r.path === '/hook')!;
  assert.equal(hook.headers['x-token'], 'abc');
  assert.deepEqual(Object.keys(JSON.parse(hook.body)), ['plan', 'run', 'status', 'reason', 'summary']);
  assert.deepEqual(JSON.parse(hook.body).plan, 'ok');
  assert.equal(JSON.parse(hook.body).run, ok.id);
  assert.equal(JSON.parse(hook.body).summary.snapshot_id, ok.snapshotId);

  mark = server.requests.length;
  const broken = JSON.parse((await lifeboat(setup.args('run', 'broken', '--json'), { env: setup.env })).stdout);
  assert.equal(broken.status, 'failure');
  assert.equal(seen(mark)[0], 'POST /hc/0f3a/start');
  assert.deepEqual(seen(mark).sort(), ['POST /hc/0f3a/fail', 'POST /hc/0f3a/start', 'POST /hook', 'POST /ntfy/backups'].sort());
  const fail = server.requests.slice(mark).find((r) => r.path === '/hc/0f3a/fail')!;
  assert.match(fail.body, /^failure: The source ".*missing" does not exist/, 'the fail ping carries the log tail');
  assert.equal(server.requests.slice(mark).find((r) => r.path === '/ntfy/backups')!.headers.priority, 'high');

  mark = server.requests.length;
  const skipped = JSON.parse((await lifeboat(setup.args('run', 'skip', '--json', '--trigger', 'schedule'), { env: setup.env })).stdout);
  assert.equal(skipped.status, 'skipped');
  assert.deepEqual(seen(mark).sort(), ['POST /hook', 'POST /ntfy/backups'], 'healthchecks hears nothing of a skip');
  const quiet = server.requests.slice(mark).find((r) => r.path === '/ntfy/backups')!;
  assert.equal(quiet.headers.priority, 'low');
  assert.equal(JSON.parse(server.requests.slice(mark).find((r) => r.path === '/hook')!.body).status, 'skipped');
});

test('a plan name or header value beyond ASCII reaches the monitor as UTF-8, and a line break in a name as a space: no ping is lost to it', async (t) => {
  const root = await tempDir(t);
  const server = await httpRecorder();
  t.after(() => server.close());
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    {
      id: 'photos',
      name: 'Fotos 📷 — Sommer\nzweite Zeile',
      sources: [source],
      monitors: [
        { type: 'ntfy', url: `${server.url}/ntfy/backups` },
        { type: 'webhook', url: `${server.url}/hook`, headers: { 'X-Title': 'Backup — Laptop 📷 café' } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const run = JSON.parse((await lifeboat(setup.args('run', 'photos', '--json'), { env: setup.env })).stdout);
  assert.equal(run.status, 'success');
  // Node's server reads a header's bytes as Latin-1: the bytes sent are the text's UTF-8.
  const utf8 = (value: string | string[] | undefined) => Buffer.from(String(value), 'latin1').toString('utf8');
  const ntfy = server.requests.find((r) => r.path === '/ntfy/backups');
  assert.ok(ntfy, 'the ntfy ping arrived');
  assert.equal(utf8(ntfy.headers.title), 'Backup done: Fotos 📷 — Sommer zweite Zeile');
  const hook = server.requests.find((r) => r.path === '/hook');
  assert.ok(hook, 'the webhook ping arrived');
  assert.equal(utf8(hook.headers['x-title']), 'Backup — Laptop 📷 café');
});

test('a monitor that hangs or answers 500 does not delay the run or change its status, and is tried 3 times', async (t) => {
  const root = await tempDir(t);
  const hanging = await httpRecorder(() => undefined);
  const failing = await httpRecorder((_request, response) => {
    response.statusCode = 500;
    response.end('oops');
  });
  t.after(() => hanging.close());
  t.after(() => failing.close());
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      monitors: [
        { type: 'healthchecks', url: `${hanging.url}/hc` },
        { type: 'webhook', url: `${failing.url}/hook` },
      ],
    },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const logged: string[] = [];
  const engine = await Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env },
    // Long enough for each try to reach the server that hangs on a loaded machine, which counts only what arrives.
    monitors: { timeoutMs: 1500, backoffMs: 50 },
    log: (line) => logged.push(line),
  });
  const started = Date.now();
  const run = await engine.runPlan('docs');
  const runTook = Date.now() - started;
  assert.equal(run.status, 'success');
  await engine.flushMonitors();
  assert.equal(failing.requests.length, 3, 'three tries at the server that answered 500');
  assert.equal(hanging.requests.filter((r) => r.path === '/hc').length, 3, 'three tries at the one that hung');
  assert.ok(runTook < 10_000, `the run took ${runTook} ms`);
  assert.ok(
    logged.some((line) => /monitor at 127\.0\.0\.1:\d+ not reached: no answer in time \(try 3 of 3\)/.test(line)),
    logged.join('\n'),
  );
  assert.ok(!logged.join('\n').includes('/hc'), 'logs name the host, never the monitor URL');
  assert.equal((await engine.history.get(run.id))?.status, 'success');
});

test('lifeboat run prints its result while a monitor still holds its ping, and exits once the ping is answered', async (t) => {
  const root = await tempDir(t);
  const held: ServerResponse[] = [];
  const server = await httpRecorder((_request, response) => {
    held.push(response); // no answer until the test says so
  });
  t.after(() => server.close());
  const source = await smallSource(root);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], monitors: [{ type: 'healthchecks', url: `${server.url}/hc` }] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'docs', '--json')], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.on('exit', () => {
    exited = true;
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  // The whole record arrives while the end ping is still held by the server.
  for await (const chunk of child.stdout) {
    stdout += chunk;
    if (stdout.endsWith('\n')) break;
  }
  const record = JSON.parse(stdout);
  assert.equal(record.status, 'success');
  // The record is printed as the end ping is sent, not once it has arrived: wait for it to arrive.
  await waitFor(() => server.requests.some((r) => r.path === '/hc'), 'the end ping to reach the server');
  assert.equal(exited, false, 'the process waits for the ping before it exits');
  assert.equal(
    server.requests.filter((r) => r.path === '/hc').length,
    1,
    `printed while the first try of the end ping is still unanswered, none timed out yet (${server.requests.map((r) => r.path).join(', ')})`,
  );
  for (const response of held) response.end('OK');
  const timer = setInterval(() => {
    for (const response of held.splice(0)) response.end('OK'); // a retry that arrives after the release
  }, 50);
  t.after(() => clearInterval(timer));
  assert.equal(await closed, 0);
});
