import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Api, createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { versionFileName } from '../../main/core/restic/versions.ts';
import { apiRefusal } from '../helpers/api-refusal.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { resticAtLeast, testResticVersion } from '../helpers/restic.ts';

const RESTIC = `restic ${testResticVersion().join('.')}: ${resticAtLeast(17) ? "restic's --overwrite" : 'scratch folder, our own policy'}`;
const POLICIES = ['never', 'if-newer', 'always'] as const;
const HOSTILE = `we"ird 'q' $(touch pwned) \`x\`\nline.txt`;
const SNAPSHOT_FILES = ['same.txt', 'newer-on-disk.txt', 'older-on-disk.txt', 'deleted.txt', 'sub/deep.txt', HOSTILE];

/** What each policy does to the live tree edited by `editLiveTree`, as paths under the folder. */
const EXPECTED = {
  never: { overwritten: [], kept: ['newer-on-disk.txt', 'older-on-disk.txt'] },
  'if-newer': { overwritten: ['older-on-disk.txt'], kept: ['newer-on-disk.txt'] },
  always: { overwritten: ['newer-on-disk.txt', 'older-on-disk.txt'], kept: [] },
} as const;
const CREATED = ['deleted.txt', 'sub/deep.txt'];

async function editLiveTree(folder: string): Promise<void> {
  await writeFile(join(folder, 'newer-on-disk.txt'), 'edited today\n');
  await writeFile(join(folder, 'older-on-disk.txt'), 'edited long ago\n');
  const dayAgo = new Date(Date.now() - 86_400_000);
  await utimes(join(folder, 'older-on-disk.txt'), dayAgo, dayAgo);
  await rm(join(folder, 'deleted.txt'));
  await rm(join(folder, 'sub'), { recursive: true });
  await writeFile(join(folder, 'not-in-snapshot.txt'), 'mine\n');
}

/** Every file under `folder`: content and modification time, by relative path. */
async function tree(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(folder, path), `${await readFile(path, 'utf8')} @ ${(await stat(path, { bigint: true })).mtimeNs}`);
    }
  };
  await walk(folder);
  return files;
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

function names(list: { files: Array<{ path: string }> }, folder: string): string[] {
  return list.files.map((file) => relative(folder, file.path)).sort();
}

