import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApi } from '../../main/api/router.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { Engine } from '../../main/core/engine.ts';
import { keepTextfileCurrent, textfileFolder } from '../../main/core/metrics/textfile-refresh.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { promtoolCheck, sample } from '../helpers/exposition.ts';
import { httpRecorder } from '../helpers/http-recorder.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { rawRequest } from '../helpers/raw-request.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const labels = (plan: string) => `plan="${plan}",repository="local",host="${hostname()}"`;

// One repository for the file; each test writes its own config (and data dir) beside it.
let shared: { root: string; source: string; base: Setup };
before(async () => {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-metrics-settings-'));
  const source = join(root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'notes.txt'), 'x'.repeat(20_000));
  const base = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  assert.equal((await lifeboatHere(base, 'init', 'local')).code, 0);
  shared = { root, source, base };
});
after(() => rm(shared.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** A config in its own folder, on the shared repository, with these metrics settings. */
async function setupWith(t: Parameters<typeof tempDir>[0], metrics: Record<string, unknown>): Promise<Setup> {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [shared.source] }], { url: shared.base.repo });
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { notifications: false, metrics } }));
  return { ...setup, repo: shared.base.repo };
}

async function openEngine(setup: Setup, log: (line: string) => void, timeoutMs?: number): Promise<Engine> {
  return Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env },
    log,
    monitors: timeoutMs === undefined ? undefined : { timeoutMs },
  });
}

