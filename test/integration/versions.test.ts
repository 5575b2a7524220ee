import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { versionFileName } from '../../main/core/restic/versions.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

interface Version {
  snapshots: number;
  firstSnapshot: { id: string; shortId: string; time: string };
  lastSnapshot: { id: string; shortId: string; time: string };
  size: number;
  differsFromPrevious: boolean;
}

const HOSTILE = `we"ird 'name' $(touch pwned) \`x\`\nsecond line ü 日本.txt`;

/** Six snapshots of three files: each is v1 twice, v2 twice (the second time only touched), v3 twice. */
async function sixBackups(root: string): Promise<{ setup: Setup; source: string; runs: Array<{ id: string; snapshotId: string }> }> {
  const source = join(root, 'my docs');
  await mkdir(source, { recursive: true });
  const files = ['notes.txt', HOSTILE, 'report.txt'].map((name) => join(source, name));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const runs: Array<{ id: string; snapshotId: string }> = [];
  const backup = async () => {
    const run = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
    assert.equal(run.status, 'success', run.reason);
    runs.push(run);
  };
  for (const file of files) await writeFile(file, 'v1');
  await backup();
  await writeFile(join(source, 'other.txt'), 'something else changes meanwhile');
  await backup();
  for (const file of files) await writeFile(file, 'version two');
  await backup();
  for (const file of files) await utimes(file, new Date(), new Date(Date.now() + 60_000)); // touched: new mtime, same content
  await backup();
  for (const file of files) await writeFile(file, 'v3');
  await backup();
  await backup();
  return { setup, source, runs };
}

describe('six backups of files with unchanged stretches', () => {
  let root: string;
  let made: Awaited<ReturnType<typeof sixBackups>>;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-versions-'));
    made = await sixBackups(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('versions of a file across six snapshots with unchanged stretches: exactly the distinct versions, newest first', async () => {
    const { setup, source, runs } = made;
    const file = join(source, 'notes.txt');
    const result = await lifeboat(setup.args('versions', 'docs', file, '--json'), { env: setup.env });
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.path, file);
    const versions: Version[] = answer.versions;
    assert.deepEqual(
      versions.map((version) => [version.snapshots, version.size, version.firstSnapshot.id, version.lastSnapshot.id, version.differsFromPrevious]),
      [
        [2, 2, runs[4]!.snapshotId, runs[5]!.snapshotId, true],
        [2, 11, runs[2]!.snapshotId, runs[3]!.snapshotId, true],
        [2, 2, runs[0]!.snapshotId, runs[1]!.snapshotId, false],
      ],
      'a touched file with the same content is the same version',
    );

    const text = await lifeboat(setup.args('versions', 'docs', file), { env: setup.env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /3 versions of .*notes\.txt in 6 snapshots/);
  });

  test('a chosen version is restored beside the live file, byte for byte, and the live file is untouched', async () => {
    const { setup, source, runs } = made;
    const file = join(source, HOSTILE);
    const list = JSON.parse((await lifeboatHere(setup, 'versions', 'docs', file, '--json')).stdout);
    assert.equal(list.versions.length, 3);
    const middle = list.versions[1] as Version;

    const restored = await lifeboat(setup.args('versions', 'docs', file, '--restore', runs[3]!.snapshotId, '--json'), { env: setup.env });
    assert.equal(restored.code, 0, restored.stderr);
    const answer = JSON.parse(restored.stdout);
    assert.equal(answer.restoredTo, join(source, versionFileName(HOSTILE, middle.lastSnapshot.time)));
    assert.match(answer.restoredTo, / \(\d{4}-\d\d-\d\d \d\d:\d\d\)\.txt$/);
    assert.equal(await readFile(answer.restoredTo, 'utf8'), 'version two');
    assert.equal(await readFile(file, 'utf8'), 'v3', 'the live file is left alone');

    const again = JSON.parse((await lifeboatHere(setup, 'versions', 'docs', file, '--restore', runs[3]!.snapshotId, '--json')).stdout);
    assert.notEqual(again.restoredTo, answer.restoredTo, 'a second restore never overwrites the first');
    assert.equal(await readFile(again.restoredTo, 'utf8'), 'version two');
    assert.equal((await readdir(root)).includes('pwned'), false);
    assert.equal((await readdir(source)).includes('pwned'), false);
  });

  test('a version restored in place replaces the live file, and the live content is kept beside it', async () => {
    const { setup, source, runs } = made;
    const file = join(source, 'report.txt');
    await writeFile(file, 'unsaved work');
    const result = await lifeboatHere(setup, 'versions', 'docs', file, '--restore', runs[0]!.snapshotId, '--in-place', '--json');
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout);
    assert.equal(answer.restoredTo, file);
    assert.equal(await readFile(file, 'utf8'), 'v1');
    assert.match(answer.keptLiveAs, /report \(replaced \d{4}-\d\d-\d\d \d\d:\d\d\)\.txt$/);
    assert.equal(await readFile(answer.keptLiveAs, 'utf8'), 'unsaved work', 'nothing is lost');

    const same = JSON.parse((await lifeboatHere(setup, 'versions', 'docs', file, '--restore', runs[1]!.snapshotId, '--in-place', '--json')).stdout);
    assert.equal(same.keptLiveAs, null, 'the live file was that very content: no copy is made');
  });
});

