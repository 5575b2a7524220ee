import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import { type RunRecord, runKind } from '../../main/core/runs/run-record.ts';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

/** A hook that appends "<event> <plan>" to the file named by $LOG. */
function logHook(id: string, on: string[], log: string, extra: Record<string, unknown> = {}) {
  return { id, on, script: { command: 'echo "$LIFEBOAT_EVENT $LIFEBOAT_PLAN_ID" >> "$LOG"' }, env: { LOG: log }, ...extra };
}

async function linesOf(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
}

/** Every line of the history file: a run's states, oldest first. */
async function historyLines(setup: Setup): Promise<RunRecord[]> {
  return (await linesOf(join(setup.dataDir, 'history', 'runs.jsonl'))).map((line) => JSON.parse(line) as RunRecord);
}

/** A source folder, a hook log and an initialised local repository (plus `otherRepositories`, not initialised). */
async function backedUp(
  t: test.TestContext,
  plans: (source: string, log: string) => Array<Record<string, unknown>>,
  otherRepositories: (root: string) => Array<Record<string, unknown>> = () => [],
) {
  const root = await tempDir(t);
  const source = join(root, 'papers');
  await mkdir(source);
  await writeFile(join(source, 'letter.txt'), 'dear grandma\n');
  await writeFile(join(source, 'tax.pdf'), Buffer.alloc(200_000, 7));
  const log = join(root, 'hooks.log');
  const setup = await writeSetup(root, plans(source, log));
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.repositories.push(...otherRepositories(root));
  await writeFile(setup.configFile, JSON.stringify(config));
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  return { root, source, log, setup };
}

test('a restore is recorded in history once, as a restore, with its restore.before and restore.after hook steps and restic restore step; lifeboat history and the API carry its kind', async (t) => {
  const { root, source, log, setup } = await backedUp(t, (source, log) => [
    { id: 'papers', sources: [source], hooks: [logHook('mount', ['restore.before'], log), logHook('unmount', ['restore.after'], log)] },
  ]);
  const backup = await lifeboat(setup.args('run', 'papers', '--json'), { env: setup.env });
  assert.equal(backup.code, 0, backup.stderr);
  const backupRun = JSON.parse(backup.stdout);
  assert.ok(!('kind' in backupRun), 'run --json keeps the shape SPEC §9 gives it');

  const target = join(root, 'restored');
  const restore = await lifeboat(setup.args('restore', 'papers', 'latest', '--target', target), { env: setup.env });
  assert.equal(restore.code, 0, restore.stderr);
  assert.equal(await readFile(join(target, source, 'letter.txt'), 'utf8'), 'dear grandma\n');
  assert.deepEqual(await linesOf(log), ['restore.before papers', 'restore.after papers']);

  const history = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout);
  assert.equal(history.length, 2, 'the backup and the restore');
  const [restoreRun, backupEntry] = history;
  assert.equal(restoreRun.kind, 'restore');
  assert.equal(restoreRun.plan, 'papers');
  assert.equal(restoreRun.trigger, 'cli', 'started by lifeboat restore');
  assert.equal(restoreRun.status, 'success');
  assert.ok(restoreRun.endedAt);
  assert.deepEqual(
    restoreRun.steps.map((step: { kind: string; name: string; event: string | null }) => `${step.kind} ${step.name} ${step.event}`),
    ['hook mount restore.before', 'restic restore null', 'hook unmount restore.after'],
  );
  assert.equal(backupEntry.id, backupRun.id);
  assert.equal(backupEntry.kind, 'backup');

  const table = await lifeboat(setup.args('history'), { env: setup.env });
  assert.equal(table.code, 0, table.stderr);
  const rows = table.stdout.trim().split('\n');
  assert.match(rows[0]!, /\bKIND\b/);
  assert.match(rows[1]!, /\brestore\b/);
  assert.match(rows[2]!, /\bbackup\b/);

  // A restore is not the plan's last run: that counts backups (SPEC §1).
  const plans = JSON.parse((await lifeboat(setup.args('plans', '--json'), { env: setup.env })).stdout);
  assert.equal(plans[0].lastRun.id, backupRun.id);

  const served = await startServe(t, setup);
  const listed = await served.call('history.list', {});
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.deepEqual(
    listed.body.map((run: { kind: string }) => run.kind),
    ['restore', 'backup'],
  );
  const detail = await served.call('history.get', { id: restoreRun.id });
  assert.equal(detail.status, 200, JSON.stringify(detail.body));
  assert.equal(detail.body.kind, 'restore');
  assert.equal(detail.body.steps.length, 3);
  const summaries = await served.call('plans.list', {});
  assert.equal(summaries.body[0].lastRun.id, backupRun.id, 'the dashboard shows the last backup, not the restore');
  assert.equal(summaries.body[0].lastRun.kind, 'backup');
});

