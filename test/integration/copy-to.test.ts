import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Engine } from '../../main/core/engine.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import type { Setup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
// LIFEBOAT_TEST_RESTIC: the restic under test first on PATH.
import '../helpers/restic.ts';

const run = promisify(execFile);

const PRIMARY_PASSWORD = 'primary-pass-7f3a9c';
const OFFSITE_PASSWORD = 'offsite-secret-d81e42b';

interface ResticSnapshot {
  id: string;
  original?: string;
  tree: string;
  time: string;
  tags: string[];
}

interface Shared {
  root: string;
  setup: Setup;
  repos: { local: string; offsite: string; kept: string; spare: string };
  sources: Record<string, string>;
  hookLog: string;
  gates: string;
}

let shared: Shared;

/** The snapshots restic itself lists in a repository, for one plan. */
async function resticSnapshots(repo: string, password: string, plan: string): Promise<ResticSnapshot[]> {
  const { stdout } = await run('restic', ['snapshots', '--json', '--no-lock', `--tag=lifeboat,plan:${plan}`], {
    env: { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password, RESTIC_CACHE_DIR: join(shared.root, 'cache') },
  });
  return (JSON.parse(stdout) as ResticSnapshot[] | null) ?? [];
}

async function chunkerPolynomial(repo: string, password: string): Promise<string> {
  const { stdout } = await run('restic', ['cat', 'config', '--no-lock'], { env: { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password } });
  return String((JSON.parse(stdout) as { chunker_polynomial: string }).chunker_polynomial);
}

const hook = (id: string, on: string[], line: string) => ({
  id,
  on,
  script: { command: `printf '%s %s %s\\n' "${line}" "$LIFEBOAT_PLAN_ID" "\${LIFEBOAT_STATUS:-}" >> "$HOOK_LOG"; env | sort` },
  // A prefix that also matches the repositories' password variables: those never pass.
  inheritEnv: ['HOOK_LOG', 'LIFEBOAT_*'],
});

