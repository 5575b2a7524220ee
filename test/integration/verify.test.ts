import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';

const HOSTILE = [`it's "quoted" $(touch pwned) \`x\`.txt`, 'new\nline', '*?[glob]\\', ' spaces around '];

/** A folder path of about `length` characters under `base`, in 200-character steps. */
function deepPath(base: string, length: number): string {
  let path = base;
  let step = 0;
  while (path.length < length - 210) path = join(path, `${String(step++).padStart(3, '0')}${'d'.repeat(196)}`);
  return join(path, 'x'.repeat(Math.max(1, length - path.length - 1)));
}

async function verifyJson(setup: Setup, ...args: string[]): Promise<{ code: number | null; run: RunRecord }> {
  const result = await lifeboatHere(setup, 'verify', ...args, '--json');
  assert.ok(result.stdout.trim().startsWith('{'), result.stderr);
  return { code: result.code, run: JSON.parse(result.stdout) };
}

describe('restore checks against a real restic repository', () => {
  let root: string;
  let setup: Setup;
  let source: string;
  let liveFiles: string[];
  let tooDeep: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-verify-'));
    source = join(root, 'docs');
    const empty = join(root, 'nothing here');
    await mkdir(join(source, 'sub'), { recursive: true });
    await mkdir(empty);
    liveFiles = [];
    for (let i = 0; i < 12; i++) liveFiles.push(join(source, `note-${i}.txt`));
    liveFiles.push(join(source, 'sub', 'big.bin'));
    for (const name of HOSTILE) liveFiles.push(join(source, 'sub', name));
    const deep = deepPath(join(source, 'deep'), 3900); // long, yet restorable under the scratch folder
    liveFiles.push(deep);
    tooDeep = deepPath(join(source, 'deeper'), 4070); // fits here, not under the scratch folder
    for (const file of [...liveFiles, tooDeep]) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, file.endsWith('big.bin') ? Buffer.alloc(300_000, 3) : `content of ${file}\n`);
    }
    setup = await writeSetup(root, [
      { id: 'docs', name: 'Documents', sources: [source] },
      { id: 'empty', sources: [empty] },
      { id: 'never', sources: [empty] },
    ]);
    assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
    for (const plan of ['docs', 'empty']) {
      const backup = await lifeboatHere(setup, 'run', plan, '--json');
      assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('an intact repository: every sampled file is restored with restic --verify and equals the live file; "restore verified 5/5", kept as a verify run', async () => {
    const { code, run } = await verifyJson(setup, 'docs', '--sample', '5');
    assert.equal(code, 0, run.reason ?? '');
    assert.equal(run.kind, 'verify');
    assert.equal(run.trigger, 'cli');
    assert.equal(run.status, 'success');
    assert.equal(run.reason, 'restore verified 5/5');
    assert.equal(run.verify?.sampled, 5);
    assert.equal(run.verify?.verified, 5);
    assert.equal(run.verify?.comparedWithLive, 5, 'the live files have not changed: each was compared byte for byte');
    assert.deepEqual(run.verify?.mismatches, []);
    assert.ok(run.verify?.files.includes(join(source, 'sub', 'big.bin')), 'the largest file is always in the sample');
    assert.match(run.snapshotId ?? '', /^[0-9a-f]{64}$/);
    assert.equal(run.verify?.snapshotId, run.snapshotId);
    const restore = run.steps.find((step) => step.name === 'restore');
    assert.equal(restore?.status, 'success');
    assert.match(restore?.output ?? '', /verifying files in/, 'restic read back what it wrote (--verify)');
    assert.equal(run.steps.at(-1)?.name, 'compare');

    const history = JSON.parse((await lifeboatHere(setup, 'history', 'docs', '--json')).stdout) as RunRecord[];
    assert.equal(history[0]?.id, run.id);
    assert.equal(history[0]?.kind, 'verify');
    assert.equal(history.filter((entry) => entry.kind === 'backup').length, 1, 'the backup stays the plan’s last run');

    const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
    const api = createApi({ engine, scheduler: engine.createScheduler(), version: 'test', desktop: false });
    const docs = (await api.call('plans.list', {})).find((plan) => plan.id === 'docs');
    assert.deepEqual(docs?.lastVerify, { status: 'success', verified: 5, sampled: 5, endedAt: run.endedAt });
    assert.equal(docs?.lastRun?.kind, 'backup', 'a restore check is not the last backup run');
    assert.equal((await api.call('plans.list', {})).find((plan) => plan.id === 'empty')?.lastVerify, null);

    // plans.verify starts one (one per plan at a time); plans.cancel stops it, and a cancelled check does not count.
    assert.deepEqual(await api.call('plans.verify', { plan: 'docs', sample: 2 }), { started: true });
    assert.deepEqual(await api.call('plans.verify', { plan: 'docs' }), { started: false });
    assert.deepEqual(await api.call('plans.cancel', { plan: 'docs' }), { cancelled: true });
    await engine.flushMonitors();
    const [cancelled] = await engine.history.list({ plan: 'docs', limit: 1 });
    assert.equal(cancelled?.kind, 'verify');
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal((await engine.planState.get('docs')).lastVerify?.run, run.id);
    await assert.rejects(api.call('plans.verify', { plan: 'docs', sample: 1001 }));

    // The seed kept in the record draws the same files again.
    const again = await engine.verifyPlan('docs', { sample: 5, seed: run.verify!.seed });
    assert.equal(again.status, 'success', again.reason ?? '');
    assert.deepEqual(again.verify?.files, run.verify?.files);
  });

  test('a sample bigger than the snapshot restores each file once; quotes, $(), newlines, globs and a 3,900-character path survive; a path too long for the scratch folder is left out, not failed', async () => {
    const { code, run } = await verifyJson(setup, 'docs', '--sample', '1000');
    assert.equal(code, 0, run.reason ?? '');
    assert.equal(run.verify?.sampled, liveFiles.length);
    assert.deepEqual([...(run.verify?.files ?? [])].sort(), [...liveFiles].sort());
    assert.equal(run.verify?.verified, liveFiles.length);
    assert.equal(run.verify?.comparedWithLive, liveFiles.length);
    assert.equal(run.verify?.leftOut, 1);
    assert.ok(!run.verify?.files.includes(tooDeep));
    assert.equal(run.reason, `restore verified ${liveFiles.length}/${liveFiles.length}`);
    await assert.rejects(stat(join(root, 'pwned')), 'no name ever ran as a command');
    await assert.rejects(stat(join(process.cwd(), 'pwned')));
  });

  test('a live file changed since the snapshot is not a mismatch: restic’s own check is all it gets, and the run still succeeds', async () => {
    const changed = join(source, 'note-3.txt');
    const touched = join(source, 'note-4.txt');
    await writeFile(changed, 'edited after the backup\n');
    await utimes(touched, new Date(), new Date(Date.now() + 120_000)); // same bytes, new time: not comparable either
    const { code, run } = await verifyJson(setup, 'docs', '--sample', '1000');
    assert.equal(code, 0, run.reason ?? '');
    assert.equal(run.status, 'success');
    assert.equal(run.verify?.verified, liveFiles.length);
    assert.equal(run.verify?.changedSinceSnapshot, 2);
    assert.equal(run.verify?.comparedWithLive, liveFiles.length - 2);
    assert.deepEqual(run.verify?.mismatches, []);
    const compare = run.steps.find((step) => step.name === 'compare')?.output ?? '';
    assert.match(compare, /note-3\.txt \(changed since the snapshot: checked by restic only\)/);
  });

  test('an empty snapshot is nothing to verify (success, 0 files); a plan with no snapshot yet is skipped with the reason', async () => {
    const { code, run } = await verifyJson(setup, 'empty');
    assert.equal(code, 0, run.reason ?? '');
    assert.equal(run.status, 'success');
    assert.equal(run.verify?.sampled, 0);
    assert.match(run.reason ?? '', /^nothing to verify: the latest snapshot \([0-9a-f]{8}\) holds no files$/);
    assert.deepEqual(
      run.steps.map((step) => step.name),
      [],
      'no restore was needed',
    );

    const never = await lifeboatHere(setup, 'verify', 'never');
    assert.equal(never.code, 75, never.stderr);
    assert.match(never.stdout, /There is no snapshot of never to verify yet/);
  });

  test('--sample outside 1–1000 is refused with the fix, before anything runs', async () => {
    for (const bad of ['0', '1001', 'many', '2.5', '-3']) {
      const result = await lifeboatHere(setup, 'verify', 'docs', `--sample=${bad}`);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /give a whole number from 1 to 1000, e\.g\. --sample 20/);
    }
    const unknown = await lifeboatHere(setup, 'verify', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /There is no plan "nope"/);
  });
});