describe(`restore preview and file history on one repository (${RESTIC})`, () => {
  let root: string;
  let setup: Setup;
  let engine: Engine;
  let api: Api;
  let home: string;
  let notes: string;
  const snapshotIds: string[] = [];

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-preview-'));
    home = join(root, 'home');
    notes = join(home, 'notes');
    const hourAgo = new Date(Date.now() - 3_600_000);
    // One folder per policy, each restored in place on its own (--include), from one snapshot.
    for (const policy of POLICIES) {
      for (const name of SNAPSHOT_FILES) {
        const file = join(home, policy, name);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, `snapshot ${name}\n`);
        await utimes(file, hourAgo, hourAgo);
      }
    }
    await mkdir(notes, { recursive: true });
    const other = join(root, 'photos');
    await mkdir(other);
    await mkdir(join(root, 'live'));
    await mkdir(join(root, 'frozen copy'));
    setup = await writeSetup(root, [
      {
        id: 'docs',
        sources: [...POLICIES.map((policy) => join(home, policy)), notes],
        hooks: [{ id: 'mark', on: ['restore.before'], script: { command: `echo "$LIFEBOAT_EVENT" >> '${join(root, 'restores.log')}'` } }],
      },
      { id: 'photos', sources: [other] },
      {
        id: 'db',
        sources: [join(root, 'live')],
        hooks: [{ id: 'freeze', on: ['backup.before'], script: { command: `echo 'LIFEBOAT_SNAPSHOT_PATH=${join(root, 'frozen copy')}'` } }],
      },
    ]);
    assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
    const backup = async () => {
      const run = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
      assert.equal(run.status, 'success', run.reason);
      snapshotIds.push(run.snapshotId);
    };
    // Five snapshots of notes.txt: v1, v1 again, v2, v2 only touched, v3.
    await writeFile(join(notes, 'notes.txt'), 'v1');
    await writeFile(join(notes, HOSTILE), 'hostile one');
    await backup();
    await backup();
    await writeFile(join(notes, 'notes.txt'), 'version two');
    await backup();
    await utimes(join(notes, 'notes.txt'), new Date(), new Date(Date.now() + 60_000));
    await backup();
    await writeFile(join(notes, 'notes.txt'), 'v3');
    await writeFile(join(notes, HOSTILE), 'hostile three');
    await backup();
    for (const policy of POLICIES) await editLiveTree(join(home, policy));
    engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
    api = createApi({ engine, scheduler: engine.createScheduler(), version: 'test', desktop: false });
  });
  after(() => rm(root, { recursive: true, force: true }));

  for (const policy of POLICIES) {
    test(`the preview with --overwrite ${policy} lists exactly what is created, overwritten, kept and newer on disk, and the in-place restore then changes exactly those files`, async () => {
      const folder = join(home, policy);
      const preview = await api.call('snapshots.restorePreview', { plan: 'docs', snapshot: 'latest', inPlace: true, overwrite: policy, include: [folder] });
      assert.equal(preview.overwrite, policy);
      assert.equal(preview.snapshot.id, snapshotIds.at(-1));
      assert.deepEqual(names(preview.created, folder), CREATED);
      assert.deepEqual(names(preview.overwritten, folder), EXPECTED[policy].overwritten);
      assert.deepEqual(names(preview.kept, folder), EXPECTED[policy].kept);
      assert.deepEqual(names(preview.unchanged, folder), [HOSTILE, 'same.txt'].sort());
      assert.deepEqual(names(preview.newerOnDisk, folder), ['newer-on-disk.txt']);
      assert.equal(preview.created.count, 2);
      assert.equal(preview.created.bytes, `snapshot deleted.txt\n`.length + `snapshot sub/deep.txt\n`.length);
      const newer = preview.newerOnDisk.files[0]!;
      assert.ok(newer.disk && Date.parse(newer.disk.mtime) > Date.parse(newer.mtime), 'the disk time is told beside the snapshot time');

      const live = await tree(folder);
      const restored = await api.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', inPlace: true, overwrite: policy, include: [folder] });
      assert.equal(restored.status, 'success', restored.reason ?? '');
      const changed = changedPaths(live, await tree(folder));
      assert.deepEqual(changed, [...CREATED, ...EXPECTED[policy].overwritten].sort(), 'exactly the created and overwritten files changed');
      for (const name of changed) assert.equal(await readFile(join(folder, name), 'utf8'), `snapshot ${name}\n`);
      assert.equal(await readFile(join(folder, 'not-in-snapshot.txt'), 'utf8'), 'mine\n', 'a file the snapshot does not have is left alone');
    });
  }

  test('restore --dry-run prints the preview (several includes at once) and changes nothing; --json is the same preview', async () => {
    const folders = POLICIES.map((policy) => join(home, policy));
    const sub = join(home, 'never', 'sub');
    await rm(sub, { recursive: true, force: true });
    const before = await Promise.all(folders.map(tree));
    const text = await lifeboatHere(
      setup,
      'restore',
      'docs',
      'latest',
      '--in-place',
      '--overwrite',
      'always',
      '--include',
      sub,
      '--include',
      join(home, 'always', 'same.txt'),
      '--dry-run',
    );
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Restoring 2 paths of [0-9a-f]{8} \(.*\) of docs in place \(--overwrite always\) would:\n {2}create {5}1 file \(/);
    assert.match(text.stdout, /unchanged {2}1 file already as in the snapshot/);
    assert.match(text.stdout, /Created \(1\):\n {2}.*never\/sub\/deep\.txt\n/);
    assert.match(text.stdout, /Nothing was changed \(--dry-run\)\.\n$/);
    const json = await lifeboatHere(setup, 'restore', 'docs', snapshotIds.at(-1)!, '--in-place', '--overwrite', 'never', '--dry-run', '--json');
    assert.equal(json.code, 0, json.stderr);
    const whole = JSON.parse(json.stdout);
    assert.deepEqual(whole.include, []);
    assert.equal(whole.created.count, 1, 'all of the snapshot: only never/sub/deep.txt is missing');
    assert.equal(whole.newerOnDisk.count, 2, 'edited after the snapshot in never/ and if-newer/ (always/ was restored)');
    assert.deepEqual(await Promise.all(folders.map(tree)), before, 'a dry run changes nothing');
    const history = await api.call('history.list', { plan: 'docs' });
    assert.equal(history.filter((run) => run.kind === 'restore').length, POLICIES.length, 'a preview is not a run');
  });

  test('every version of a file across five snapshots with two unchanged stretches: exactly the distinct versions, newest first', async () => {
    const answer = await api.call('files.versions', { plan: 'docs', path: join(notes, 'notes.txt') });
    assert.equal(answer.searched, 5);
    assert.deepEqual(
      answer.versions.map((version) => [version.snapshots, version.size, version.firstSnapshot.id, version.lastSnapshot.id, version.differsFromPrevious]),
      [
        [1, 2, snapshotIds[4], snapshotIds[4], true],
        [2, 11, snapshotIds[2], snapshotIds[3], true],
        [2, 2, snapshotIds[0], snapshotIds[1], false],
      ],
    );
  });

  test('a version restored beside the live file gets a dated name and its bytes; in place it replaces the live file, kept beside; both are restore runs', async () => {
    const file = join(notes, 'notes.txt');
    const earlier = new Set((await api.call('history.list', { plan: 'docs' })).map((run) => run.id));
    const beside = await api.call('files.restoreVersion', { plan: 'docs', path: file, snapshot: snapshotIds[0]!, mode: 'beside' });
    assert.equal(beside.restoredTo, join(notes, versionFileName('notes.txt', beside.snapshot.time)));
    assert.deepEqual(await readFile(beside.restoredTo), Buffer.from('v1'));
    assert.deepEqual(await readFile(file), Buffer.from('v3'), 'the live file is untouched');

    const inPlace = await api.call('files.restoreVersion', { plan: 'docs', path: file, snapshot: snapshotIds[3]!.slice(0, 8), mode: 'in-place' });
    assert.equal(inPlace.restoredTo, file);
    assert.deepEqual(await readFile(file), Buffer.from('version two'));
    assert.ok(inPlace.keptLiveAs);
    assert.deepEqual(await readFile(inPlace.keptLiveAs), Buffer.from('v3'), 'the live content is kept, nothing is lost');

    const hostile = await api.call('files.restoreVersion', { plan: 'docs', path: join(notes, HOSTILE), snapshot: snapshotIds[1]!, mode: 'beside' });
    assert.equal(await readFile(hostile.restoredTo, 'utf8'), 'hostile one');
    assert.equal((await readdir(notes)).includes('pwned'), false);

    const restores = (await api.call('history.list', { plan: 'docs' })).filter((run) => run.kind === 'restore' && !earlier.has(run.id));
    assert.equal(restores.length, 3, 'each version put back is a restore run in the history');
    assert.ok(restores.every((run) => run.status === 'success'));
    const hooked = (await readFile(join(root, 'restores.log'), 'utf8')).trim().split('\n');
    assert.deepEqual(hooked, Array(POLICIES.length + 3).fill('restore.before'), 'restore.before ran for every restore, of a snapshot or of a version');
  });

  test("a snapshot of a source a hook redirected (LIFEBOAT_SNAPSHOT_PATH) is previewed and restored in place at the source's own path", async () => {
    const live = join(root, 'live');
    const frozen = join(root, 'frozen copy');
    await writeFile(join(frozen, 'db.sql'), 'the dump');
    await writeFile(join(live, 'db.sql'), 'being written');
    const run = JSON.parse((await lifeboatHere(setup, 'run', 'db', '--json')).stdout);
    assert.equal(run.status, 'success', run.reason);
    await rm(join(live, 'db.sql'));
    await writeFile(join(live, 'other.sql'), 'live only');
    const preview = await api.call('snapshots.restorePreview', { plan: 'db', snapshot: 'latest', inPlace: true, overwrite: 'never', include: [live] });
    assert.deepEqual(
      preview.created.files.map((file) => file.path),
      [join(live, 'db.sql')],
      'the live path, asked for by the live path',
    );
    const restored = await api.call('snapshots.restore', { plan: 'db', snapshot: 'latest', inPlace: true, overwrite: 'never', include: [live] });
    assert.equal(restored.status, 'success', restored.reason ?? '');
    assert.equal(await readFile(join(live, 'db.sql'), 'utf8'), 'the dump');
    assert.deepEqual((await readdir(live)).sort(), ['db.sql', 'other.sql']);
    assert.deepEqual(await readdir(frozen), ['db.sql'], 'the redirected folder is left alone');
    assert.deepEqual(
      (await readdir(root)).filter((name) => name.startsWith('.lifeboat-restore')),
      [],
      'the scratch folder is gone',
    );
  });

  test('refused with a sentence, before restic runs: "/", a symlink pointing at a source, a non-empty folder without in place, a bad id, a huge or relative path', async () => {
    const linkToSource = join(root, 'link-to-notes');
    await symlink(notes, linkToSource);
    const full = join(root, 'full');
    await mkdir(full, { recursive: true });
    await writeFile(join(full, 'precious.txt'), 'mine');
    const targets: Array<[string, RegExp]> = [
      ['/', /over the live system/],
      [linkToSource, /points to .*notes\).*is the source folder of plan "docs"/],
      [full, /is not empty/],
    ];
    for (const [target, message] of targets) {
      for (const call of ['snapshots.restorePreview', 'snapshots.restore'] as const) {
        const error = await apiRefusal(api.call(call, { plan: 'docs', snapshot: 'latest', target }));
        assert.equal(error.status, 422, `${call} ${target}`);
        assert.match(error.message, message);
        assert.match(error.message, /empty folder/);
      }
      const cli = await lifeboatHere(setup, 'restore', 'docs', 'latest', '--target', target, '--dry-run');
      assert.equal(cli.code, 2, cli.stdout);
      assert.match(cli.stderr, message);
    }
    assert.deepEqual(await readdir(full), ['precious.txt']);

    const badId = await apiRefusal(
      api.call('files.restoreVersion', { plan: 'docs', path: join(notes, 'notes.txt'), snapshot: '$(touch pwned)', mode: 'beside' }),
    );
    assert.match(badId.message, /is not a snapshot id; use "latest" or an id/);
    const badPreviewId = await apiRefusal(api.call('snapshots.restorePreview', { plan: 'docs', snapshot: 'zzzzzzzz', inPlace: true, overwrite: 'never' }));
    assert.match(badPreviewId.message, /"zzzzzzzz" is not a snapshot id/);
    const cliBadId = await lifeboatHere(setup, 'restore', 'docs', '--bad;id', '--in-place', '--overwrite', 'never', '--dry-run');
    assert.equal(cliBadId.code, 2);

    const huge = await apiRefusal(api.call('files.versions', { plan: 'docs', path: join(notes, 'x'.repeat(5000)) }));
    assert.equal(huge.status, 400);
    const hugeInclude = await apiRefusal(
      api.call('snapshots.restorePreview', { plan: 'docs', snapshot: 'latest', inPlace: true, overwrite: 'never', include: [`/${'y'.repeat(5000)}`] }),
    );
    assert.equal(hugeInclude.status, 400);
    const dotted = await apiRefusal(api.call('files.versions', { plan: 'docs', path: `${notes}/../notes/notes.txt` }));
    assert.match(dotted.message, /is not a full path/);
    const runs = (await api.call('history.list', { plan: 'docs' })).length;
    for (const path of [`${notes}/../../../etc/passwd`, '/etc/passwd', 'notes.txt']) {
      const refused = await apiRefusal(api.call('files.restoreVersion', { plan: 'docs', path, snapshot: 'latest', mode: 'in-place' }));
      assert.match(refused.message, /is not a full path|is not under any source of plan "docs"/);
    }
    assert.equal((await api.call('history.list', { plan: 'docs' })).length, runs, 'a path refused at once is not a failed restore in the history');
    const dottedInclude = await apiRefusal(
      api.call('snapshots.restorePreview', { plan: 'docs', snapshot: 'latest', inPlace: true, overwrite: 'never', include: [`${home}/../etc`] }),
    );
    assert.match(dottedInclude.message, /is not the full path of a file or folder in the snapshot/);
    const newline = await apiRefusal(api.call('files.versions', { plan: 'docs', path: '/no\nsuch $(x).txt' }));
    assert.match(newline.message, /^"\/no\\nsuch \$\(x\)\.txt" is not under any source of plan "docs"/);
    assert.equal((await readdir(notes)).includes('pwned'), false);
    assert.equal((await readdir(root)).includes('pwned'), false);
  });
});
