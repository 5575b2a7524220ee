import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { keepTextfileCurrent } from '../../main/core/metrics/textfile-refresh.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { promtoolCheck, sample } from '../helpers/exposition.ts';
import { LIFEBOAT_BIN, lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { exited, freePort, waitFor } from '../helpers/processes.ts';
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
