import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { keepTextfileCurrent } from '../../main/core/metrics/textfile-refresh.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { promtoolCheck, sample } from '../helpers/exposition.ts';
import { LIFEBOAT_BIN, lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { closed, exited, freePort, waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

async function plansSetup(t: Parameters<typeof tempDir>[0], init = true): Promise<Setup> {
  const root = await tempDir(t);
  const source = join(root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'notes.txt'), 'x'.repeat(50_000));
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source] },
    { id: 'broken', sources: [join(root, 'not-there')] },
    { id: 'idle', sources: [source] },
  ]);
  // No desktop here to tell a failure to.
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { notifications: false } }));
  if (init) assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  return setup;
}

const labels = (plan: string) => `plan="${plan}",repository="local",host="${hostname()}"`;

test('after real backups, `lifeboat metrics` passes promtool and tells each plan its state; counters add up across processes', async (t) => {
  const setup = await plansSetup(t);
  const before = Date.now() / 1000;
  assert.equal((await lifeboat(setup.args('run', 'docs'), { env: setup.env })).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'broken')).code, 1);
  const result = await lifeboat(setup.args('metrics'), { env: setup.env });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(promtoolCheck(result.stdout), { code: 0, output: '' });
  const text = result.stdout;
  assert.equal(sample(text, `lifeboat_runs_total{${labels('docs')},status="success"}`), 2);
  assert.equal(sample(text, `lifeboat_runs_total{${labels('broken')},status="failure"}`), 1);
  assert.equal(sample(text, `lifeboat_last_run_status{${labels('docs')},status="success"}`), 1);
  assert.equal(sample(text, `lifeboat_last_run_status{${labels('docs')},status="failure"}`), 0);
  assert.equal(sample(text, `lifeboat_last_run_status{${labels('broken')},status="failure"}`), 1);
  const lastRun = sample(text, `lifeboat_last_run_timestamp_seconds{${labels('docs')}}`) ?? 0;
  assert.ok(lastRun >= before && lastRun <= Date.now() / 1000, `last run ${lastRun}`);
  assert.ok((sample(text, `lifeboat_last_success_timestamp_seconds{${labels('docs')}}`) ?? 0) >= before);
  assert.equal(sample(text, `lifeboat_last_success_timestamp_seconds{${labels('broken')}}`), undefined, 'a plan with no success has no success time');
  assert.ok((sample(text, `lifeboat_last_run_duration_seconds{${labels('docs')}}`) ?? -1) > 0);
  assert.equal(typeof sample(text, `lifeboat_last_backup_added_bytes{${labels('docs')}}`), 'number');
  assert.equal(sample(text, `lifeboat_last_run_timestamp_seconds{${labels('idle')}}`), undefined, 'a plan that never ran has no timestamp');
  assert.equal(sample(text, `lifeboat_runs_total{${labels('idle')},status="success"}`), 0);
});

test("--textfile writes lifeboat.prom that node_exporter's textfile collector serves; a missing folder is a one-line usage error", async (t) => {
  const setup = await plansSetup(t, false);
  const folder = join(setup.root, 'textfile');
  await mkdir(folder);
  const written = await lifeboat(setup.args('metrics', '--textfile', folder), { env: setup.env });
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, `Wrote ${join(folder, 'lifeboat.prom')}\n`);
  assert.deepEqual(await readdir(folder), ['lifeboat.prom'], 'no temp file is left behind');

  const port = await freePort();
  const exporter: ChildProcess = spawn(
    'prometheus-node-exporter',
    ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${folder}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  t.after(async () => {
    if (exporter.exitCode === null) {
      exporter.kill('SIGTERM');
      await exited(exporter);
    }
  });
  let scraped = '';
  await waitFor(async () => {
    scraped = await fetch(`http://127.0.0.1:${port}/metrics`)
      .then((response) => response.text())
      .catch(() => '');
    return scraped.includes('lifeboat_runs_total');
  }, 'node_exporter serving the textfile');
  assert.equal(sample(scraped, `lifeboat_runs_total{host="${hostname()}",plan="docs",repository="local",status="success"}`), 0, scraped);
  assert.equal(sample(scraped, 'node_textfile_scrape_error'), 0, 'node_exporter read the file without error');

  const missing = await lifeboat(setup.args('metrics', '--textfile', join(setup.root, 'nope')), { env: setup.env });
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /The folder ".*nope" does not exist; create it or give --textfile the folder node_exporter's --collector\.textfile\.directory names\./,
  );
  assert.equal(missing.stderr.trim().split('\n').length, 1);
});

