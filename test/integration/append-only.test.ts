import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import type { Setup } from '../helpers/lifeboat.ts';
import { serveRestic } from '../helpers/processes.ts';
// LIFEBOAT_TEST_RESTIC: the restic under test first on PATH.
import '../helpers/restic.ts';

const exec = promisify(execFile);
const PASSWORD = 'append-only-pass-51c0';

interface RunJson {
  status: string;
  reason: string | null;
  snapshotId: string | null;
  steps: Array<{ kind: string; name: string; event: string | null; status: string; output: string; durationMs: number }>;
}

let root: string;
let setup: Setup;
let server: Awaited<ReturnType<typeof serveRestic>>;
let config: { repositories: Array<Record<string, unknown>>; plans: Array<Record<string, unknown>> };

async function snapshotCount(plan: string): Promise<number> {
  const { stdout } = await exec('restic', ['snapshots', '--json', '--no-lock', `--tag=lifeboat,plan:${plan}`], {
    env: { ...process.env, RESTIC_REPOSITORY: server.url, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(root, 'cache') },
  });
  return ((JSON.parse(stdout) as unknown[] | null) ?? []).length;
}

async function runPlan(plan: string): Promise<RunJson> {
  const result = await lifeboatHere(setup, 'run', plan, '--json');
  assert.ok(result.stdout.startsWith('{'), result.stdout + result.stderr);
  return JSON.parse(result.stdout) as RunJson;
}

async function writeConfig(): Promise<void> {
  await writeFile(setup.configFile, JSON.stringify({ version: 1, ...config }, null, 2));
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lifeboat-append-only-'));
  const store = join(root, 'store');
  await mkdir(store);
  server = await serveRestic(store, undefined, { appendOnly: true });
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'one');
  const hookLog = join(root, 'hooks.log');
  config = {
    repositories: [
      { id: 'server', url: server.url, passwordEnv: 'LIFEBOAT_AO_PASSWORD', appendOnly: true },
      { id: 'local', url: join(root, 'local'), passwordEnv: 'LIFEBOAT_AO_PASSWORD' },
    ],
    plans: [
      {
        id: 'kept',
        repository: 'server',
        sources: [source],
        retention: { keepLast: 1 },
        hooks: [{ id: 'pb', on: ['prune.before'], script: { command: 'echo prune.before >> "$HOOK_LOG"' }, inheritEnv: ['HOOK_LOG'] }],
      },
      { id: 'copied', repository: 'local', sources: [source], retention: { keepLast: 1 }, copyTo: [{ repository: 'server', retention: { keepLast: 1 } }] },
    ],
  };
  const configFile = join(root, 'config.json');
  const dataDir = join(root, 'data');
  setup = {
    root,
    configFile,
    dataDir,
    repo: server.url,
    password: PASSWORD,
    env: { LIFEBOAT_AO_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(root, 'cache'), HOOK_LOG: hookLog },
    args: (...rest) => ['--config', configFile, '--data-dir', dataDir, ...rest],
  };
  await writeConfig();
  const early = await lifeboatHere(setup, 'init', 'server');
  assert.equal(early.code, 1);
  assert.match(
    early.stderr,
    /^✘ Repository "server" is made with the chunker parameters of "local" \(a plan copies from there to here\), and that failed: .* If "local" is not initialised yet, run "lifeboat init local" first\.\n$/,
  );
  for (const id of ['local', 'server']) {
    const init = await lifeboatHere(setup, 'init', id);
    assert.equal(init.code, 0, init.stderr);
  }
});

after(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

test('a plan with retention on an append-only repository never runs forget: the run succeeds and says why, and so does the preview', async () => {
  const first = await runPlan('kept');
  await writeFile(join(root, 'src', 'a.txt'), 'two');
  const second = await runPlan('kept');
  for (const run of [first, second]) {
    assert.equal(run.status, 'success', run.reason ?? '');
    const forget = run.steps.filter((step) => step.name === 'forget');
    assert.equal(forget.length, 1);
    assert.equal(forget[0]!.status, 'skipped');
    assert.match(forget[0]!.output, /^Repository "server" is append-only; retention is applied by the server's owner, so forget and prune were not run\.$/);
    assert.ok(!run.steps.some((step) => step.event === 'prune.before' || step.event === 'prune.after'), 'no prune phase, no prune hooks');
  }
  assert.equal(await snapshotCount('kept'), 2, 'nothing was removed');
  await assert.rejects(readFile(join(root, 'hooks.log'), 'utf8'), { code: 'ENOENT' });

  const preview = await lifeboatHere(setup, 'retention', 'preview', 'kept', '--json');
  assert.equal(preview.code, 0, preview.stderr);
  const json = JSON.parse(preview.stdout);
  assert.equal(json.appendOnly, true);
  assert.equal(json.remove.length, 0);
  assert.equal(json.keep.length, 2);
  assert.deepEqual(json.keep[0].reasons, ["retention is applied by the server's owner"]);
  const text = await lifeboatHere(setup, 'retention', 'preview', 'kept');
  assert.equal(
    text.stdout,
    `The repository of plan "kept" is append-only: retention is applied by the server's owner. Lifeboat never runs forget or prune there; all 2 snapshots are kept.\n`,
  );
});

test('a copy to an append-only repository works, and its own retention there is skipped with the reason', async () => {
  const run = await runPlan('copied');
  assert.equal(run.status, 'success', run.reason ?? '');
  const forgets = run.steps.filter((step) => step.name === 'forget');
  assert.deepEqual(
    forgets.map((step) => step.status),
    ['success', 'skipped'],
    'the primary forgets, the append-only copy does not',
  );
  assert.match(forgets[1]!.output, /^server \(rest:http:\/\/127\.0\.0\.1:\d+\/\): append-only; retention is applied by the server's owner/);
  assert.equal(await snapshotCount('copied'), 1);
});

test('without the flag, the server refusing forget is told as an append-only repository, naming appendOnly, at once and with the snapshot kept', async () => {
  config.repositories[0]!.appendOnly = false;
  await writeConfig();
  await writeFile(join(root, 'src', 'a.txt'), 'three');
  const run = await runPlan('kept');
  assert.equal(run.status, 'failure');
  assert.match(
    run.reason ?? '',
    /^The repository rest:http:\/\/127\.0\.0\.1:\d+\/ refused to delete data during restic forget: the server is append-only\. Set "appendOnly": true on this repository so Lifeboat never runs forget or prune there \(retention is applied by the server's owner\)\.$/,
  );
  assert.ok(run.snapshotId, 'the backup itself was made');
  assert.equal(await snapshotCount('kept'), 3, 'nothing was removed');
  const forget = run.steps.find((step) => step.name === 'forget')!;
  assert.equal(forget.status, 'failure');
  // restic 0.14 retries a refused delete for most of a minute; Lifeboat stops it at the first refusal.
  assert.ok(forget.durationMs < 20_000, `forget took ${forget.durationMs} ms`);
  assert.equal((await readFile(join(root, 'hooks.log'), 'utf8')).trim(), 'prune.before', 'the prune phase ran this time');
  config.repositories[0]!.appendOnly = true;
  await writeConfig();
});
