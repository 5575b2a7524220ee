import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboatInProcess } from '../helpers/cli-in-process.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { describeTree, makeAwkwardTree } from '../helpers/tree.ts';

// This test drives the lifeboat binary; the ones after it run the same command lines in this process.
test('init → backup → snapshots → restore gives a tree byte-identical to the source', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'source files');
  await makeAwkwardTree(source);
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  const env = setup.env;

  const init = await lifeboat(setup.args('init', 'local'), { env });
  assert.equal(init.code, 0, init.stderr);

  const run = await lifeboat(setup.args('run', 'docs', '--json'), { env });
  assert.equal(run.code, 0, run.stderr);
  const record = JSON.parse(run.stdout);
  assert.equal(record.status, 'success');
  assert.equal(record.trigger, 'cli');
  assert.match(record.id, /^[0-9A-HJKMNP-TV-Z]{26}$/, 'run ids are ULIDs');
  assert.match(record.snapshotId, /^[0-9a-f]{64}$/, "restic's full snapshot id");
  assert.deepEqual(Object.keys(record).sort(), ['endedAt', 'id', 'plan', 'reason', 'snapshotId', 'startedAt', 'status', 'steps', 'summary', 'trigger'].sort());
  assert.deepEqual(Object.keys(record.steps[0]).sort(), ['durationMs', 'event', 'exitCode', 'kind', 'name', 'output', 'startedAt', 'status'].sort());
  assert.equal(record.steps[0].kind, 'restic');
  assert.equal(record.steps[0].name, 'backup');
  assert.equal(record.summary.snapshot_id, record.snapshotId);

  const snapshots = await lifeboat(setup.args('snapshots', 'docs', '--json'), { env });
  assert.equal(snapshots.code, 0, snapshots.stderr);
  const list = JSON.parse(snapshots.stdout);
  assert.equal(list.length, 1);
  assert.deepEqual(Object.keys(list[0]).sort(), ['hostname', 'id', 'paths', 'shortId', 'tags', 'time']);
  assert.equal(list[0].id, record.snapshotId);
  assert.equal(list[0].shortId, record.snapshotId.slice(0, 8));
  assert.deepEqual(list[0].paths, [source]);
  assert.ok(list[0].tags.includes('plan:docs'));

  const target = join(root, 'restored');
  const restore = await lifeboat(setup.args('restore', 'docs', 'latest', '--target', target), { env });
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await describeTree(join(target, source)), await describeTree(source));

  const byId = join(root, 'restored-by-id');
  const restoreById = await lifeboat(setup.args('restore', 'docs', record.snapshotId, '--target', byId, '--include', join(source, 'sub dir')), { env });
  assert.equal(restoreById.code, 0, restoreById.stderr);
  assert.deepEqual(await describeTree(join(byId, source, 'sub dir')), await describeTree(join(source, 'sub dir')));
  assert.deepEqual(await describeTree(join(byId, source)), [
    'dir sub dir',
    ...(await describeTree(join(source, 'sub dir'))).map((entry) => entry.replace(/^(\w+) /, '$1 sub dir/')),
  ]);
});

test('a second backup of an unchanged tree adds almost no data; forget keeps what the policy says; check passes', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 20; i += 1) await writeFile(join(source, `file-${i}.bin`), Buffer.alloc(50_000, i));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], retention: { keepLast: 2 }, check: { every: '7d' } }]);
  const env = setup.env;
  assert.equal((await lifeboatInProcess(setup.args('init', 'local'), { env })).code, 0);

  const first = JSON.parse((await lifeboatInProcess(setup.args('run', 'docs', '--json'), { env })).stdout);
  assert.equal(first.status, 'success', first.reason);
  assert.deepEqual(
    first.steps.map((s: { name: string }) => s.name),
    ['backup', 'forget', 'check'],
    'first run: backup, prune, and the check that was never done',
  );
  const second = JSON.parse((await lifeboatInProcess(setup.args('run', 'docs', '--json'), { env })).stdout);
  assert.equal(second.status, 'success', second.reason);
  assert.deepEqual(
    second.steps.map((s: { name: string }) => s.name),
    ['backup', 'forget'],
    'the check is not due again for 7 days',
  );
  assert.ok(first.summary.data_added > 20_000, 'the first backup stored the data');
  assert.ok(second.summary.data_added < 5_000, `an unchanged tree added ${second.summary.data_added} bytes`);
  assert.equal(second.summary.files_unmodified, 20);

  for (let i = 0; i < 2; i += 1) {
    const again = await lifeboatInProcess(setup.args('run', 'docs', '--json'), { env });
    assert.equal(JSON.parse(again.stdout).status, 'success');
  }
  const snapshots = JSON.parse((await lifeboatInProcess(setup.args('snapshots', 'docs', '--json'), { env })).stdout);
  assert.equal(snapshots.length, 2, 'keepLast 2 keeps exactly two snapshots');
  const check = first.steps.find((s: { name: string }) => s.name === 'check');
  assert.equal(check.exitCode, 0);
  assert.match(check.output, /no errors were found/);
});

test('history lists runs newest first with the exact --json shape', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source] },
    { id: 'gone', sources: [join(root, 'missing')] },
  ]);
  const env = setup.env;
  await lifeboatInProcess(setup.args('init', 'local'), { env });
  await lifeboatInProcess(setup.args('run', 'docs'), { env });
  await lifeboatInProcess(setup.args('run', 'gone'), { env });
  const all = JSON.parse((await lifeboatInProcess(setup.args('history', '--json'), { env })).stdout);
  assert.deepEqual(
    all.map((r: { plan: string }) => r.plan),
    ['gone', 'docs'],
  );
  const docsOnly = JSON.parse((await lifeboatInProcess(setup.args('history', 'docs', '--json', '--limit', '5'), { env })).stdout);
  assert.deepEqual(
    docsOnly.map((r: { plan: string }) => r.plan),
    ['docs'],
  );
  assert.match(docsOnly[0].steps[0].output, /snapshot_id/, 'history --json carries each step output');
  const human = await lifeboatInProcess(setup.args('history'), { env });
  assert.equal(human.code, 0);
  assert.match(human.stdout, /gone\s+cli\s+✘ failure/);
  const plans = JSON.parse((await lifeboatInProcess(setup.args('plans', '--json'), { env })).stdout);
  assert.deepEqual(Object.keys(plans[0]).sort(), ['id', 'lastRun', 'name', 'nextRun', 'repository']);
  assert.equal(plans[0].lastRun.status, 'success');
  assert.equal(plans[0].nextRun, null, 'a plan without a schedule is manual');
});