test("the daemon's textfile is written at start and rewritten after every run", async (t) => {
  const setup = await plansSetup(t);
  const folder = join(setup.root, 'textfile');
  await mkdir(folder);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const lines: string[] = [];
  const stop = await keepTextfileCurrent(engine, folder, (line) => lines.push(line));
  const file = join(folder, 'lifeboat.prom');
  assert.equal(sample(await readFile(file, 'utf8'), `lifeboat_runs_total{${labels('docs')},status="success"}`), 0);
  await engine.runPlan('docs');
  await waitFor(
    async () => sample(await readFile(file, 'utf8'), `lifeboat_runs_total{${labels('docs')},status="success"}`) === 1,
    'the textfile counting the run',
  );
  await engine.runPlan('broken');
  await stop();
  await engine.flushMonitors(); // the runs' tidying has happened
  const text = await readFile(file, 'utf8');
  assert.equal(sample(text, `lifeboat_last_run_status{${labels('broken')},status="failure"}`), 1);
  assert.deepEqual(promtoolCheck(text), { code: 0, output: '' });
  assert.deepEqual(lines, [`metrics: writing ${file} after every run`]);
});

test('`lifeboat daemon --textfile DIR` writes the textfile when it starts; a missing folder stops it with exit 2', async (t) => {
  const setup = await plansSetup(t, false);
  const folder = join(setup.root, 'textfile');
  await mkdir(folder);
  const daemon = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('daemon', '--textfile', folder)], {
    env: { ...process.env, ...setup.env },
    stdio: 'ignore',
  });
  t.after(async () => {
    if (daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await exited(daemon);
    }
  });
  const file = join(folder, 'lifeboat.prom');
  await waitFor(async () => (await readFile(file, 'utf8').catch(() => '')).includes('lifeboat_runs_total{'), 'the daemon writing its textfile');
  daemon.kill('SIGTERM');
  await exited(daemon);
  assert.equal(daemon.exitCode, 0);
  const missing = await lifeboat(setup.args('daemon', '--textfile', join(setup.root, 'nope')), { env: setup.env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /The folder ".*nope" does not exist; create it/);
});

