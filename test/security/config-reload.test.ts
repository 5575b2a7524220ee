import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIFEBOAT_BIN, lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { exited, waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const CONFLICT = 'The config changed on disk since you opened it; reload to see the new version (your edits are not saved).';

async function setupWith(root: string, plan: Record<string, unknown>): Promise<Setup> {
  const source = join(root, 'src');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], ...plan }]);
  setup.env.LIFEBOAT_ALLOW_FAST_SCHEDULES = '1'; // slots every two seconds keep the test short
  return setup;
}

/** Rewrites the config on disk as a person's editor would, changing the first plan. */
async function editOnDisk(setup: Setup, change: Record<string, unknown>): Promise<void> {
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.plans[0] = { ...config.plans[0], ...change };
  await writeFile(setup.configFile, `${JSON.stringify(config, null, 2)}\n`);
}

async function scheduledRuns(setup: Setup): Promise<Array<{ trigger: string; startedAt: string }>> {
  const text = await readFile(join(setup.dataDir, 'history', 'runs.jsonl'), 'utf8').catch(() => '');
  const latest = new Map<string, { id: string; trigger: string; startedAt: string }>();
  for (const line of text.split('\n').filter(Boolean)) {
    const run = JSON.parse(line);
    latest.set(run.id, run);
  }
  return [...latest.values()].filter((run) => run.trigger === 'schedule' || run.trigger === 'catch-up');
}

function startDaemon(setup: Setup): { child: ChildProcess; output: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('daemon')], { env: { ...process.env, ...setup.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let all = '';
  let errors = '';
  child.stdout!.on('data', (chunk) => {
    all += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    all += chunk;
    errors += chunk;
  });
  return { child, output: () => all, stderr: () => errors };
}

test('the daemon takes a schedule edited on disk into use within seconds; an invalid edit is told on stderr and the last good config keeps running', async (t) => {
  const setup = await setupWith(await tempDir(t), { schedule: null });
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const daemon = startDaemon(setup);
  t.after(async () => {
    daemon.child.kill('SIGTERM');
    await exited(daemon.child);
  });
  await waitFor(() => daemon.output().includes('daemon started'), 'the daemon to start');
  assert.deepEqual(await scheduledRuns(setup), [], 'a manual plan does not run on its own');

  await editOnDisk(setup, { schedule: { cron: '*/2 * * * * *' } });
  await waitFor(async () => (await scheduledRuns(setup)).length > 0, 'a scheduled run after the edit on disk', 20_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${daemon.output()}`);
  });
  assert.match(daemon.output(), /config reloaded/);

  await editOnDisk(setup, { schedule: { every: 'banana' } });
  const editedAt = new Date().toISOString();
  // The edit is not atomic: a reload may see the file half-written (empty) first and say so; the
  // problem of the edit itself must be told once the file is whole.
  await waitFor(() => /last good config keeps running/.test(daemon.stderr()), 'the daemon to tell the problem', 20_000);
  await waitFor(() => /plans\[0\]\.schedule/.test(daemon.stderr()), `the schedule's problem to be told\n${daemon.stderr()}`, 20_000);
  await waitFor(async () => (await scheduledRuns(setup)).some((run) => run.startedAt > editedAt), 'a run on the last good schedule', 20_000);
  assert.equal(daemon.child.exitCode, null, daemon.output());
});

test('serve: a save carrying a stale revision gets 409 and leaves the file alone; a save of the fresh revision works', async (t) => {
  const setup = await setupWith(await tempDir(t), { schedule: null });
  const served = await startServe(t, setup);
  const opened = await served.call('config.get');
  assert.equal(opened.status, 200);
  assert.equal(typeof opened.body.revision, 'string');
  assert.deepEqual(opened.body.problems, []);

  await editOnDisk(setup, { name: 'Edited on disk' });
  const onDisk = await readFile(setup.configFile, 'utf8');
  const mine = structuredClone(opened.body.config);
  mine.plans[0].name = 'Edited in the browser';
  const stale = await served.call('config.save', { config: mine, revision: opened.body.revision });
  assert.equal(stale.status, 409, JSON.stringify(stale.body));
  assert.equal(stale.body.error.code, 'conflict');
  assert.equal(stale.body.error.message, CONFLICT);
  assert.equal(await readFile(setup.configFile, 'utf8'), onDisk, 'the file is untouched');

  // serve follows the file: the edit on disk is what it runs and what it hands out now.
  await waitFor(
    async () => (await served.call('plans.list')).body.some((plan: { name: string }) => plan.name === 'Edited on disk'),
    'serve to take the edit on disk into use',
    20_000,
  );
  const fresh = await served.call('config.get');
  assert.notEqual(fresh.body.revision, opened.body.revision);
  assert.equal(fresh.body.config.plans[0].name, 'Edited on disk');
  const again = structuredClone(fresh.body.config);
  again.plans[0].name = 'Edited in the browser';
  const saved = await served.call('config.save', { config: again, revision: fresh.body.revision });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).plans[0].name, 'Edited in the browser');
  const after = await served.call('config.get');
  assert.notEqual(after.body.revision, fresh.body.revision, 'the save is a new revision');
});

test('serve: an invalid edit on disk is shown through config.get while the last good config stays in use', async (t) => {
  const setup = await setupWith(await tempDir(t), { schedule: null, name: 'Good' });
  const served = await startServe(t, setup);
  await editOnDisk(setup, { name: 'Broken', schedule: { every: '0s' } });
  // writeFile empties the file before it writes: the watcher may read it half written first (a parse problem), then whole.
  const everyProblem = /plans\[0\]\.schedule\.every/;
  await waitFor(async () => everyProblem.test(JSON.stringify((await served.call('config.get')).body.problems ?? [])), 'the problem to show', 20_000);
  const shown = await served.call('config.get');
  assert.match(JSON.stringify(shown.body.problems), everyProblem);
  assert.equal(shown.body.config.plans[0].name, 'Good', 'the last good config is what runs and what is shown');
  assert.match(served.output(), /last good config keeps running/);
});