test('a body that throws still runs the after-hooks (and a backup its run.end), and the run is recorded once, as a failure with the reason', async (t) => {
  const { log, setup } = await backedUp(t, (source, log) => [
    {
      id: 'papers',
      sources: [source],
      hooks: [
        logHook('start', ['run.start'], log),
        logHook('mount', ['restore.before'], log),
        logHook('unmount', ['restore.after'], log),
        logHook('end', ['run.end'], log),
      ],
    },
  ]);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const plan = engine.plan('papers');
  const boom = async () => {
    throw new Error('the operation fell over');
  };
  const restore = await engine.runs.withRun('restore', plan, 'manual', boom);
  assert.equal(restore.record.status, 'failure');
  assert.equal(restore.record.reason, 'the operation fell over');
  assert.deepEqual(await linesOf(log), ['restore.before papers', 'restore.after papers'], 'a restore has no run.start or run.end');

  const backup = await engine.runs.withRun('backup', plan, 'manual', boom);
  assert.equal(backup.record.status, 'failure');
  assert.equal(backup.record.reason, 'the operation fell over');
  assert.deepEqual((await linesOf(log)).slice(2), ['run.start papers', 'run.end papers']);
  await engine.flushMonitors();

  const lines = await historyLines(setup);
  for (const run of [restore.record, backup.record]) {
    const ends = lines.filter((line) => line.id === run.id && line.endedAt !== null);
    assert.equal(ends.length, 1, `run ${run.id} has one end record`);
    assert.equal(ends[0]!.status, 'failure');
  }
  assert.deepEqual(
    (await engine.history.list()).map((run) => [run.id, runKind(run)]),
    [
      [backup.record.id, 'backup'],
      [restore.record.id, 'restore'],
    ],
  );
});

test('every kind of run goes through one recording path: a backup, a backup that cannot start and a restore each have exactly one end record', async (t) => {
  const { root, setup } = await backedUp(
    t,
    (source) => [
      { id: 'papers', sources: [source] },
      { id: 'locked-out', repository: 'nopass', sources: [source] },
    ],
    (root) => [{ id: 'nopass', url: join(root, 'other-repo'), passwordEnv: 'LIFEBOAT_NOT_SET_ANYWHERE' }],
  );
  const backup = await lifeboat(setup.args('run', 'papers'), { env: setup.env });
  assert.equal(backup.code, 0, backup.stderr);
  const lockedOut = await lifeboat(setup.args('run', 'locked-out', '--json'), { env: setup.env });
  assert.equal(lockedOut.code, 1);
  assert.match(JSON.parse(lockedOut.stdout).reason, /LIFEBOAT_NOT_SET_ANYWHERE/);
  const restore = await lifeboat(setup.args('restore', 'papers', 'latest', '--target', join(root, 'restored'), '--json'), { env: setup.env });
  assert.equal(restore.code, 0, restore.stderr);
  const restoreId = JSON.parse(restore.stdout).id;

  const lines = await historyLines(setup);
  const ids = [...new Set(lines.map((line) => line.id))];
  assert.equal(ids.length, 3);
  for (const id of ids) {
    const ends = lines.filter((line) => line.id === id && line.status !== 'running');
    assert.equal(ends.length, 1, `run ${id}: ${JSON.stringify(lines.filter((line) => line.id === id))}`);
  }
  const history = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout);
  assert.equal(history.find((run: { kind: string }) => run.kind === 'restore').id, restoreId, 'restore --json names its run in the history');
  assert.deepEqual(history.map((run: { plan: string; kind: string; status: string }) => `${run.plan} ${run.kind} ${run.status}`).sort(), [
    'locked-out backup failure',
    'papers backup success',
    'papers restore success',
  ]);
});

