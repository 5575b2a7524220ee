import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
// The same command lines as the `lifeboat` binary, run in this process: what a restore refuses and changes is the engine's, not start-up's.
import { lifeboatInProcess as lifeboat } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { resticAtLeast, testResticVersion } from '../helpers/restic.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

async function backedUp(t: Parameters<typeof tempDir>[0]) {
  const root = await tempDir(t);
  const source = join(root, 'home', 'docs');
  await mkdir(join(source, 'sub'), { recursive: true });
  for (const name of ['newer-on-disk.txt', 'older-on-disk.txt', 'deleted.txt', 'sub/kept.txt']) await writeFile(join(source, name), `snapshot ${name}\n`);
  // The snapshot's copies are from an hour ago; a file edited since is newer on disk.
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const name of ['newer-on-disk.txt', 'older-on-disk.txt', 'deleted.txt', 'sub/kept.txt']) await utimes(join(source, name), hourAgo, hourAgo);
  const other = join(root, 'elsewhere', 'photos');
  await mkdir(other, { recursive: true });
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source] },
    { id: 'photos', sources: [other] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const run = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(run.code, 0, run.stderr);
  return { root, source, other, setup, cli: (...args: string[]) => lifeboat(setup.args(...args), { env: setup.env }) };
}

/** Edits the live tree: one file newer than the snapshot, one older, one deleted, one new. */
async function editLiveTree(source: string): Promise<void> {
  await writeFile(join(source, 'newer-on-disk.txt'), 'edited today\n');
  await writeFile(join(source, 'older-on-disk.txt'), 'edited long ago\n');
  const dayAgo = new Date(Date.now() - 86_400_000);
  await utimes(join(source, 'older-on-disk.txt'), dayAgo, dayAgo);
  await rm(join(source, 'deleted.txt'));
  await writeFile(join(source, 'not-in-snapshot.txt'), 'new\n');
}

async function contents(source: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of ['newer-on-disk.txt', 'older-on-disk.txt', 'deleted.txt', 'not-in-snapshot.txt', 'sub/kept.txt']) {
    result[name] = await readFile(join(source, name), 'utf8').catch(() => '(missing)');
  }
  return result;
}