test("serve's /metrics answers the token as a Bearer header with the exposition, and 401 to anything else", async (t) => {
  const setup = await plansSetup(t, false);
  const served = await startServe(t, setup);
  const url = `${served.base}metrics`;
  const ok = await fetch(url, { headers: { Authorization: `Bearer ${served.token}` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await ok.text();
  assert.deepEqual(promtoolCheck(text), { code: 0, output: '' });
  assert.equal(sample(text, `lifeboat_runs_total{${labels('docs')},status="success"}`), 0);
  for (const headers of [
    {},
    { Authorization: served.token },
    { Authorization: `Bearer ${served.token}x` },
    { Authorization: `Bearer ${served.token.slice(0, -1)}` },
    { Authorization: `Basic ${Buffer.from(`lifeboat:${served.token}`).toString('base64')}` },
    { Cookie: `token=${served.token}` },
  ]) {
    const refused = await fetch(url, { headers });
    assert.equal(refused.status, 401, JSON.stringify(headers));
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
    assert.doesNotMatch(await refused.text(), /lifeboat_/);
  }
  const posted = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${served.token}` } });
  assert.equal(posted.status, 405);
});

test("the daemon's textfile takes in a plan added to the config without waiting for a run", async (t) => {
  const setup = await plansSetup(t, false);
  const folder = join(setup.root, 'textfile');
  await mkdir(folder);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const stop = await keepTextfileCurrent(engine, folder, () => undefined, { everyMs: 50 });
  t.after(stop);
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.plans.push({ id: 'added', repository: 'local', sources: [setup.root] });
  await writeFile(setup.configFile, JSON.stringify(config));
  assert.equal((await engine.reloadConfig()).changed, true);
  await waitFor(
    async () => (await readFile(join(folder, 'lifeboat.prom'), 'utf8')).includes(`lifeboat_runs_total{${labels('added')},status="success"} 0`),
    'the added plan in the textfile',
  );
});

/** Root writes in any folder; without these capabilities it meets the folder's mode like anyone. */
const AS_ANYONE = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'] : [];

test('--textfile into a folder you cannot write in, or where lifeboat.prom is a folder, is one sentence naming it, exit 1', async (t) => {
  const setup = await plansSetup(t, false);
  const locked = join(setup.root, 'locked');
  await mkdir(locked);
  await chmod(locked, 0o555);
  const refused = await lifeboat(setup.args('metrics', '--textfile', locked), { env: setup.env, prefix: AS_ANYONE });
  assert.equal(refused.code, 1, refused.stderr);
  assert.equal(
    refused.stderr,
    `✘ The folder "${locked}" is not writable by ${userInfo().username}, so lifeboat.prom cannot be written there; let ${userInfo().username} write in it, or choose a folder ${userInfo().username} can write in.\n`,
  );
  assert.deepEqual(await readdir(locked), []);

  const taken = join(setup.root, 'taken');
  await mkdir(join(taken, 'lifeboat.prom'), { recursive: true });
  const isFolder = await lifeboat(setup.args('metrics', '--textfile', taken), { env: setup.env });
  assert.equal(isFolder.code, 1, isFolder.stderr);
  assert.equal(
    isFolder.stderr,
    `✘ ${join(taken, 'lifeboat.prom')} is a folder, so Lifeboat cannot write its textfile there; move that folder away (node_exporter reads a file by that name).\n`,
  );
  assert.deepEqual(await readdir(taken), ['lifeboat.prom'], 'no temp file is left behind');
});

test('`lifeboat daemon --textfile DIR` with a folder it cannot write in says so once and keeps its schedule running', async (t) => {
  const setup = await plansSetup(t, false);
  const locked = join(setup.root, 'locked');
  await mkdir(locked);
  await chmod(locked, 0o555);
  const [command, ...args] = [...AS_ANYONE, process.execPath, LIFEBOAT_BIN, ...setup.args('daemon', '--textfile', locked)];
  const daemon = spawn(command!, args, { env: { ...process.env, ...setup.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  daemon.stdout.on('data', (chunk) => {
    output += chunk;
  });
  daemon.stderr.on('data', (chunk) => {
    output += chunk;
  });
  t.after(async () => {
    if (daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await exited(daemon);
    }
  });
  await waitFor(() => output.includes('could not be written'), 'the daemon telling the textfile failed');
  await waitFor(() => output.includes('docs:'), 'the daemon listing its schedule');
  assert.equal(daemon.exitCode, null, output);
  daemon.kill('SIGTERM');
  await closed(daemon);
  assert.equal(daemon.exitCode, 0, output);
  assert.doesNotMatch(output, /internal error| {4}at /);
  const told = output.split('\n').filter((line) => line.includes('could not be written'));
  assert.equal(told.length, 1, output);
  assert.match(told[0]!, /metrics: .*locked\/lifeboat\.prom could not be written: The folder ".*locked" is not writable by /);
});

test("the daemon's textfile that cannot be written is told once, not every minute, and written again once it can be", async (t) => {
  const setup = await plansSetup(t, false);
  const folder = join(setup.root, 'textfile');
  await mkdir(join(folder, 'lifeboat.prom'), { recursive: true });
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const lines: string[] = [];
  const stop = await keepTextfileCurrent(engine, folder, (line) => lines.push(line), { everyMs: 20 });
  t.after(stop);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /lifeboat\.prom could not be written: .*lifeboat\.prom is a folder/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(lines.length, 1, lines.join('\n'));
  await rmdir(join(folder, 'lifeboat.prom'));
  await waitFor(
    async () => (await readFile(join(folder, 'lifeboat.prom'), 'utf8').catch(() => '')).includes('lifeboat_runs_total{'),
    'the textfile once it can be written',
  );
});

test("metrics takes --json: every plan's state as one JSON value, and with --textfile the file it wrote", async (t) => {
  const setup = await plansSetup(t, false);
  const printed = await lifeboatHere(setup, 'metrics', '--json');
  assert.equal(printed.code, 0, printed.stderr);
  const shown = JSON.parse(printed.stdout);
  assert.equal(shown.host, hostname());
  assert.deepEqual(
    shown.plans.map((plan: { plan: string }) => plan.plan),
    ['docs', 'broken', 'idle'],
  );
  assert.deepEqual(shown.plans[0], { plan: 'docs', repository: 'local', lastRun: null, lastSuccess: null, runsTotal: {} });

  const folder = join(setup.root, 'textfile');
  await mkdir(folder);
  const written = await lifeboatHere(setup, 'metrics', '--textfile', folder, '--json');
  assert.equal(written.code, 0, written.stderr);
  assert.deepEqual(JSON.parse(written.stdout), { file: join(folder, 'lifeboat.prom'), ...shown });
  assert.ok((await readFile(join(folder, 'lifeboat.prom'), 'utf8')).includes('lifeboat_runs_total{'));
});
