import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Api, ApiError, createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import type { Scheduler } from '../../main/core/schedule/scheduler.ts';
import { changeTree, writeFirstTree } from '../helpers/changing-tree.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
import '../helpers/restic.ts';

const exec = promisify(execFile);

interface Made {
  root: string;
  setup: Setup;
  source: string;
  raw: string;
  hostileDir: string;
  glob: string;
  first: { id: string; snapshotId: string };
  second: { id: string; snapshotId: string };
  changesAfterRuns: string[];
}

/** Two backups of a tree: the second has added, modified, deleted and renamed files, a grown folder and a new one with a hostile name. */
async function twoBackups(root: string): Promise<Made> {
  const source = join(root, 'src');
  const glob = join(source, '[ab]');
  const { raw } = await writeFirstTree(source);
  await mkdir(glob);
  await mkdir(join(source, 'a'));
  await writeFile(join(glob, 'f.txt'), randomBytes(10));
  await writeFile(join(source, 'a', 'g.txt'), randomBytes(20));
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [source] },
    { id: 'gone', name: 'Gone', sources: [join(root, 'not-there')] },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const first = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
  assert.equal(first.status, 'success', first.reason);

  const { hostileDir } = await changeTree(source);
  const second = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
  assert.equal(second.status, 'success', second.reason);
  const changesAfterRuns = await readdir(join(setup.dataDir, 'history', 'changes')).catch(() => []);
  return { root, setup, source, raw, hostileDir, glob, first, second, changesAfterRuns };
}

/** The refusal a call ends in: its HTTP-like status and sentence. */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call was not refused');
}