test('restore refuses targets over live data, each with a sentence naming the choice, and writes nothing', async (t) => {
  const { root, source, other, cli } = await backedUp(t);
  const nonEmpty = join(root, 'full');
  await mkdir(nonEmpty);
  await writeFile(join(nonEmpty, 'precious.txt'), 'mine\n');
  const linkToSource = join(root, 'link-to-source');
  await symlink(source, linkToSource);
  const linkToParent = join(root, 'link-to-home');
  await symlink(join(root, 'home'), linkToParent);
  const cases: Array<[string, string, RegExp]> = [
    ['the root folder', '/', /over the live system/],
    ['a source of this plan', source, /is the source folder of plan "docs"/],
    ['a source of another plan', other, /is the source folder of plan "photos"/],
    ['a parent of a source', join(root, 'home'), /contains .*docs, a source of plan "docs"/],
    ['a folder inside a source', join(source, 'sub', 'restored'), /is inside .*docs, a source of plan "docs"/],
    ['a symlink pointing at a source', linkToSource, /points to .*docs\).*is the source folder of plan "docs"/],
    ['a path through a symlink into a source', join(linkToParent, 'docs', 'new'), /is inside .*docs, a source of plan "docs"/],
    ['a non-empty folder', nonEmpty, /is not empty/],
  ];
  const results = await Promise.all(cases.map(([, target]) => cli('restore', 'docs', 'latest', '--target', target)));
  for (const [index, [what, , message]] of cases.entries()) {
    const result = results[index]!;
    assert.equal(result.code, 2, `${what}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, message, what);
    assert.match(result.stderr, /--in-place and an --overwrite policy|an empty folder/i, `${what}: names the choice`);
  }
  assert.deepEqual(await readdir(nonEmpty), ['precious.txt']);
  assert.deepEqual((await readdir(source)).sort(), ['deleted.txt', 'newer-on-disk.txt', 'older-on-disk.txt', 'sub']);
  assert.deepEqual(await readdir(join(source, 'sub')), ['kept.txt'], 'nothing was restored into the source');

  const usage: Array<[string[], RegExp]> = [
    [['--in-place'], /--in-place needs --overwrite never\|if-newer\|always/],
    [['--in-place', '--overwrite', 'sometimes'], /"sometimes" is not a policy/],
    [['--in-place', '--overwrite', 'never', '--target', join(root, 'empty')], /either --target DIR or --in-place, not both/],
    [['--target', join(root, 'empty'), '--overwrite', 'always'], /--overwrite goes with --in-place/],
  ];
  const usageResults = await Promise.all(usage.map(([args]) => cli('restore', 'docs', 'latest', ...args)));
  for (const [index, [args, message]] of usage.entries()) {
    const result = usageResults[index]!;
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});

test('the API refuses the same restore targets with 422 and a sentence', async (t) => {
  const { root, source, setup } = await backedUp(t);
  const served = await startServe(t, setup);
  for (const target of ['/', source, join(root, 'home'), join(source, 'sub')]) {
    const result = await served.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', target });
    assert.equal(result.status, 422, `${target}: ${JSON.stringify(result.body)}`);
    assert.match(result.body.error.message, /empty folder/);
  }
  const noPolicy = await served.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', inPlace: true });
  assert.equal(noPolicy.status, 400);
  assert.match(noPolicy.body.error.message, /overwrite policy/);
  const relative = await served.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', target: 'restored' });
  assert.equal(relative.status, 422);
  const fine = await served.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', target: join(root, 'restored') });
  assert.equal(fine.status, 200, JSON.stringify(fine.body));
  assert.equal(fine.body.status, 'success');
  assert.equal(await readFile(join(root, 'restored', source, 'sub', 'kept.txt'), 'utf8'), 'snapshot sub/kept.txt\n');
});

const POLICIES = {
  never: { 'newer-on-disk.txt': 'edited today\n', 'older-on-disk.txt': 'edited long ago\n' },
  'if-newer': { 'newer-on-disk.txt': 'edited today\n', 'older-on-disk.txt': 'snapshot older-on-disk.txt\n' },
  always: { 'newer-on-disk.txt': 'snapshot newer-on-disk.txt\n', 'older-on-disk.txt': 'snapshot older-on-disk.txt\n' },
} as const;

test(`restore --in-place with each --overwrite policy changes exactly the files the policy says (restic ${testResticVersion().join('.')}: ${resticAtLeast(17) ? "restic's --overwrite" : 'scratch folder, our own policy'})`, async (t) => {
  const root = await tempDir(t);
  // One folder per policy, all in one snapshot; each restore takes its own folder with --include.
  const hourAgo = new Date(Date.now() - 3_600_000);
  const folders = Object.keys(POLICIES).map((policy) => join(root, 'home', policy));
  for (const folder of folders) {
    await mkdir(join(folder, 'sub'), { recursive: true });
    for (const name of ['newer-on-disk.txt', 'older-on-disk.txt', 'deleted.txt', 'sub/kept.txt']) {
      await writeFile(join(folder, name), `snapshot ${name}\n`);
      await utimes(join(folder, name), hourAgo, hourAgo);
    }
  }
  const setup = await writeSetup(root, [{ id: 'docs', sources: folders }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  assert.equal((await lifeboat(setup.args('run', 'docs'), { env: setup.env })).code, 0);
  for (const folder of folders) await editLiveTree(folder);
  for (const [policy, expected] of Object.entries(POLICIES)) {
    const folder = join(root, 'home', policy);
    const result = await lifeboat(setup.args('restore', 'docs', 'latest', '--in-place', '--overwrite', policy, '--include', folder, '--json'), {
      env: setup.env,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    // restic 0.17 and newer apply the policy themselves; before that, restic restores beside the data and Lifeboat moves it in.
    const steps = (JSON.parse(result.stdout) as { steps: Array<{ name: string }> }).steps.map((step) => step.name);
    assert.deepEqual(steps, resticAtLeast(17) ? ['restore'] : ['restore', 'restore in place'], policy);
    assert.deepEqual(
      await contents(folder),
      {
        ...expected,
        'deleted.txt': 'snapshot deleted.txt\n',
        'not-in-snapshot.txt': 'new\n',
        'sub/kept.txt': 'snapshot sub/kept.txt\n',
      },
      policy,
    );
    const restoredMtime = (await stat(join(folder, 'deleted.txt'))).mtimeMs;
    assert.ok(Date.now() - restoredMtime > 3_000_000, `${policy}: a restored file keeps the snapshot time`);
  }
  assert.deepEqual((await readdir(join(root, 'home'))).sort(), Object.keys(POLICIES).sort(), 'the scratch folder is gone');
});

test('on restic 0.17 and newer, --in-place hands the policy to restic (--overwrite), with options ended by -- before the id', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'docs');
  await mkdir(source);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  const argsFile = join(root, 'restic-args');
  const fake = join(root, 'restic');
  // The plan's one snapshot, for the restore to find the id among the plan's own.
  const id = `0123abcd${'e'.repeat(56)}`;
  const snapshots = JSON.stringify([
    { id, short_id: '0123abcd', time: '2025-01-01T00:00:00Z', tree: 'f'.repeat(64), paths: [source], tags: ['lifeboat', 'plan:docs'] },
  ]);
  await writeFile(
    fake,
    `#!/bin/sh\nif [ "$1" = version ]; then echo 'restic 0.17.3 compiled with go1.22.5 on linux/amd64'; exit 0; fi\nif [ "$1" = snapshots ]; then echo '${snapshots}'; exit 0; fi\nprintf '%s\\n' "$@" > '${argsFile}'\n`,
    { mode: 0o755 },
  );
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { resticPath: fake } }));
  const result = await lifeboat(setup.args('restore', 'docs', '0123abcd', '--in-place', '--overwrite', 'if-newer', '--include=--verbose'), { env: setup.env });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual((await readFile(argsFile, 'utf8')).trim().split('\n'), ['restore', '--target=/', '--overwrite=if-newer', '--include=--verbose', '--', id]);
});