test('a path in no snapshot, a folder, and a bad snapshot id each get a sentence that names the fix', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const env = setup.env;
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);

  const missing = await lifeboat(setup.args('versions', 'docs', join(source, 'nope $(x)\n.txt')), { env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /is in none of the 1 snapshot\(s\) of plan "docs"\. Give the path of a file under .*src/);

  const huge = await lifeboatHere(setup, 'versions', 'docs', join(source, 'x'.repeat(100_000)));
  assert.equal(huge.code, 2);
  assert.ok(huge.stderr.length < 1000, 'a huge path is cut short in the sentence');
  assert.match(huge.stderr, /is in none of the 1 snapshot\(s\)/);

  const outside = await lifeboat(setup.args('versions', 'docs', '/etc/passwd'), { env });
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /"\/etc\/passwd" is not under any source of plan "docs" \(.*src\)/);

  const folder = await lifeboat(setup.args('versions', 'docs', source), { env });
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /is a folder; versions lists the versions of one file\. Give a file in it/);

  const bad = await lifeboat(setup.args('versions', 'docs', join(source, 'a.txt'), '--restore', '$(touch pwned)'), { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not a snapshot id/);

  const inPlaceAlone = await lifeboat(setup.args('versions', 'docs', join(source, 'a.txt'), '--in-place'), { env });
  assert.equal(inPlaceAlone.code, 2);
  assert.match(inPlaceAlone.stderr, /--in-place goes with --restore SNAPSHOT/);
});

test('a source a hook redirected (LIFEBOAT_SNAPSHOT_PATH) is told by its own path in versions and diff', async (t) => {
  const root = await tempDir(t);
  const live = join(root, 'live');
  const frozen = join(root, 'frozen copy');
  await mkdir(live);
  await mkdir(frozen);
  await writeFile(join(live, 'db.sql'), 'live, being written');
  const setup = await writeSetup(root, [
    {
      id: 'db',
      sources: [live],
      hooks: [{ id: 'freeze', on: ['backup.before'], script: { command: `echo 'LIFEBOAT_SNAPSHOT_PATH=${frozen}'` } }],
    },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  await writeFile(join(frozen, 'db.sql'), 'dump one');
  const first = await lifeboatHere(setup, 'run', 'db', '--json');
  assert.equal(JSON.parse(first.stdout).status, 'success', first.stdout);
  await writeFile(join(frozen, 'db.sql'), 'dump number two');
  await writeFile(join(frozen, 'new.sql'), 'another');
  assert.equal(JSON.parse((await lifeboatHere(setup, 'run', 'db', '--json')).stdout).status, 'success');

  const versions = await lifeboatHere(setup, 'versions', 'db', join(live, 'db.sql'), '--json');
  assert.equal(versions.code, 0, versions.stdout);
  assert.deepEqual(
    JSON.parse(versions.stdout).versions.map((version: Version) => version.size),
    ['dump number two'.length, 'dump one'.length],
  );
  const diff = JSON.parse((await lifeboatHere(setup, 'diff', 'db', '--json')).stdout);
  assert.deepEqual(
    diff.topPaths.map((entry: { path: string }) => entry.path),
    [join(live, 'db.sql'), join(live, 'new.sql')],
    'both grew by 7 bytes: by path',
  );
  assert.deepEqual(
    diff.topFolders.map((folder: { path: string }) => folder.path),
    [live],
  );

  const restored = JSON.parse((await lifeboatHere(setup, 'versions', 'db', join(live, 'db.sql'), '--restore', 'latest', '--json')).stdout);
  assert.equal(await readFile(restored.restoredTo, 'utf8'), 'dump number two');
  assert.equal(restored.restoredTo.startsWith(`${live}/`), true);
});
