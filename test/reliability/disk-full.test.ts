import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';

function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function historyLinesParse(dataDir: string): Promise<number> {
  const lines = (await readFile(join(dataDir, 'history', 'runs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  for (const line of lines) JSON.parse(line);
  return lines.length;
}

test('the data dir filling up: runs fail without tearing anything; config and history are intact and the next run succeeds once space returns', {
  skip: canMountTmpfs() ? false : 'needs root to mount a tmpfs',
}, async (t) => {
  // One clean-up, registered first, that unmounts before removing (rm on a live mount point fails).
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-diskfull-'));
  const dataDir = join(root, 'data');
  await mkdir(dataDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dataDir]);
  t.after(async () => {
    execFileSync('umount', ['-l', dataDir]);
    await rm(root, { recursive: true, force: true });
  });
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const configFile = join(dataDir, 'config.json');
  const config = {
    version: 1,
    repositories: [{ id: 'local', url: join(root, 'repo'), passwordEnv: 'LIFEBOAT_TEST_PASSWORD' }],
    plans: [{ id: 'docs', repository: 'local', sources: [source], hooks: [{ id: 'h', on: ['backup.before'], script: { inline: '#!/bin/sh\necho hello' } }] }],
  };
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const setup = {
    env: { LIFEBOAT_TEST_PASSWORD: 'correct horse battery staple', RESTIC_CACHE_DIR: join(root, 'cache') },
    args: (...rest: string[]) => ['--config', configFile, '--data-dir', dataDir, ...rest],
  };
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  assert.equal((await lifeboat(setup.args('run', 'docs'), { env: setup.env })).code, 0);
  const served = await startServe(t, setup);
  const configBefore = await readFile(configFile);

  // Fill the filesystem to the last block.
  spawnSync('dd', ['if=/dev/zero', `of=${join(dataDir, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });

  const full = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(full.code, 1, `a run on a full disk fails: ${full.stdout}${full.stderr}`);
  assert.doesNotMatch(full.stdout + full.stderr, /internal error| {4}at /, 'a full disk is told as a sentence, not a stack trace');
  assert.match(JSON.parse(full.stdout).reason, /is full/, 'the run says what is full, in words');
  t.diagnostic(`run on a full data dir said: ${JSON.stringify(JSON.parse(full.stdout))}`);
  const apiRun = await served.call('plans.run', { plan: 'docs' });
  t.diagnostic(`API plans.run on a full data dir: ${apiRun.status} ${JSON.stringify(apiRun.body)}`);
  const save = await served.call('config.save', { config: { ...config, plans: [{ ...config.plans[0], name: 'Renamed' }] } });
  assert.notEqual(save.status, 200, 'a save on a full disk is not reported as done');
  t.diagnostic(`API config.save on a full data dir: ${save.status} ${JSON.stringify(save.body)}`);
  assert.deepEqual(await readFile(configFile), configBefore, 'the config is byte for byte the same');
  // serve's scheduler may be writing its state at this very moment: a temp file in flight goes
  // away by itself within a moment; one left behind stays and fails here.
  let temps: string[] = [];
  await waitFor(
    async () => {
      temps = (await readdir(dataDir)).filter((name) => name.endsWith('.tmp'));
      return temps.length === 0;
    },
    'no half-written temp file to be left',
    5_000,
  ).catch(() => assert.deepEqual(temps, [], 'no half-written temp file is left'));
  await historyLinesParse(dataDir);

  // Space returns.
  await rm(join(dataDir, 'filler'));
  const after = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(after.code, 0, after.stdout + after.stderr);
  assert.equal(JSON.parse(after.stdout).status, 'success');
  assert.ok((await historyLinesParse(dataDir)) >= 4);
  const history = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout) as Array<{ status: string }>;
  assert.equal(history[0]!.status, 'success');
  assert.equal(history[history.length - 1]!.status, 'success', 'the run from before the disk filled is still there');
  assert.ok(
    history.every((run) => run.status !== 'running'),
    'no run is left "running"',
  );
  assert.deepEqual(await readFile(configFile), configBefore, 'the config survived');
  assert.equal((await lifeboat(setup.args('validate'), { env: setup.env })).code, 0);
});