test('restores of two plans on the same repository wait for each other, and a restore waits for a backup of that repository', async (t) => {
  const { root, log, setup } = await backedUp(t, (source, log) =>
    ['a', 'b'].map((id) => ({
      id,
      sources: [source],
      hooks: [logHook('mount', ['restore.before', 'backup.before'], log), logHook('unmount', ['restore.after', 'backup.after'], log)],
    })),
  );
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  for (const plan of ['a', 'b']) assert.equal((await engine.runPlan(plan)).status, 'success');
  await writeFile(log, '');
  const [a, b, backup] = await Promise.all([
    engine.restore('a', 'latest', { target: join(root, 'restored-a') }),
    engine.restore('b', 'latest', { target: join(root, 'restored-b') }),
    engine.runPlan('a'),
  ]);
  for (const run of [a, b, backup]) assert.equal(run.status, 'success', run.reason ?? '');
  // Each run's before and after hooks are next to each other: nothing else ran against the repository in between.
  const lines = await linesOf(log);
  const pairs: string[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    const [phase, plan] = lines[i]!.replace('.before', '').split(' ');
    assert.equal(lines[i + 1], `${phase}.after ${plan}`, `the hooks interleaved: ${lines.join(' | ')}`);
    pairs.push(`${phase} ${plan}`);
  }
  assert.deepEqual(pairs.sort(), ['backup a', 'restore a', 'restore b']);
  const [first, second] = [a, b].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
  assert.ok(Date.parse(first!.endedAt!) <= Date.parse(second!.startedAt), 'the second restore started after the first ended');
  await engine.flushMonitors();
  assert.deepEqual((await engine.history.list({ limit: 3 })).map((run) => `${run.plan} ${runKind(run)}`).sort(), ['a backup', 'a restore', 'b restore']);
});

test('a hook test run leaves nothing in the history', async (t) => {
  const { log, setup } = await backedUp(t, (source, log) => [{ id: 'papers', sources: [source], hooks: [logHook('end', ['run.end'], log)] }]);
  const tested = await lifeboat(setup.args('hooks', 'test', 'papers', 'end'), { env: setup.env });
  assert.equal(tested.code, 0, tested.stderr);
  assert.deepEqual(await linesOf(log), ['run.end papers']);
  assert.deepEqual(await historyLines(setup), []);
});

test("a history record written before runs had a kind reads as a backup: lifeboat history says so, and it stays the plan's last run", async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'papers', sources: [root] }]);
  const folder = join(setup.dataDir, 'history');
  await mkdir(folder, { recursive: true });
  const old = {
    id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
    plan: 'papers',
    repository: 'local',
    trigger: 'schedule',
    status: 'success',
    reason: null,
    startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    endedAt: new Date(Date.now() - 3_540_000).toISOString(),
    snapshotId: null,
    steps: [],
    summary: null,
  };
  await writeFile(join(folder, 'runs.jsonl'), `${JSON.stringify(old)}\n`);
  const history = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout);
  assert.equal(history[0].kind, 'backup');
  assert.equal(runKind((await new HistoryStore(folder).list())[0]!), 'backup');
  assert.equal((await new HistoryStore(folder).latestByPlan()).get('papers')?.lastRun.id, old.id);
});