test('settings.metrics is checked: the pushgateway must be an http(s) URL and the textfile folder absolute', () => {
  const config = (metrics: unknown) => ({ version: 1, settings: { metrics } });
  assert.equal(validateConfig(config({ textfile: '~/prom', pushgateway: 'https://gw.example:9091', loopbackWithoutToken: true })).ok, true);
  const result = validateConfig(config({ textfile: 'prom', pushgateway: 'ftp://gw.example', extra: 1 }));
  assert.equal(result.ok, false);
  const messages = result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
  assert.ok(
    messages.some((line) => /^settings\.metrics\.textfile: must be an absolute folder/.test(line)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((line) => /^settings\.metrics\.pushgateway: must be an http:\/\/ or https:\/\/ URL/.test(line)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((line) => line.startsWith('settings.metrics')),
    'the unknown key is named',
  );
  const loaded = validateConfig(config({ textfile: '~/prom' }), { home: '/home/someone' });
  if (loaded.ok) assert.equal(loaded.config.settings.metrics.textfile, '/home/someone/prom');
});

test("after a real run the pushgateway receives this machine's group by PUT, with exposition promtool accepts; credentials in its URL go as Basic auth and never into the log", async (t) => {
  const gateway = await httpRecorder((_request, response) => {
    response.writeHead(200);
    response.end();
  });
  t.after(gateway.close);
  const setup = await setupWith(t, { pushgateway: `${gateway.url.replace('http://', 'http://ops:s3cret-pw@')}/prom/` });
  const lines: string[] = [];
  const engine = await openEngine(setup, (line) => lines.push(line));
  const run = await engine.runPlan('docs');
  assert.equal(run.status, 'success');
  await engine.flushMonitors();
  assert.equal(gateway.requests.length, 1, 'one push for the one run');
  const [push] = gateway.requests;
  assert.equal(push!.method, 'PUT');
  assert.equal(push!.path, `/prom/metrics/job/lifeboat/instance/${hostname()}`);
  assert.equal(push!.headers.authorization, `Basic ${Buffer.from('ops:s3cret-pw').toString('base64')}`);
  assert.deepEqual(promtoolCheck(push!.body), { code: 0, output: '' });
  assert.equal(sample(push!.body, `lifeboat_runs_total{${labels('docs')},status="success"}`), 1, 'the push carries the run that just ended');
  assert.ok((sample(push!.body, `lifeboat_last_success_timestamp_seconds{${labels('docs')}}`) ?? 0) > 0);
  assert.deepEqual(lines, []);
});

test('a pushgateway that hangs or answers 500 never changes the run: same status, the run does not wait for it, the log names only its host', async (t) => {
  let hung = 0;
  const hanging = await httpRecorder(() => {
    hung += 1; // never answers
  });
  t.after(hanging.close);
  const failing = await httpRecorder((_request, response) => {
    response.writeHead(500);
    response.end('boom');
  });
  t.after(failing.close);

  for (const [gateway, said] of [
    [hanging, /metrics: the pushgateway at http:\/\/127\.0\.0\.1:\d+ was not reached: no answer in time/],
    [failing, /metrics: the pushgateway at http:\/\/127\.0\.0\.1:\d+ answered 500; check settings\.metrics\.pushgateway/],
  ] as const) {
    const setup = await setupWith(t, { pushgateway: gateway.url.replace('http://', 'http://ops:s3cret-pw@') });
    const lines: string[] = [];
    const engine = await openEngine(setup, (line) => lines.push(line), 1500);
    const started = Date.now();
    const run = await engine.runPlan('docs');
    const took = Date.now() - started;
    assert.equal(run.status, 'success', run.reason ?? '');
    assert.equal(run.reason, null);
    if (gateway === hanging) {
      await waitFor(() => hung === 1, 'the push reaching the hanging gateway');
      assert.equal(lines.length, 0, 'the run ended while the push was still waiting');
    }
    await engine.flushMonitors();
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, said);
    assert.doesNotMatch(lines.join('\n'), /s3cret|ops:/);
    const recorded = await engine.history.get(run.id);
    assert.equal(recorded?.status, 'success');
    assert.ok(took < 15_000, `the run took ${took} ms`);
    assert.ok(Date.parse(recorded!.endedAt!) <= started + took, 'the run ended before the push gave up');
  }
});

test('serve keeps settings.metrics.textfile current after a run it starts', async (t) => {
  const root = await tempDir(t);
  const folder = join(root, 'textfile');
  await mkdir(folder);
  const setup = await setupWith(t, { textfile: folder });
  const served = await startServe(t, setup);
  const file = join(folder, 'lifeboat.prom');
  await waitFor(async () => (await readFile(file, 'utf8').catch(() => '')).includes('lifeboat_runs_total{'), 'serve writing the textfile at start');
  assert.equal((await served.call('plans.run', { plan: 'docs' })).status, 200);
  await waitFor(
    async () => sample(await readFile(file, 'utf8'), `lifeboat_runs_total{${labels('docs')},status="success"}`) === 1,
    'the textfile counting the run',
  );
  assert.deepEqual(promtoolCheck(await readFile(file, 'utf8')), { code: 0, output: '' });
  assert.match(served.output(), new RegExp(`metrics: writing ${file.replaceAll('/', '\\/')} after every run`));
});

test('/metrics without a token answers loopback only with loopbackWithoutToken on and a loopback Host; with the token any Host may scrape it, the API keeps its Host check', async (t) => {
  const open = await startServe(t, await setupWith(t, { loopbackWithoutToken: true }));
  const closed = await startServe(t, await setupWith(t, {}));
  const port = (served: { base: string }) => new URL(served.base).port;

  for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
    const answer = await rawRequest(open.base, '/metrics', { method: 'GET', headers: { Host: `${host}:${port(open)}` } });
    assert.equal(answer.status, 200, host);
    assert.match(answer.body, /lifeboat_runs_total\{/);
  }
  // A page on another site that rebinds its name to 127.0.0.1 sends its own Host: no token, no metrics.
  const rebound = await rawRequest(open.base, '/metrics', { method: 'GET', headers: { Host: `evil.example:${port(open)}` } });
  assert.equal(rebound.status, 401);
  assert.doesNotMatch(rebound.body, /lifeboat_/);
  const off = await rawRequest(closed.base, '/metrics', { method: 'GET', headers: { Host: `127.0.0.1:${port(closed)}` } });
  assert.equal(off.status, 401, 'without the setting, loopback needs the token too');

  // Prometheus on another machine names this one as it knows it.
  for (const served of [open, closed]) {
    const lan = await rawRequest(served.base, '/metrics', {
      method: 'GET',
      headers: { Host: `backup-box.lan:${port(served)}`, Authorization: `Bearer ${served.token}` },
    });
    assert.equal(lan.status, 200, lan.body);
    assert.match(lan.body, /lifeboat_runs_total\{/);
    const api = await rawRequest(served.base, '/api/call/plans.list', {
      headers: { Host: `backup-box.lan:${port(served)}`, Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(api.status, 403, 'the API still refuses a foreign Host');
  }
  // The setting opens /metrics only: the API on loopback still wants the token.
  const apiOpen = await rawRequest(open.base, '/api/call/plans.list', {
    headers: { Host: `127.0.0.1:${port(open)}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(apiOpen.status, 401);
});

test('the settings API keeps settings.metrics: the pushgateway password never goes back to a UI, a masked URL keeps it, a bad value is refused by field', async (t) => {
  const setup = await setupWith(t, {});
  const engine = await openEngine(setup, () => undefined);
  const scheduler = engine.createScheduler();
  t.after(() => scheduler.stop()); // a save arms its timer
  const api = createApi({ engine, scheduler, version: 'test', desktop: false });
  await api.call('settings.updateMetrics', { textfile: '~/prom', pushgateway: 'https://ops:s3cret-pw@gw.example:9091', loopbackWithoutToken: true });
  const shown = await api.call('settings.metrics', {});
  assert.deepEqual(shown, { textfile: '~/prom', pushgateway: 'https://ops:••••••••@gw.example:9091', loopbackWithoutToken: true });
  assert.doesNotMatch(JSON.stringify(await api.call('config.get', {})), /s3cret/);
  await api.call('settings.updateMetrics', { pushgateway: shown.pushgateway, loopbackWithoutToken: false });
  const stored = JSON.parse(await readFile(setup.configFile, 'utf8')).settings.metrics;
  assert.deepEqual(stored, { textfile: '~/prom', pushgateway: 'https://ops:s3cret-pw@gw.example:9091', loopbackWithoutToken: false });
  // The whole-config editor sends the masked URL back too.
  const { config, revision } = await api.call('config.get', {});
  await api.call('config.save', { config, revision });
  assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).settings.metrics.pushgateway, 'https://ops:s3cret-pw@gw.example:9091');

  const refusal = await api.call('settings.updateMetrics', { pushgateway: 'ftp://gw.example', textfile: 'relative/dir' }).then(
    () => undefined,
    (error: { status: number; problems?: Array<{ path: string; message: string }> }) => error,
  );
  assert.equal(refusal?.status, 422);
  assert.deepEqual(refusal?.problems?.map((problem) => problem.path).sort(), ['settings.metrics.pushgateway', 'settings.metrics.textfile']);
  const moved = await api.call('settings.updateMetrics', { pushgateway: 'https://ops:••••••••@other.example:9091' }).then(
    () => undefined,
    (error: { status: number; message: string }) => error,
  );
  assert.equal(moved?.status, 422);
  assert.match(moved?.message ?? '', /type the URL with its password again/);
  await api.call('settings.updateMetrics', { textfile: null, pushgateway: '' });
  assert.deepEqual(JSON.parse(await readFile(setup.configFile, 'utf8')).settings.metrics, { loopbackWithoutToken: false });
});

test('--textfile wins over settings.metrics.textfile; the setting is followed when it changes, and a missing folder is told once without stopping anything', async (t) => {
  const root = await tempDir(t);
  const [fromFlag, fromSettings, later] = ['flag', 'settings', 'later'].map((name) => join(root, name)) as [string, string, string];
  await Promise.all([mkdir(fromFlag), mkdir(fromSettings)]);
  const setup = await setupWith(t, { textfile: fromSettings });
  const engine = await openEngine(setup, () => undefined);
  const flagged = await keepTextfileCurrent(engine, textfileFolder(engine, fromFlag), () => undefined, { everyMs: 50 });
  await flagged();
  assert.deepEqual(await readdir(fromFlag), ['lifeboat.prom']);
  assert.deepEqual(await readdir(fromSettings), [], 'the flag wins');

  const lines: string[] = [];
  const stop = await keepTextfileCurrent(engine, textfileFolder(engine, undefined), (line) => lines.push(line), { everyMs: 50 });
  t.after(stop);
  await waitFor(async () => (await readdir(fromSettings)).includes('lifeboat.prom'), 'the settings folder written');
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.settings.metrics.textfile = later; // not there yet
  await writeFile(setup.configFile, JSON.stringify(config));
  assert.equal((await engine.reloadConfig()).changed, true);
  await waitFor(() => lines.some((line) => line.includes(`${later}/lifeboat.prom could not be written`)), 'the missing folder told');
  // Every refresh (each 50 ms) fails until the folder exists; the log says it once.
  await waitFor(async () => {
    const before = lines.length;
    await engine.runPlan('docs'); // a run ends: one more refresh that fails
    return lines.length === before;
  }, 'a refresh that adds no second line');
  await mkdir(later);
  await waitFor(async () => (await readdir(later).catch((): string[] => [])).includes('lifeboat.prom'), 'written once the folder is there');
  assert.equal(lines.filter((line) => line.includes('could not be written')).length, 1, lines.join('\n'));
});
