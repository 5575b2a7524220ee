import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type Api, createApi } from '../../main/api/router.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { Engine } from '../../main/core/engine.ts';
import type { Scheduler } from '../../main/core/schedule/scheduler.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
import '../helpers/restic.ts';
import { apiRefusal } from '../helpers/api-refusal.ts';
import { smallSource } from '../helpers/tree.ts';

const run = promisify(execFile);
const DAY = 86_400_000;

interface Shared {
  setup: Setup;
  source: string;
  engine: Engine;
  api: Api;
  scheduler: Scheduler;
}

let shared: Shared;

/** restic's own `--time` format, in local time: a snapshot made `ago` milliseconds before now. */
function resticTime(ago: number): string {
  const at = new Date(Date.now() - ago);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

async function planSnapshotIds(setup: Setup, plan: string): Promise<string[]> {
  const listed = await lifeboatHere(setup, 'snapshots', plan, '--json');
  assert.equal(listed.code, 0, listed.stderr);
  return (JSON.parse(listed.stdout) as Array<{ id: string }>).map((snapshot) => snapshot.id).sort();
}

// One repository for the file: `docs` has snapshots (five old ones, made with restic's --time, and
// one from a Lifeboat run), `empty` has none, `lost` backs up into a repository that was never made.
let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-what-if-'));
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [source] },
    { id: 'empty', name: 'Nothing yet', sources: [source] },
    { id: 'lost', name: 'Lost', sources: [source], repository: 'gone' },
  ]);
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  config.repositories.push({ id: 'gone', name: 'Gone', url: join(root, 'never-made'), passwordEnv: 'LIFEBOAT_TEST_PASSWORD' });
  await writeFile(setup.configFile, JSON.stringify(config, null, 2));
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const env = { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password };
  for (let days = 5; days >= 1; days -= 1) {
    // Half a day off the day boundaries: keepWithin's edge is never near a snapshot.
    await run('restic', ['backup', '--quiet', '--host', hostname(), '--tag=lifeboat', '--tag=plan:docs', '--time', resticTime(days * DAY + DAY / 2), source], {
      env,
    });
  }
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  assert.equal((await engine.runPlan('docs')).status, 'success');
  const scheduler = engine.createScheduler();
  const api = createApi({ engine, scheduler, version: 'test', desktop: false });
  shared = { setup, source, engine, api, scheduler };
});
after(async () => {
  await shared?.scheduler.stop();
  await shared?.engine.flushMonitors();
  await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

test('the API previews a draft policy before it is saved, the run then removes exactly what it said, and the charts show both runs and one size measured', async () => {
  const { setup, engine, api } = shared;
  const configBefore = await readFile(setup.configFile, 'utf8');
  const all = await planSnapshotIds(setup, 'docs');
  assert.equal(all.length, 6);
  const draft = { keepWithin: '3d', keepLast: 1 };

  const preview = await api.call('retention.preview', { plan: 'docs', retention: draft });
  assert.deepEqual([preview.snapshots, preview.keeps, preview.removes, preview.policy], [6, 3, 3, true]);
  assert.equal(preview.keep.length, 3);
  assert.equal(preview.remove.length, 3);
  assert.match(preview.sentence, /^Keeps 3 snapshots, removes 3 \(oldest kept: \d{4}-\d\d-\d\d\)\.$/);
  assert.equal(preview.oldestKept, preview.keep.at(-1)?.time);
  assert.equal(await readFile(setup.configFile, 'utf8'), configBefore, 'a preview saves nothing');
  assert.deepEqual(await planSnapshotIds(setup, 'docs'), all, 'a preview removes nothing');

  // The saved policy (by the same path the editor saves), then a run: its forget removes what was previewed.
  const { config, revision } = await api.call('config.get', {});
  const plans = (config.plans as Array<Record<string, unknown>>).map((plan) => (plan.id === 'docs' ? { ...plan, retention: draft } : plan));
  await api.call('config.save', { config: { ...config, plans }, revision });
  const ran = await engine.runPlan('docs');
  assert.equal(ran.status, 'success', ran.reason ?? '');
  assert.ok(
    ran.steps.some((step) => step.name === 'forget'),
    'the run forgot',
  );
  const after = await planSnapshotIds(setup, 'docs');
  assert.deepEqual(
    all.filter((id) => !after.includes(id)),
    preview.remove.map((snapshot) => snapshot.id).sort(),
  );
  assert.deepEqual(
    after.filter((id) => all.includes(id)),
    preview.keep.map((snapshot) => snapshot.id).sort(),
  );

  // No run measures the repository (restic stats is never on a run's clock); the charts, opened twice today, measure it once.
  await engine.flushMonitors();
  assert.deepEqual(await engine.repositorySizes.read('local'), []);
  await api.call('charts.series', { plan: 'docs' });
  const sizes = await engine.repositorySizes.read('local');
  assert.equal(sizes.length, 1);
  assert.ok(sizes[0]!.bytes > 0);

  // The charts' data: both runs with restic's own numbers, and that one size.
  const series = await api.call('charts.series', { plan: 'docs' });
  const records = (await engine.history.list({ plan: 'docs' })).reverse();
  assert.deepEqual(
    series.runs.map((run) => [run.id, run.status, run.bytesAdded]),
    records.map((record) => [record.id, record.status, record.summary?.data_added]),
  );
  assert.equal(series.runs.length, 2);
  assert.ok(series.runs.every((run) => (run.durationMs ?? -1) > 0));
  assert.deepEqual(series.repositorySize, [{ at: sizes[0]!.at, bytes: sizes[0]!.bytes }]);
  for (const days of [0, 367, -1, 1.5, '30', null]) {
    const refusedDays = await apiRefusal(api.receive('charts.series', { plan: 'docs', days }));
    assert.equal(refusedDays.status, 400, `days ${JSON.stringify(days)}`);
  }
  const unknownPlan = await apiRefusal(api.call('charts.series', { plan: 'nope' }));
  assert.equal(unknownPlan.status, 404);
});

test('a draft with problems gets the same field problems validation gives, before restic is asked', async () => {
  const { setup, api } = shared;
  const raw = JSON.parse(await readFile(setup.configFile, 'utf8'));
  const hostile: unknown[] = [
    { keepLast: 1e20 },
    { keepLast: Number.MAX_SAFE_INTEGER + 2 },
    { keepDaily: -3 },
    { keepWeekly: 0 },
    { keepMonthly: '12' },
    { keepLast: 1.5 },
    { keepLst: 3 },
    { keepLast: 2, '$(touch pwned)': 1, __proto__: 5 },
    { keepWithin: '10 days' },
    { keepWithin: `${'9'.repeat(400)}d` },
    { keepLast: { nested: true } },
    { keepLast: [1, 2] },
    'keep everything',
    42,
    [],
    { keepLast: 'x'.repeat(100_000) },
  ];
  for (const retention of hostile) {
    const error = await apiRefusal(api.call('retention.preview', { plan: 'docs', retention }));
    assert.equal(error.status, 422, JSON.stringify(retention).slice(0, 80));
    assert.match(error.message, /^This retention policy has problems; fix the fields marked/);
    const trial = structuredClone(raw);
    trial.plans[0].retention = retention;
    const expected = validateConfig(trial);
    assert.equal(expected.ok, false);
    const validation = expected.ok ? [] : expected.problems.map((problem) => ({ ...problem, path: problem.path.replace(/^plans\[0\]\./, '') }));
    assert.deepEqual(error.problems, validation, JSON.stringify(retention).slice(0, 80));
    for (const problem of error.problems ?? []) assert.match(problem.path, /^retention(\.|$)/);
  }
  // The plan whose repository was never made: its draft's problems come first, restic is never reached.
  const first = await apiRefusal(api.call('retention.preview', { plan: 'lost', retention: { keepLast: -1 } }));
  assert.deepEqual(first.problems, [{ path: 'retention.keepLast', message: 'must be at least 1' }]);
  // Not a field of the call at all: refused before the draft is looked at.
  const extra = await apiRefusal(api.receive('retention.preview', { plan: 'docs', retention: {}, save: true }));
  assert.equal(extra.status, 400);
  const badPlan = await apiRefusal(api.receive('retention.preview', { plan: '../docs', retention: {} }));
  assert.equal(badPlan.status, 400);
  const unknown = await apiRefusal(api.call('retention.preview', { plan: 'nope', retention: { keepLast: 1 } }));
  assert.equal(unknown.status, 404);
  assert.match(unknown.message, /There is no plan "nope"/);
});

test('no policy keeps everything; a plan with no snapshots and a repository that cannot be opened each get a sentence', async () => {
  const { api } = shared;
  for (const retention of [null, {}]) {
    const none = await api.call('retention.preview', { plan: 'docs', retention });
    assert.equal(none.policy, false);
    assert.equal(none.removes, 0);
    assert.equal(none.keeps, none.snapshots);
    assert.match(none.sentence, /^No retention policy: all \d+ snapshots are kept\.$/);
  }
  const empty = await api.call('retention.preview', { plan: 'empty', retention: { keepLast: 1 } });
  assert.deepEqual([empty.snapshots, empty.keeps, empty.removes, empty.oldestKept], [0, 0, 0, null]);
  assert.equal(empty.sentence, 'Plan "empty" has no snapshots yet: this policy has nothing to keep or remove until its first backup.');

  const lost = await apiRefusal(api.call('retention.preview', { plan: 'lost', retention: { keepLast: 1 } }));
  assert.equal(lost.status, 422);
  assert.equal(lost.message.split('\n').length, 1, lost.message);
  assert.match(lost.message, /never-made/);
  assert.doesNotMatch(lost.message, /\bat [\w/.]+:\d+|Error:/, 'a sentence, not a stack');
});