before(async () => {
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-copy-'));
  const repos = { local: join(root, 'local'), offsite: join(root, 'offsite'), kept: join(root, 'kept'), spare: join(root, 'spare') };
  const sources: Record<string, string> = {};
  for (const plan of ['docs', 'pics', 'other', 'held']) {
    sources[plan] = join(root, 'src', plan);
    await mkdir(sources[plan]!, { recursive: true });
    await writeFile(join(sources[plan]!, 'a.txt'), `${plan} one`);
  }
  const hookLog = join(root, 'hooks.log');
  const gates = join(root, 'gates');
  await mkdir(gates);
  const wait = (gate: string) => ({
    id: `wait-${gate}`,
    on: [gate === 'held' ? 'backup.before' : 'copy.before'],
    script: { command: `touch "$GATES/${gate}.waiting"; while [ ! -e "$GATES/${gate}.open" ]; do sleep 0.05; done` },
    inheritEnv: ['GATES'],
    timeout: '1m',
  });
  const config = {
    version: 1,
    repositories: [
      { id: 'local', url: repos.local, passwordEnv: 'LIFEBOAT_PRIMARY_PASSWORD' },
      { id: 'offsite', url: repos.offsite, passwordEnv: 'LIFEBOAT_OFFSITE_PASSWORD' },
      { id: 'kept', url: repos.kept, passwordEnv: 'LIFEBOAT_OFFSITE_PASSWORD' },
      { id: 'spare', url: repos.spare, passwordEnv: 'LIFEBOAT_OFFSITE_PASSWORD' },
    ],
    plans: [
      {
        id: 'docs',
        repository: 'local',
        sources: [sources.docs],
        copyTo: ['offsite'],
        hooks: [hook('cb', ['copy.before'], 'copy.before'), hook('ca', ['copy.after'], 'copy.after'), hook('end', ['run.end'], 'run.end')],
      },
      { id: 'pics', repository: 'local', sources: [sources.pics], copyTo: [{ repository: 'kept', retention: { keepLast: 1 } }] },
      { id: 'other', repository: 'local', sources: [sources.other] },
      { id: 'gated', repository: 'local', sources: [sources.other], copyTo: ['offsite'], hooks: [wait('gated')] },
      { id: 'held', repository: 'offsite', sources: [sources.held], hooks: [wait('held')] },
    ],
  };
  const configFile = join(root, 'config.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const dataDir = join(root, 'data');
  const setup: Setup = {
    root,
    configFile,
    dataDir,
    repo: repos.local,
    password: PRIMARY_PASSWORD,
    env: {
      LIFEBOAT_PRIMARY_PASSWORD: PRIMARY_PASSWORD,
      LIFEBOAT_OFFSITE_PASSWORD: OFFSITE_PASSWORD,
      RESTIC_CACHE_DIR: join(root, 'cache'),
      HOOK_LOG: hookLog,
      GATES: gates,
    },
    args: (...rest) => ['--config', configFile, '--data-dir', dataDir, ...rest],
  };
  shared = { root, setup, repos, sources, hookLog, gates };
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  for (const id of ['offsite', 'kept', 'spare']) {
    const result = await lifeboatHere(setup, 'init', id, '--json');
    assert.equal(result.code, 0, result.stderr);
    if (id !== 'spare') assert.equal(JSON.parse(result.stdout).chunkerParamsFrom, 'local', `${id} is initialised with local's chunker parameters`);
  }
});

after(() => rm(shared.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

interface RunJson {
  id: string;
  kind?: string;
  status: string;
  reason: string | null;
  snapshotId: string | null;
  steps: Array<{ kind: string; name: string; event: string | null; status: string; output: string }>;
}

async function runPlan(plan: string): Promise<RunJson> {
  const result = await lifeboatHere(shared.setup, 'run', plan, '--json');
  assert.ok(result.code === 0, result.stdout + result.stderr);
  return JSON.parse(result.stdout) as RunJson;
}

test('a plan with copyTo: after two runs the second repository holds exactly its snapshots, the same trees, deduplicated; copy hooks run once each, in order', async () => {
  const { setup, repos, sources } = shared;
  assert.equal(await chunkerPolynomial(repos.offsite, OFFSITE_PASSWORD), await chunkerPolynomial(repos.local, PRIMARY_PASSWORD));
  const first = await runPlan('docs');
  assert.equal(first.status, 'success', first.reason ?? '');
  await writeFile(join(sources.docs!, 'b.txt'), 'docs two');
  const second = await runPlan('docs');
  assert.equal(second.status, 'success', second.reason ?? '');
  const copySteps = second.steps.filter((step) => step.name === 'copy');
  assert.equal(copySteps.length, 1);
  assert.match(copySteps[0]!.output, /^offsite \(/);

  const primary = await resticSnapshots(repos.local, PRIMARY_PASSWORD, 'docs');
  const copies = await resticSnapshots(repos.offsite, OFFSITE_PASSWORD, 'docs');
  assert.equal(primary.length, 2);
  assert.deepEqual(copies.map((copy) => copy.original).sort(), primary.map((snapshot) => snapshot.id).sort(), 'each snapshot copied once');
  for (const copy of copies) {
    const original = primary.find((snapshot) => snapshot.id === copy.original)!;
    assert.equal(copy.tree, original.tree, 'the same contents');
    assert.deepEqual(copy.tags, original.tags);
  }
  assert.ok(
    primary.some((snapshot) => snapshot.id === second.snapshotId),
    'the run names its primary snapshot',
  );

  const lines = await hookLines();
  assert.deepEqual(lines.slice(-6), [
    'copy.before docs',
    'copy.after docs success',
    'run.end docs success',
    'copy.before docs',
    'copy.after docs success',
    'run.end docs success',
  ]);
  const order = second.steps.map((step) => (step.kind === 'hook' ? step.event : step.name));
  assert.deepEqual(order.slice(order.indexOf('copy.before')), ['copy.before', 'copy', 'copy.after', 'run.end']);

  // The second repository's password never reaches a hook's environment, its output or the history.
  const history = await lifeboatHere(setup, 'history', '--json');
  for (const text of [JSON.stringify(first), JSON.stringify(second), history.stdout]) {
    assert.ok(!text.includes(OFFSITE_PASSWORD), 'the offsite password is nowhere');
    assert.ok(!text.includes(PRIMARY_PASSWORD), 'the primary password is nowhere');
  }
  assert.ok(
    second.steps.some((step) => step.name === 'cb' && step.output.includes('HOOK_LOG=')),
    "the hook's environment was printed",
  );
});

test('a copy missed while the second repository is unreachable makes the run a warning, keeps the primary snapshot, and is caught up by the next run', async () => {
  const { repos, sources } = shared;
  const away = `${repos.offsite}-away`;
  await rename(repos.offsite, away);
  await writeFile(join(sources.docs!, 'c.txt'), 'docs three');
  let missed: RunJson;
  try {
    missed = await runPlan('docs');
  } finally {
    await rename(away, repos.offsite);
  }
  assert.equal(missed.status, 'warning');
  const lines = await hookLines();
  assert.deepEqual(lines.slice(-3), ['copy.before docs', 'copy.after docs warning', 'run.end docs warning'], 'the copy hooks stay balanced');
  assert.match(missed.reason ?? '', /^copy to offsite failed: There is no restic repository at .*offsite\. Check the path or URL/);
  assert.ok(missed.snapshotId);
  const primary = await resticSnapshots(repos.local, PRIMARY_PASSWORD, 'docs');
  assert.ok(
    primary.some((snapshot) => snapshot.id === missed.snapshotId),
    'the primary snapshot stays',
  );
  assert.ok(!(await resticSnapshots(repos.offsite, OFFSITE_PASSWORD, 'docs')).some((copy) => copy.original === missed.snapshotId));

  const next = await runPlan('docs');
  assert.equal(next.status, 'success', next.reason ?? '');
  const copies = await resticSnapshots(repos.offsite, OFFSITE_PASSWORD, 'docs');
  const after = await resticSnapshots(repos.local, PRIMARY_PASSWORD, 'docs');
  assert.deepEqual(copies.map((copy) => copy.original).sort(), after.map((snapshot) => snapshot.id).sort(), 'the missed snapshot is there now');
});

test("per-target retention keeps the second repository's own policy, and what it removed is not copied again", async () => {
  const { setup, repos, sources } = shared;
  const runs: RunJson[] = [];
  for (let i = 0; i < 2; i += 1) {
    await writeFile(join(sources.pics!, 'a.txt'), `pics ${i}`);
    runs.push(await runPlan('pics'));
  }
  for (const result of runs) assert.equal(result.status, 'success', result.reason ?? '');
  const primary = await resticSnapshots(repos.local, PRIMARY_PASSWORD, 'pics');
  assert.equal(primary.length, 2, 'the plan has no retention of its own');
  const newestOnly = [runs[1]!.snapshotId];
  assert.deepEqual(
    (await resticSnapshots(repos.kept, OFFSITE_PASSWORD, 'pics')).map((copy) => copy.original),
    newestOnly,
    'keepLast 1 there: the newest only',
  );
  assert.ok(runs[1]!.steps.some((step) => step.name === 'forget' && step.status === 'success'));

  // The first snapshot is missing there on purpose: copying again restores nothing the policy removed.
  const again = JSON.parse((await lifeboatHere(setup, 'copy', 'pics', '--to', 'kept', '--json')).stdout) as RunJson;
  assert.equal(again.status, 'success', again.reason ?? '');
  assert.ok(!again.steps.some((step) => step.name === 'copy'), 'nothing copied');
  assert.deepEqual(
    (await resticSnapshots(repos.kept, OFFSITE_PASSWORD, 'pics')).map((copy) => copy.original),
    newestOnly,
  );
});

test('lifeboat copy <plan> --to <repository> runs the copy alone, as a run of kind copy with its hooks', async () => {
  const { setup, repos } = shared;
  const result = await lifeboatHere(setup, 'copy', 'docs', '--to', 'spare', '--json');
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const copied = JSON.parse(result.stdout) as RunJson;
  assert.equal(copied.kind, 'copy');
  assert.equal(copied.status, 'success', copied.reason ?? '');
  assert.deepEqual(
    copied.steps.map((step) => (step.kind === 'hook' ? step.event : step.name)),
    ['copy.before', 'copy', 'copy.after'],
  );
  const primary = await resticSnapshots(repos.local, PRIMARY_PASSWORD, 'docs');
  const spare = await resticSnapshots(repos.spare, OFFSITE_PASSWORD, 'docs');
  assert.deepEqual(spare.map((copy) => copy.original).sort(), primary.map((snapshot) => snapshot.id).sort());

  const again = JSON.parse((await lifeboatHere(setup, 'copy', 'docs', '--to', 'spare', '--json')).stdout) as RunJson;
  assert.equal(again.status, 'success');
  assert.deepEqual(
    again.steps.map((step) => step.name),
    ['cb', 'copy', 'ca'],
  );
  assert.equal((await resticSnapshots(repos.spare, OFFSITE_PASSWORD, 'docs')).length, spare.length, 'restic copied nothing twice');
  const history = JSON.parse((await lifeboatHere(setup, 'history', 'docs', '--json', '--limit', '2')).stdout) as RunJson[];
  assert.deepEqual(
    history.map((record) => record.kind),
    ['copy', 'copy'],
  );
});

test("the copy waits for the second repository's queue, never holding the first's: another plan there runs meanwhile", { timeout: 120_000 }, async () => {
  const { setup, gates } = shared;
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: join(setup.root, 'engine-data'), env: { ...process.env, ...setup.env } });
  const order: string[] = [];
  let gatedRun: string | undefined;
  engine.subscribe((event) => {
    if (event.type === 'run-started' && event.run.plan === 'gated') gatedRun = event.run.id;
    if (event.type === 'run-ended') order.push(`${event.run.plan} ended`);
    if (event.type === 'step-started' && event.runId === gatedRun && event.name === 'copy') order.push('gated copy started');
    if (event.type === 'step-ended' && event.runId === gatedRun && event.step.name === 'wait-gated') order.push('gated copy.before ended');
  });
  // "held" backs up to offsite and waits in its backup.before hook: offsite's queue is busy.
  const held = engine.runPlan('held');
  await waitFor(() => exists(join(gates, 'held.waiting')), 'held waiting in backup.before');
  // "gated" backs up to local, then copies to offsite: its copy.before waits for a gate.
  const gated = engine.runPlan('gated');
  await waitFor(() => exists(join(gates, 'gated.waiting')), 'gated in its copy phase');
  // local's queue is free again: another plan there runs to the end while gated's copy is pending.
  const other = await engine.runPlan('other');
  assert.equal(other.status, 'success', other.reason ?? '');
  assert.deepEqual(order, ['other ended']);
  await writeFile(join(gates, 'gated.open'), '');
  await waitFor(() => order.includes('gated copy.before ended'), "gated's copy.before ending");
  // Only now may held go on: gated's copy must wait for it, since held has offsite's queue.
  await writeFile(join(gates, 'held.open'), '');
  const [heldRecord, gatedRecord] = await Promise.all([held, gated]);
  assert.deepEqual(order, ['other ended', 'gated copy.before ended', 'held ended', 'gated copy started', 'gated ended']);
  assert.equal(heldRecord.status, 'success', heldRecord.reason ?? '');
  assert.equal(gatedRecord.status, 'success', gatedRecord.reason ?? '');
  await engine.flushMonitors();
});

/** What the copy hooks wrote: event, plan and the status an after-hook saw. */
async function hookLines(): Promise<string[]> {
  return (await readFile(shared.hookLog, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => line.trimEnd());
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}
