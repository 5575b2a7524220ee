import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resticAccess } from '../../main/core/restic/credentials.ts';
import { diffSnapshots } from '../../main/core/restic/diff.ts';
import { changeTree, writeFirstTree } from '../helpers/changing-tree.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

interface Folder {
  path: string;
  bytes: number;
  files: number;
}

async function twoBackups(root: string) {
  const source = join(root, 'src');
  const { raw } = await writeFirstTree(source);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const env = setup.env;
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const first = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
  assert.equal(first.status, 'success', first.reason);

  const { hostileDir } = await changeTree(source);
  const second = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
  assert.equal(second.status, 'success', second.reason);
  return { setup, env, source, raw, hostileDir, first, second };
}

describe('two backups of a tree that changed', () => {
  let root: string;
  let made: Awaited<ReturnType<typeof twoBackups>>;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-diff-'));
    made = await twoBackups(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('diff of a tree with added, modified, deleted, renamed files and a grown folder: exact counts and size blame', async () => {
    const { setup, env, source, raw, hostileDir, first, second } = made;

    const result = await lifeboat(setup.args('diff', 'docs', '--json'), { env });
    assert.equal(result.code, 0, result.stderr);
    const diff = JSON.parse(result.stdout);
    assert.equal(diff.from.id, first.snapshotId, 'the default is the last two snapshots');
    assert.equal(diff.to.id, second.snapshotId);
    assert.deepEqual(diff.files, { added: 4, removed: 2, changed: 1 }, 'a rename is one removed and one added file');
    assert.deepEqual(diff.dirs, { added: 1, removed: 0 });
    assert.deepEqual(diff.bytes, { added: 700 + 200_000 + 300_000 + 50 + 2000, removed: 500 + 700, net: 502_750 - 1200 });
    assert.deepEqual(
      diff.topPaths.map((entry: { path: string; bytes: number; change: string }) => [entry.path, entry.bytes, entry.change]),
      [
        [join(raw, 'c.mov'), 300_000, 'added'],
        [join(raw, 'b.mov'), 200_000, 'added'],
        [join(source, 'mod.txt'), 2000, 'changed'],
        [join(source, 'new-name.txt'), 700, 'added'],
        [join(hostileDir, 'n.txt'), 50, 'added'],
      ],
    );
    assert.deepEqual(
      diff.topFolders.map((entry: Folder) => [entry.path, entry.bytes, entry.files]),
      [
        [source, 501_550, 7],
        [raw, 500_000, 2],
        [hostileDir, 50, 1],
      ],
      'videos/ grew only through videos/raw, so only raw is named',
    );
    assert.deepEqual(diff.mostly, { path: raw, bytes: 500_000 });
    assert.equal(diff.changes.length, 7 + 1, 'every changed file and folder is listed (bounded)');
    assert.deepEqual((await readdir(root)).includes('pwned'), false);

    const text = await lifeboat(setup.args('diff', 'docs'), { env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^7 files changed, \+490 KiB, mostly .*videos\/raw \(488 KiB\)$/m);
  });

  test('diff between two named snapshots and of one snapshot against the one before it agree', async () => {
    const { setup, first, second } = made;
    const named = JSON.parse((await lifeboatHere(setup, 'diff', 'docs', first.snapshotId, second.snapshotId, '--json')).stdout);
    const single = JSON.parse((await lifeboatHere(setup, 'diff', 'docs', second.snapshotId, '--json')).stdout);
    assert.deepEqual(named, single);
    const backwards = JSON.parse((await lifeboatHere(setup, 'diff', 'docs', second.snapshotId, first.snapshotId, '--json')).stdout);
    assert.deepEqual(backwards.files, { added: 2, removed: 4, changed: 1 });
    assert.equal(backwards.bytes.net, -named.bytes.net);

    const firstOnly = await lifeboatHere(setup, 'diff', 'docs', first.snapshotId);
    assert.equal(firstOnly.code, 2);
    assert.match(firstOnly.stderr, /first snapshot of plan "docs".*give two snapshots/);
  });

  test('what a backup run changed is stored beside its record once lifeboat diff has worked it out', async () => {
    const { setup, second } = made;
    assert.equal((await lifeboatHere(setup, 'diff', 'docs', '--json')).code, 0);
    const changesFile = join(setup.dataDir, 'history', 'changes', `${second.id}.json`);
    const stored = JSON.parse(await readFile(changesFile, 'utf8'));
    assert.equal(stored.run, second.id);
    assert.deepEqual(stored.files, { added: 4, removed: 2, changed: 1 });
    assert.equal(stored.topPaths.length, 5);
    assert.equal(stored.changes, undefined, 'the stored record is bounded: no list of every path');
    assert.match(stored.sentence, /^7 files changed, \+490 KiB, mostly /);
  });
});

test('a snapshot id that is not hex is refused before restic is called; an unknown one names the fix', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  for (const bad of ['latest;rm -rf ~', '$(touch pwned)', 'zzzzzzzz', 'abc', 'a\nb']) {
    const result = await lifeboatHere(setup, 'diff', 'docs', bad, '--json');
    assert.equal(result.code, 2, `${JSON.stringify(bad)}: ${result.stdout}`);
    assert.match(JSON.parse(result.stdout).error.message, /is not a snapshot id; use "latest" or an id from "lifeboat snapshots <plan>"/);
  }
  const access = resticAccess({ id: 'local', name: 'l', url: join(root, 'repo'), passwordEnv: 'P', env: {} } as never, { P: 'x' });
  await assert.rejects(
    diffSnapshots({ binary: join(root, 'no-restic-here'), access }, { plan: 'docs', tags: ['lifeboat', 'plan:docs'], from: '$(x)', to: 'latest' }),
    /"\$\(x\)" is not a snapshot id/,
  );

  const env = setup.env;
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  assert.equal((await lifeboatHere(setup, 'run', 'docs')).code, 0);
  const unknown = await lifeboat(setup.args('diff', 'docs', 'deadbeef', 'latest'), { env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /deadbeef is not a snapshot of plan "docs"\. List them with "lifeboat snapshots docs"\./);
  const one = await lifeboat(setup.args('diff', 'docs'), { env });
  assert.equal(one.code, 2);
  assert.match(one.stderr, /Plan "docs" has 1 snapshot; a diff needs two\. Run "lifeboat run docs" to make another\./);
});