async function resticPaths(setup: Setup): Promise<string[]> {
  const { stdout } = await exec('restic', ['ls', '--json', '--no-lock', 'latest'], {
    env: { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { struct_type?: string; path?: string })
    .filter((entry) => entry.struct_type === 'node')
    .map((entry) => String(entry.path));
}

describe('what a backup run changed, through the API, on real restic', () => {
  let made: Made;
  let engine: Engine;
  let scheduler: Scheduler;
  let api: Api;
  const changesFile = (runId: string) => join(made.setup.dataDir, 'history', 'changes', `${runId}.json`);

  before(async () => {
    made = await twoBackups(await mkdtemp(join(tmpdir(), 'lifeboat-run-changes-')));
    engine = await Engine.open({ configFile: made.setup.configFile, dataDir: made.setup.dataDir, env: { ...process.env, ...made.setup.env } });
    scheduler = engine.createScheduler();
    api = createApi({ engine, scheduler, version: 'test', desktop: false });
  });
  after(async () => {
    await scheduler.stop();
    await engine.flushMonitors();
    await rm(made.root, { recursive: true, force: true });
  });

  test("plans.list carries a last backup's changes only once they are stored, never works them out, and says when they are stored", async () => {
    const { second } = made;
    const listed = async () => new Map((await api.call('plans.list', {})).map((plan) => [plan.id, plan]));
    const before = await listed();
    assert.equal(before.get('docs')?.lastBackup?.id, second.id);
    assert.equal(before.get('docs')?.lastChanges, null, 'nothing stored yet: no line');
    assert.equal(before.get('gone')?.lastChanges, null, 'never backed up: no line');
    assert.ok(!existsSync(changesFile(second.id)), 'listing the plans worked nothing out');

    const events: string[] = [];
    const off = api.subscribe((event) => events.push(event.name));
    const changes = await api.call('runs.changes', { runId: second.id });
    off();
    assert.ok(events.includes('status.changed'), 'a stored record is told, so an open dashboard lists it');
    const after = await listed();
    assert.deepEqual(after.get('docs')?.lastChanges, { run: second.id, sentence: changes?.sentence }, 'the same line as the run page');
    assert.equal(after.get('gone')?.lastChanges, null);
    events.length = 0;
    const again = api.subscribe((event) => events.push(event.name));
    await api.call('runs.changes', { runId: second.id });
    again();
    assert.deepEqual(events, [], 'a record read back is not told again');

    // A record that cannot be read (a torn write) is no line, never a failed list.
    const stored = await readFile(changesFile(second.id), 'utf8');
    await writeFile(changesFile(second.id), stored.slice(0, 20));
    assert.equal((await listed()).get('docs')?.lastChanges, null);
    await rm(changesFile(second.id)); // as lifeboat run left it, for the next test
  });

  test('lifeboat run ends without working out what the run changed; runs.changes works it out once and stores it', async () => {
    const { second, first, raw, source, hostileDir } = made;
    assert.deepEqual(made.changesAfterRuns, [], 'no run waited for its changes: none are stored when lifeboat run exits');
    assert.ok(!existsSync(changesFile(second.id)));

    const [changes, again] = await Promise.all([api.call('runs.changes', { runId: second.id }), api.call('runs.changes', { runId: second.id })]);
    assert.ok(changes && again);
    assert.equal(again.computedAt, changes.computedAt, 'two requests at once work it out once');
    assert.equal(changes.run, second.id);
    assert.equal(changes.from?.id, first.snapshotId);
    assert.equal(changes.to.id, second.snapshotId);
    assert.deepEqual(changes.files, { added: 4, removed: 2, changed: 1 }, 'a rename is one removed and one added file');
    assert.deepEqual(changes.dirs, { added: 1, removed: 0 });
    assert.deepEqual(changes.bytes, { added: 700 + 200_000 + 300_000 + 50 + 2000, removed: 500 + 700, net: 502_750 - 1200 });
    assert.deepEqual(
      changes.topPaths.map((entry) => [entry.path, entry.bytes, entry.change, entry.size]),
      [
        [join(raw, 'c.mov'), 300_000, 'added', 300_000],
        [join(raw, 'b.mov'), 200_000, 'added', 200_000],
        [join(source, 'mod.txt'), 2000, 'changed', 3000],
        [join(source, 'new-name.txt'), 700, 'added', 700],
        [join(hostileDir, 'n.txt'), 50, 'added', 50],
      ],
    );
    assert.deepEqual(
      changes.topFolders.map((entry) => [entry.path, entry.bytes, entry.files]),
      [
        [source, 501_550, 7],
        [raw, 500_000, 2],
        [hostileDir, 50, 1],
      ],
    );
    assert.deepEqual(changes.mostly, { path: raw, bytes: 500_000 });
    assert.match(changes.sentence, /^7 files changed, \+490 KiB, mostly .*videos\/raw \(488 KiB\)$/);

    const stored = JSON.parse(await readFile(changesFile(second.id), 'utf8'));
    assert.equal(stored.computedAt, changes.computedAt, 'the record is stored beside the run');
    assert.equal(stored.changes, undefined, 'bounded: no list of every path');
    const later = await api.call('runs.changes', { runId: second.id });
    assert.equal(later?.computedAt, changes.computedAt, 'asked again, the stored record is returned');

    const firstChanges = await api.call('runs.changes', { runId: first.id });
    assert.equal(firstChanges?.from, null);
    assert.deepEqual(firstChanges?.files, { added: 7, removed: 0, changed: 0 });
    assert.match(firstChanges?.sentence ?? '', /^7 files in the first backup, \+/);
  });

  test('snapshots.diff between any two snapshots: exact counts, size blame and every changed path, bounded', async () => {
    const { first, second, raw, hostileDir } = made;
    const diff = await api.call('snapshots.diff', { plan: 'docs', from: first.snapshotId, to: second.snapshotId });
    assert.deepEqual(diff.files, { added: 4, removed: 2, changed: 1 });
    assert.deepEqual(diff.bytes.net, 501_550);
    assert.deepEqual(diff.mostly, { path: raw, bytes: 500_000 });
    assert.equal(diff.changes.length, 8, 'seven files and one folder');
    assert.equal(diff.moreChanges, 0);
    assert.ok(diff.changes.some((change) => change.path === hostileDir && change.type === 'dir' && change.change === 'added'));
    const stored = await api.call('runs.changes', { runId: second.id });
    assert.deepEqual(diff.topFolders, stored?.topFolders, 'the diff and the stored record agree');

    const backwards = await api.call('snapshots.diff', { plan: 'docs', from: second.snapshotId.slice(0, 8), to: first.snapshotId.slice(0, 8) });
    assert.deepEqual(backwards.files, { added: 2, removed: 4, changed: 1 });
    assert.equal(backwards.bytes.net, -501_550);
    assert.match(backwards.sentence, /^7 files changed, −490 KiB$/);

    for (const bad of ['$(touch pwned)', 'latest;rm -rf ~', 'a\nb']) {
      const refused = await refusal(api.call('snapshots.diff', { plan: 'docs', from: bad }));
      assert.equal(refused.status, 422);
      assert.match(refused.message, /is not a snapshot id; use "latest" or an id from "lifeboat snapshots <plan>"/, 'the same sentence as the CLI');
    }
    const unknown = await refusal(api.call('snapshots.diff', { plan: 'docs', from: 'deadbeef' }));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.message, 'deadbeef is not a snapshot of plan "docs". Pick one from the plan\'s snapshots.', "the app's words, not a command");
    assert.ok(!existsSync(join(made.root, 'pwned')) && !existsSync('pwned'), 'a name is never run as a command');
  });

  test('one click excludes a folder: the preview counts what the next backup would skip, the exclude is saved, and the next snapshot skips it', async () => {
    const { setup, raw, hostileDir, glob, source } = made;
    const preview = await api.call('plans.excludePreview', { plan: 'docs', path: raw });
    assert.deepEqual(
      { files: preview.files, dirs: preview.dirs, bytes: preview.bytes, pattern: preview.pattern, alreadyExcluded: preview.alreadyExcluded },
      { files: 3, dirs: 1, bytes: 510_000, pattern: raw, alreadyExcluded: false },
    );
    assert.equal(preview.snapshot?.id, made.second.snapshotId, 'counted in the latest snapshot');
    const hostile = await api.call('plans.excludePreview', { plan: 'docs', path: hostileDir });
    assert.deepEqual([hostile.files, hostile.bytes, hostile.path], [1, 50, hostileDir]);
    const globbed = await api.call('plans.excludePreview', { plan: 'docs', path: glob });
    assert.deepEqual([globbed.files, globbed.bytes], [1, 10], '[ab] is a name, not a pattern: a/ is not counted');
    assert.equal(globbed.pattern, join(source, '\\[ab]'));

    const added = await api.call('plans.addExclude', { plan: 'docs', path: raw, revision: preview.revision });
    assert.deepEqual([added.added, added.pattern], [true, raw]);
    const onDisk = () => readFile(setup.configFile, 'utf8').then((text) => JSON.parse(text).plans[0].excludes);
    assert.deepEqual(await onDisk(), [raw]);
    assert.equal((await api.call('plans.excludePreview', { plan: 'docs', path: raw })).alreadyExcluded, true);
    const blame = (await api.call('runs.changes', { runId: made.second.id }))!.topFolders;
    assert.deepEqual(
      blame.map((folder) => [folder.path, folder.excludable, folder.excluded]),
      [
        [source, false, false],
        [raw, false, true],
        [hostileDir, true, false],
      ],
      'the blame offers Exclude… inside the plan only, and says which folder is left out now',
    );
    const twice = await api.call('plans.addExclude', { plan: 'docs', path: `${raw}/`, revision: added.revision });
    assert.equal(twice.added, false, 'the same folder is not excluded twice');

    const stale = await refusal(api.call('plans.addExclude', { plan: 'docs', path: hostileDir, revision: preview.revision }));
    assert.equal(stale.status, 409, 'a revision from before the last save is refused');
    assert.match(stale.message, /changed on disk.*reload/i);
    await api.call('plans.addExclude', { plan: 'docs', path: hostileDir, revision: added.revision });
    await api.call('plans.addExclude', { plan: 'docs', path: glob });
    assert.deepEqual(await onDisk(), [raw, hostileDir, join(source, '\\[ab]')]);

    // The next backups, as the daemon, serve and the app run them (a second one queued behind the first on the same
    // repository): what each changed is worked out after it, in the background, and nothing waits for it.
    const ended: string[] = [];
    const storedWhenEnded: boolean[] = [];
    const previousStoredWhenStarted: boolean[] = [];
    const off = engine.subscribe((event) => {
      if (event.type === 'run-started' && ended.length > 0) previousStoredWhenStarted.push(existsSync(changesFile(ended.at(-1)!)));
      if (event.type === 'run-ended') {
        storedWhenEnded.push(existsSync(changesFile(event.run.id)));
        ended.push(event.run.id);
      }
    });
    await api.call('plans.run', { plan: 'docs' });
    assert.deepEqual(await api.call('plans.run', { plan: 'docs' }), { started: false, queued: true });
    await scheduler.idle();
    off();
    assert.deepEqual(storedWhenEnded, [false, false], 'no run ended waiting for its changes');
    assert.deepEqual(previousStoredWhenStarted, [false], "the queued run started without waiting for the last one's changes");
    await engine.changes.settle();
    const [third, fourth] = await Promise.all(ended.map(async (id) => (await engine.history.get(id))!));
    assert.equal(third!.status, 'success', third!.reason ?? '');
    const background = JSON.parse(await readFile(changesFile(third!.id), 'utf8'));
    assert.deepEqual(background.files, { added: 0, removed: 5, changed: 0 }, 'the excluded files are gone from the snapshot');
    assert.equal(background.bytes.removed, 510_060);
    const unchanged = JSON.parse(await readFile(changesFile(fourth!.id), 'utf8'));
    assert.equal(unchanged.sentence, 'Nothing changed.');

    const paths = await resticPaths(setup);
    assert.ok(paths.includes(join(source, 'keep.txt')), 'the rest is backed up');
    assert.ok(paths.includes(join(source, 'a', 'g.txt')), 'a/ is not caught by the [ab] exclude');
    for (const skipped of [raw, hostileDir, glob]) {
      assert.deepEqual(
        paths.filter((path) => path === skipped || path.startsWith(`${skipped}/`)),
        [],
        `${JSON.stringify(skipped)} is not in the new snapshot`,
      );
    }
  });

  test("lifeboat diff of a run and the snapshot before it stores that run's changes when none are", async () => {
    const { setup } = made;
    const third = (await engine.history.list({ plan: 'docs', limit: 1 }))[0]!;
    await rm(changesFile(third.id));
    const result = await lifeboatHere(setup, 'diff', 'docs', '--json');
    assert.equal(result.code, 0, result.stderr);
    const stored = JSON.parse(await readFile(changesFile(third.id), 'utf8'));
    assert.deepEqual(stored.files, JSON.parse(result.stdout).files);
    const explicit = await lifeboatHere(setup, 'diff', 'docs', made.first.snapshotId, third.snapshotId!, '--json');
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.deepEqual(JSON.parse(await readFile(changesFile(third.id), 'utf8')), stored, 'a diff of another pair never replaces it');
  });

  test('hostile input gets one clear sentence: paths outside the sources, relative, huge or empty; unknown runs; runs without a snapshot', async () => {
    const { source, root } = made;
    const cases: Array<[string, number, RegExp]> = [
      ['/etc', 422, /^\/etc is not inside the folders plan "docs" backs up \(.*src\); pick a folder inside one of them\.$/],
      [join(source, '..', 'elsewhere'), 422, /elsewhere is not inside the folders plan "docs" backs up/],
      [source, 422, /is a folder plan "docs" backs up; to stop backing it up, remove it from the plan's folders instead\./],
      ['videos/raw', 422, /^videos\/raw is not a full path; give it from the root/],
      [join(source, 'x'.repeat(5000)), 422, /^That path is 50\d\d characters long, longer than any path the system accepts \(4096\)\.$/],
      [`${source}/a\0b`, 422, /cannot hold a NUL character/],
      ['   ', 422, /^Give the folder or file to leave out of the backups\.$/],
    ];
    const before = await readFile(made.setup.configFile, 'utf8');
    for (const [path, status, sentence] of cases) {
      for (const call of ['plans.excludePreview', 'plans.addExclude'] as const) {
        const refused = await refusal(api.call(call, { plan: 'docs', path }));
        assert.equal(refused.status, status, `${call} ${JSON.stringify(path.slice(0, 60))}: ${refused.message}`);
        assert.match(refused.message, sentence);
        assert.ok(!refused.message.includes('\n'), 'one line');
        assert.ok(refused.message.length < 400, 'a huge path is not echoed whole');
      }
    }
    const empty = await refusal(api.call('plans.excludePreview', { plan: 'docs', path: '' }));
    assert.equal(empty.status, 400);
    const unknownPlan = await refusal(api.call('plans.addExclude', { plan: 'nope', path: join(source, 'a') }));
    assert.equal(unknownPlan.status, 404);
    assert.match(unknownPlan.message, /There is no plan "nope"\. Plans: docs, gone\./);
    assert.equal(await readFile(made.setup.configFile, 'utf8'), before, 'nothing refused was saved');

    // A name with quotes, $() and a newline that is not in the snapshot yet: nothing to skip, and nothing run.
    const notThere = await api.call('plans.excludePreview', { plan: 'docs', path: join(source, `"q" $(touch pwned)\n'x'`) });
    assert.deepEqual([notThere.files, notThere.bytes], [0, 0]);
    assert.ok(!existsSync(join(root, 'pwned')));

    for (const runId of ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '../../etc/passwd', '$(touch pwned)']) {
      const unknown = await refusal(api.call('runs.changes', { runId }));
      assert.equal(unknown.status, 404);
      assert.match(unknown.message, /^There is no run .* in the history; pick one from "lifeboat history"\.$/);
    }
    const failed = await lifeboatHere(made.setup, 'run', 'gone', '--json');
    assert.equal(failed.code, 1);
    assert.equal(await api.call('runs.changes', { runId: JSON.parse(failed.stdout).id }), null, 'a run that made no snapshot changed nothing');

    // A run whose snapshot was forgotten since, and whose changes were never stored: told, not guessed.
    await rm(changesFile(made.first.id));
    await exec('restic', ['forget', made.first.snapshotId], {
      env: { ...process.env, ...made.setup.env, RESTIC_REPOSITORY: made.setup.repo, RESTIC_PASSWORD: made.setup.password },
    });
    const forgotten = await refusal(api.call('runs.changes', { runId: made.first.id }));
    assert.equal(forgotten.status, 404);
    assert.match(
      forgotten.message,
      new RegExp(
        `^The snapshot run ${made.first.id} made \\(${made.first.snapshotId.slice(0, 8)}\\) is no longer in the repository \\(retention or a forget removed it\\)`,
      ),
    );
  });
});
