import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { calls } from '../../main/api/contract.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { rawRequest } from '../helpers/raw-request.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const raw = rawRequest;

async function servedSetup(t: Parameters<typeof startServe>[0]) {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(
    root,
    [
      {
        id: 'docs',
        name: 'Documents',
        sources: [source],
        monitors: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook-secret-path', headers: { Authorization: 'Bearer hook-secret' } }],
      },
    ],
    { env: { AWS_SECRET_ACCESS_KEY: 'aws-secret-value' } },
  );
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  return { root, setup, served: await startServe(t, setup) };
}

test('serve binds to 127.0.0.1, refuses requests without the right token, from other origins or for other hosts', async (t) => {
  const { served } = await servedSetup(t);
  assert.match(served.base, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const json = { 'Content-Type': 'application/json' };
  const host = { Host: new URL(served.base).host };
  assert.equal((await raw(served.base, '/api/call/app.status', { headers: { ...json, ...host }, body: '{}' })).status, 401, 'no token');
  assert.equal(
    (await raw(served.base, '/api/call/app.status', { headers: { ...json, ...host, Authorization: 'Bearer wrong' }, body: '{}' })).status,
    401,
    'wrong token',
  );
  const auth = { Authorization: `Bearer ${served.token}` };
  assert.equal((await raw(served.base, '/api/call/app.status', { headers: { ...json, ...host, ...auth }, body: '{}' })).status, 200);
  const crossOrigin = await raw(served.base, '/api/call/app.status', { headers: { ...json, ...host, ...auth, Origin: 'http://evil.example' }, body: '{}' });
  assert.equal(crossOrigin.status, 403);
  assert.equal(JSON.parse(crossOrigin.body).error.code, 'cross-origin');
  const rebinding = await raw(served.base, '/api/call/app.status', { headers: { ...json, ...auth, Host: 'evil.example:80' }, body: '{}' });
  assert.equal(rebinding.status, 403, 'a foreign Host header (DNS rebinding) is refused');
  const sameOrigin = await raw(served.base, '/api/call/app.status', {
    headers: { ...json, ...host, ...auth, Origin: served.base.replace(/\/$/, '') },
    body: '{}',
  });
  assert.equal(sameOrigin.status, 200);
  const events = await fetch(`${served.base}api/events`);
  assert.equal(events.status, 401, 'the event stream needs the token too');
  const page = await fetch(served.base);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
});

test('every call rejects malformed input with a structured 4xx; malformed JSON, wrong content type and oversized bodies too', async (t) => {
  const { served } = await servedSetup(t);
  for (const name of Object.keys(calls)) {
    const result = await served.call(name, { unexpected: true });
    assert.equal(result.status, 400, `${name}: ${JSON.stringify(result.body)}`);
    assert.equal(result.body.error.code, 'invalid-input', name);
    assert.ok(Array.isArray(result.body.error.problems) && result.body.error.problems.length > 0, name);
  }
  const wrongType = await served.call('history.list', { limit: 'ten' });
  assert.equal(wrongType.status, 400);
  assert.deepEqual(
    wrongType.body.error.problems.map((p: { path: string }) => p.path),
    ['limit'],
  );
  const auth = { Authorization: `Bearer ${served.token}` };
  const host = { Host: new URL(served.base).host };
  const malformed = await raw(served.base, '/api/call/app.status', { headers: { 'Content-Type': 'application/json', ...auth, ...host }, body: '{"oops"' });
  assert.equal(malformed.status, 400);
  assert.equal(JSON.parse(malformed.body).error.code, 'malformed-json');
  const form = await raw(served.base, '/api/call/app.status', { headers: { 'Content-Type': 'text/plain', ...auth, ...host }, body: '{}' });
  assert.equal(form.status, 415);
  const huge = await raw(served.base, '/api/call/config.validate', {
    headers: { 'Content-Type': 'application/json', ...auth, ...host },
    body: Buffer.alloc(2 * 1024 * 1024, 0x20),
  });
  assert.equal(huge.status, 413);
  assert.equal((await served.call('nothing.here')).status, 404);
  const desktopOnly = await served.call('desktop.pickFolder', {});
  assert.equal(desktopOnly.status, 501);
  assert.match(desktopOnly.body.error.message, /Only the desktop app can do this/);
  assert.equal((await served.call('plans.run', { plan: 'nope' })).status, 404);
});

test('no response ever carries the password or the other secrets; saving the masked config keeps them', async (t) => {
  const { setup, served } = await servedSetup(t);
  const secrets = [setup.password, 'aws-secret-value', 'hook-secret-path', 'hook-secret'];
  const seen: string[] = [];
  const record = async (name: string, input: unknown = {}) => {
    const result = await served.call(name, input);
    seen.push(JSON.stringify(result.body));
    return result;
  };
  assert.equal((await record('plans.run', { plan: 'docs' })).status, 200);
  await waitFor(
    async () => (await served.call('history.list', {})).body.some((run: { status: string }) => run.status !== 'running'),
    'the run to finish',
    30_000,
  );
  const [run] = (await record('history.list', {})).body;
  assert.equal(run.status, 'success', run.reason);
  for (const name of ['app.status', 'config.get', 'plans.list', 'repositories.list', 'templates.list']) await record(name);
  await record('history.get', { id: run.id });
  await record('snapshots.list', { plan: 'docs' });
  for (const secret of secrets) {
    assert.ok(!seen.some((text) => text.includes(secret)), `${secret} reached the UI`);
  }
  const { config } = (await served.call('config.get')).body;
  config.plans[0].name = 'Documents (renamed)';
  assert.equal((await served.call('config.save', { config })).status, 200);
  const stored = JSON.parse(await readFile(setup.configFile, 'utf8'));
  assert.equal(stored.plans[0].name, 'Documents (renamed)');
  assert.equal(stored.repositories[0].env.AWS_SECRET_ACCESS_KEY, 'aws-secret-value');
  assert.equal(stored.plans[0].monitors[0].url, 'http://127.0.0.1:9/hook-secret-path');
  assert.equal(stored.plans[0].monitors[0].headers.Authorization, 'Bearer hook-secret');
});

test('an invalid config is refused with every problem and nothing is written', async (t) => {
  const { setup, served } = await servedSetup(t);
  const before = await readFile(setup.configFile, 'utf8');
  const { config } = (await served.call('config.get')).body;
  config.plans[0].schedule = { cron: 'every hour' };
  config.plans[0].sources = ['relative/path'];
  const result = await served.call('config.save', { config });
  assert.equal(result.status, 422);
  assert.deepEqual(result.body.error.problems.map((p: { path: string }) => p.path).sort(), ['plans[0].schedule.cron', 'plans[0].sources[0]']);
  assert.equal(await readFile(setup.configFile, 'utf8'), before);
});

test('live events stream a run from start to end, and a hook being edited can be test-run with its output', async (t) => {
  const { served } = await servedSetup(t);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const response = await fetch(`${served.base}api/events`, { headers: { Authorization: `Bearer ${served.token}` }, signal: controller.signal });
  assert.equal(response.status, 200);
  const names: string[] = [];
  const lines: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        for (const line of decoder.decode(chunk as Uint8Array, { stream: true }).split('\n')) {
          if (line.startsWith('event: ')) names.push(line.slice(7));
          if (line.startsWith('data: ')) lines.push(line.slice(6));
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  await served.call('plans.run', { plan: 'docs' });
  await waitFor(() => names.includes('run.ended'), 'run.ended', 30_000);
  assert.equal(names[0], 'run.started');
  assert.ok(names.includes('run.step'));
  const hook = { id: 'hello', on: ['backup.before'], script: { inline: 'echo "plan is $LIFEBOAT_PLAN_ID"\necho warn >&2' } };
  const tested = await served.call('hooks.test', { plan: 'docs', hook, testId: 't1' });
  assert.equal(tested.status, 200, JSON.stringify(tested.body));
  assert.equal(tested.body.outcome, 'pass');
  assert.match(tested.body.output, /stdout plan is docs/);
  await waitFor(() => lines.some((line) => line.includes('"testId":"t1"') && line.includes('plan is docs')), 'the live hook output');
  const broken = await served.call('hooks.test', { plan: 'docs', hook: { id: 'x', on: ['backup.before'], script: { inline: 'echo {{NOPE}}' } }, testId: 't2' });
  assert.equal(broken.status, 422);
  assert.match(broken.body.error.problems[0].message, /\{\{NOPE\}\} is not a variable/);
});

test('with a config that does not parse, serve still starts and every call says what is wrong and where; the file is untouched', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const broken = '{\n  "version": 1,\n  "plans": [,]\n}\n';
  await writeFile(setup.configFile, broken);
  const served = await startServe(t, setup);
  const status = await served.call('app.status', {});
  assert.equal(status.status, 503);
  assert.equal(status.body.error.code, 'config-broken');
  assert.match(status.body.error.message, /cannot be read \(.*config\.json, line 3, column \d+\).*Fix the file, then restart Lifeboat/);
  assert.equal(await readFile(setup.configFile, 'utf8'), broken);
  const page = await fetch(served.base);
  assert.equal(page.status, 200, 'the UI is served to show the problem');
});
