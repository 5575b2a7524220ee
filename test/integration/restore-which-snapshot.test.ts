import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Api, createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { apiRefusal } from '../helpers/api-refusal.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
// The restic under test goes first on PATH.
import { resticAtLeast } from '../helpers/restic.ts';

/** findSnapshot's refusal as the CLI says it: the command that lists the plan's snapshots. */
function notPlans(id: string, plan: string): string {
  return `${id} is not a snapshot of plan "${plan}". List them with "lifeboat snapshots ${plan}".`;
}

/** The same refusal as the app and the API say it: no command, the plan's snapshots the app shows. */
function notPlansInApp(id: string, plan: string): string {
  return `${id} is not a snapshot of plan "${plan}". Pick one from the plan's snapshots.`;
}

/**
 * Two plans in one repository: restore takes only the plan's own snapshots, `latest` and id
 * prefixes resolved among them as the preview, diff and versions resolve them.
 */
describe('restore with two plans sharing one repository', () => {
  let root: string;
  let setup: Setup;
  let engine: Engine;
  let api: Api;
  let docs: string;
  let photos: string;
  let hookLog: string;
  let docsSnapshot: string;
  let photosSnapshot: string;
  /** Each restic command the engine runs (its first argument), one a line. */
  let resticLog: string;

  const restoreRuns = async (plan: string) => (await api.call('history.list', { plan })).filter((run) => run.kind === 'restore');
  const hooksRan = async () => (await readFile(hookLog, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifeboat-which-snapshot-'));
    docs = join(root, 'home', 'docs');
    photos = join(root, 'home', 'photos');
    hookLog = join(root, 'hooks.log');
    await mkdir(docs, { recursive: true });
    await mkdir(photos, { recursive: true });
    await writeFile(join(docs, 'letter.txt'), 'docs letter\n');
    await writeFile(join(photos, 'cat.jpg'), 'photos cat\n');
    await writeFile(join(photos, 'dog.jpg'), 'photos dog\n');
    const mark = (plan: string) =>
      ['restore.before', 'restore.after'].map((event) => ({
        id: `mark-${event.replace('.', '-')}`,
        on: [event],
        script: { command: `echo "${plan} $LIFEBOAT_EVENT" >> '${hookLog}'` },
      }));
    setup = await writeSetup(root, [
      { id: 'docs', sources: [docs], hooks: mark('docs') },
      { id: 'photos', sources: [photos], hooks: mark('photos') },
      // Never backed up: it has no snapshots yet.
      { id: 'music', sources: [join(root, 'home', 'music')], hooks: mark('music') },
    ]);
    assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
    const backup = async (plan: string) => {
      const run = JSON.parse((await lifeboatHere(setup, 'run', plan, '--json')).stdout);
      assert.equal(run.status, 'success', run.reason);
      return run.snapshotId as string;
    };
    docsSnapshot = await backup('docs');
    // The other plan backs up later: the repository's newest snapshot is not docs'.
    photosSnapshot = await backup('photos');
    // A photo gone from disk: an in-place restore of photos' snapshot would bring it back.
    await rm(join(photos, 'dog.jpg'));
    // The engine's restic is the one under test behind a wrapper that notes each command it is given.
    resticLog = join(root, 'restic-commands.log');
    const real = execFileSync('sh', ['-c', 'command -v restic'], { encoding: 'utf8' }).trim();
    const wrapper = join(root, 'bin');
    await mkdir(wrapper);
    await writeFile(join(wrapper, 'restic'), `#!/bin/sh\necho "$1" >> '${resticLog}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, ...setup.env, PATH: `${wrapper}${delimiter}${process.env.PATH ?? ''}` };
    engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env });
    api = createApi({ engine, scheduler: engine.createScheduler(), version: 'test', desktop: false });
  });
  after(() => rm(root, { recursive: true, force: true }));

  test("lifeboat restore refuses another plan's snapshot (full id or prefix, into a folder or in place) with diff's sentence, exit 2, before any hook runs or any file is written", async () => {
    for (const id of [photosSnapshot, photosSnapshot.slice(0, 8)]) {
      const target = join(root, `out-${id.length}`);
      const into = await lifeboatHere(setup, 'restore', 'docs', id, '--target', target);
      assert.equal(into.code, 2, into.stdout + into.stderr);
      assert.match(into.stderr, new RegExp(notPlans(id, 'docs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.ok(!existsSync(target), 'nothing was restored into the folder');
      const inPlace = await lifeboatHere(setup, 'restore', 'docs', id, '--in-place', '--overwrite', 'always');
      assert.equal(inPlace.code, 2, inPlace.stdout + inPlace.stderr);
      assert.ok(inPlace.stderr.includes(notPlans(id, 'docs')), inPlace.stderr);
      const diff = await lifeboatHere(setup, 'diff', 'docs', id);
      assert.ok(diff.stderr.includes(notPlans(id, 'docs')), 'the same sentence as diff gives');
    }
    assert.deepEqual((await readdir(photos)).sort(), ['cat.jpg'], "the other plan's files were not put back in place");
    assert.deepEqual(await readdir(docs), ['letter.txt']);
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
    assert.deepEqual(await restoreRuns('docs'), [], 'a refused restore is not a run in the history');

    // The plan's own snapshot by the same kind of prefix restores, hooks and all.
    const own = await lifeboatHere(setup, 'restore', 'docs', docsSnapshot.slice(0, 8), '--target', join(root, 'own'));
    assert.equal(own.code, 0, own.stdout + own.stderr);
    assert.equal(await readFile(join(root, 'own', docs, 'letter.txt'), 'utf8'), 'docs letter\n');
    assert.deepEqual(await hooksRan(), ['docs restore.before', 'docs restore.after']);
    await rm(hookLog, { force: true });
  });

  test("the API's restore refuses another plan's snapshot (into a folder and in place) with diff's sentence, before any hook runs or any file is written", async () => {
    const runsBefore = await restoreRuns('docs');
    const target = join(root, 'api-out');
    for (const where of [{ target }, { inPlace: true, overwrite: 'always' as const }]) {
      const refused = await apiRefusal(api.call('snapshots.restore', { plan: 'docs', snapshot: photosSnapshot, ...where }));
      assert.equal(refused.status, 404, JSON.stringify(where));
      assert.equal(refused.message, notPlansInApp(photosSnapshot, 'docs'));
      const preview = await apiRefusal(api.call('snapshots.restorePreview', { plan: 'docs', snapshot: photosSnapshot, ...where }));
      assert.equal(preview.message, refused.message, 'the restore and its preview refuse it alike');
    }
    assert.ok(!existsSync(target), 'nothing was restored into the folder');
    assert.deepEqual((await readdir(photos)).sort(), ['cat.jpg'], "the other plan's files were not put back in place");
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
    assert.deepEqual(await restoreRuns('docs'), runsBefore, 'a refused restore is not a run in the history');
  });

  test("an unknown snapshot id is told in findSnapshot's words (not restic's; the CLI's naming its command, the API's the app's), exit 2 and 404, and is not recorded as a failed restore", async () => {
    const runsBefore = await restoreRuns('docs');
    const target = join(root, 'unknown-out');
    const cli = await lifeboatHere(setup, 'restore', 'docs', 'deadbeef', '--target', target);
    assert.equal(cli.code, 2, cli.stdout + cli.stderr);
    assert.ok(cli.stderr.includes(notPlans('deadbeef', 'docs')), cli.stderr);
    assert.doesNotMatch(cli.stderr, /no matching ID|restic/i);
    const inPlace = await lifeboatHere(setup, 'restore', 'docs', 'deadbeef', '--in-place', '--overwrite', 'never', '--json');
    assert.equal(inPlace.code, 2, inPlace.stdout + inPlace.stderr);
    const refused = await apiRefusal(api.call('snapshots.restore', { plan: 'docs', snapshot: 'deadbeef', target }));
    assert.equal(refused.status, 404);
    assert.equal(refused.message, notPlansInApp('deadbeef', 'docs'));
    assert.ok(!existsSync(target));
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
    assert.deepEqual(await restoreRuns('docs'), runsBefore, 'no failed restore run was recorded');
  });

  test("restore latest restores the plan's own latest snapshot, not another plan's later one in the same repository, and records its full id like the preview names it", async () => {
    const target = join(root, 'latest-out');
    const preview = await lifeboatHere(setup, 'restore', 'docs', 'latest', '--target', target, '--dry-run', '--json');
    assert.equal(preview.code, 0, preview.stderr);
    assert.equal(JSON.parse(preview.stdout).snapshot.id, docsSnapshot, "the preview's latest is the plan's own");
    const restored = await lifeboatHere(setup, 'restore', 'docs', 'latest', '--target', target, '--json');
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    const { id } = JSON.parse(restored.stdout);
    assert.deepEqual(await readdir(join(target, root, 'home')), ['docs'], "only the plan's own files");
    assert.equal(await readFile(join(target, docs, 'letter.txt'), 'utf8'), 'docs letter\n');
    const record = (await restoreRuns('docs')).find((run) => run.id === id);
    assert.equal(record?.snapshotId, docsSnapshot, "the restore's record keeps the full id of the snapshot restored");

    const byApi = await api.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', target: join(root, 'latest-api') });
    assert.equal(byApi.status, 'success', byApi.reason ?? '');
    assert.deepEqual(await readdir(join(root, 'latest-api', root, 'home')), ['docs']);
    const latestRun = (await restoreRuns('docs'))[0];
    assert.equal(latestRun?.snapshotId, docsSnapshot);
    await rm(hookLog, { force: true });
  });

  test("the app's restore refusals name the dialog's choices (an empty folder, the original location) and no command-line flag; the CLI's name its flags", async () => {
    const full = join(root, 'full');
    await mkdir(full, { recursive: true });
    await writeFile(join(full, 'precious.txt'), 'mine\n');
    const dangling = join(root, 'dangling');
    await symlink(join(root, 'nowhere'), dangling);
    const requests: Array<[string, Record<string, unknown>]> = [
      ['the root folder', { target: '/' }],
      ['a source', { target: docs }],
      ['inside a source', { target: join(docs, 'restored') }],
      ['a non-empty folder', { target: full }],
      ['a symlink to nowhere', { target: dangling }],
      ['a file', { target: join(full, 'precious.txt') }],
    ];
    for (const [what, where] of requests) {
      for (const call of ['snapshots.restore', 'snapshots.restorePreview'] as const) {
        const refused = await apiRefusal(api.call(call, { plan: 'docs', snapshot: 'latest', ...where }));
        assert.equal(refused.status, 422, `${call}, ${what}`);
        assert.doesNotMatch(refused.message, /--|\bin-place\b/, `${call}, ${what}: ${refused.message}`);
        assert.match(refused.message, /empty folder/, `${call}, ${what}`);
        assert.match(refused.message, /the original location/, `${call}, ${what}`);
        assert.match(refused.message, /files that are there already/i, `${call}, ${what}`);
      }
    }
    // An overwrite policy with a folder: the dialog never sends it, and the answer still has no flag in it.
    const policyWithFolder = await apiRefusal(
      api.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', target: join(root, 'empty'), overwrite: 'always' }),
    );
    assert.doesNotMatch(policyWithFolder.message, /--|\bin-place\b/, policyWithFolder.message);
    assert.match(policyWithFolder.message, /original location/);

    for (const target of ['/', full, dangling]) {
      const cli = await lifeboatHere(setup, 'restore', 'docs', 'latest', '--target', target);
      assert.equal(cli.code, 2, cli.stdout + cli.stderr);
      assert.match(cli.stderr, /--in-place and an --overwrite policy \(never, if-newer or always\)/, `${target}: ${cli.stderr}`);
      const dryRun = await lifeboatHere(setup, 'restore', 'docs', 'latest', '--target', target, '--dry-run');
      assert.equal(dryRun.code, 2, dryRun.stdout + dryRun.stderr);
      assert.match(dryRun.stderr, /--in-place and an --overwrite policy/, `--dry-run ${target}`);
    }
    assert.deepEqual(await readdir(full), ['precious.txt']);
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
  });

  test("the API's browse lists the plan's own snapshot (latest, a full id or a prefix) with one restic call, and refuses another plan's snapshot and an unknown id with findSnapshot's sentence in the app's words", async () => {
    const letter = join(docs, 'letter.txt');
    const browse = async (snapshot: string, path?: string) => {
      await rm(resticLog, { force: true });
      const entries = await api.call('snapshots.browse', { plan: 'docs', snapshot, ...(path === undefined ? {} : { path }) });
      const commands = (await readFile(resticLog, 'utf8')).trim().split('\n');
      return { paths: entries.map((entry) => entry.path), commands: commands.filter((command) => command !== 'version') };
    };
    for (const [id, path] of [['latest'], [docsSnapshot], [docsSnapshot.slice(0, 8)], [docsSnapshot.slice(0, 8), docs]] as Array<[string, string?]>) {
      const { paths, commands } = await browse(id, path);
      assert.ok(paths.includes(letter), `${id} ${path}: ${paths}`);
      assert.ok(!paths.some((entry) => entry.startsWith(photos)), `${id}: only the plan's own files`);
      assert.deepEqual(commands, ['ls'], `${id}: one restic call per browse`);
    }
    for (const id of [photosSnapshot, photosSnapshot.slice(0, 8), 'deadbeef']) {
      for (const path of [undefined, photos]) {
        const refused = await apiRefusal(api.call('snapshots.browse', { plan: 'docs', snapshot: id, ...(path === undefined ? {} : { path }) }));
        assert.equal(refused.status, 404, `${id} ${path}`);
        assert.equal(refused.message, notPlansInApp(id, 'docs'));
      }
    }
    const theirs = await api.call('snapshots.browse', { plan: 'photos', snapshot: photosSnapshot.slice(0, 8) });
    assert.ok(
      theirs.some((entry) => entry.path === join(photos, 'cat.jpg')),
      'the other plan browses its own',
    );
  });

  test("a plan with no snapshots yet is told so in the app's words by restore, its preview and browse, and by lifeboat restore in the CLI's", async () => {
    const target = join(root, 'music-out');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['restore', () => api.call('snapshots.restore', { plan: 'music', snapshot: 'latest', target })],
      ['preview', () => api.call('snapshots.restorePreview', { plan: 'music', snapshot: 'latest', target })],
      ['browse', () => api.call('snapshots.browse', { plan: 'music', snapshot: 'latest' })],
    ];
    for (const [what, call] of calls) {
      const refused = await apiRefusal(call());
      assert.equal(refused.status, 404, what);
      assert.equal(refused.message, 'Plan "music" has no snapshots yet. Back it up to make one.', what);
    }
    const cli = await lifeboatHere(setup, 'restore', 'music', 'latest', '--target', target);
    assert.equal(cli.code, 2, cli.stdout + cli.stderr);
    assert.ok(cli.stderr.includes('Plan "music" has no snapshots yet. Run "lifeboat run music" to make one.'), cli.stderr);
    assert.ok(!existsSync(target));
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
  });

  test("files.restoreVersion refuses another plan's snapshot and an unknown id (the app's words; the CLI's name its command) before any hook runs or anything is recorded, and records the full id of the snapshot a prefix named", async () => {
    const letter = join(docs, 'letter.txt');
    const runsBefore = await restoreRuns('docs');
    for (const id of [photosSnapshot, photosSnapshot.slice(0, 8), 'deadbeef']) {
      for (const mode of ['beside', 'in-place'] as const) {
        const refused = await apiRefusal(api.call('files.restoreVersion', { plan: 'docs', path: letter, snapshot: id, mode }));
        assert.equal(refused.status, 404, `${id} ${mode}`);
        assert.equal(refused.message, notPlansInApp(id, 'docs'));
      }
      const cli = await lifeboatHere(setup, 'versions', 'docs', letter, '--restore', id);
      assert.equal(cli.code, 2, cli.stdout + cli.stderr);
      assert.ok(cli.stderr.includes(notPlans(id, 'docs')), cli.stderr);
    }
    assert.deepEqual(await readdir(docs), ['letter.txt'], 'nothing was restored beside it');
    assert.deepEqual(await hooksRan(), [], 'no restore hook ran');
    assert.deepEqual(await restoreRuns('docs'), runsBefore, 'a refused restore is not a failed run in the history');

    const restored = await api.call('files.restoreVersion', { plan: 'docs', path: letter, snapshot: docsSnapshot.slice(0, 8), mode: 'beside' });
    assert.equal(restored.snapshot.id, docsSnapshot);
    assert.equal(await readFile(restored.restoredTo, 'utf8'), 'docs letter\n');
    const [run] = await restoreRuns('docs');
    assert.equal(run?.status, 'success');
    assert.equal(run?.snapshotId, docsSnapshot, 'the record keeps the full id, not the prefix given');
    assert.deepEqual(await hooksRan(), ['docs restore.before', 'docs restore.after']);
    await rm(restored.restoredTo);
    await rm(hookLog, { force: true });
  });

  test("putting back a version says what to do next in the file history's words in the app (its versions, Restore beside) and by command and flag in the CLI", async () => {
    const letter = join(docs, 'letter.txt');
    const missing = join(docs, 'never-backed-up.txt');
    const notIn = await apiRefusal(api.call('files.restoreVersion', { plan: 'docs', path: missing, snapshot: docsSnapshot, mode: 'beside' }));
    assert.equal(notIn.message, `"${missing}" is not in it in snapshot ${docsSnapshot.slice(0, 8)}. Pick a version from the file's history.`);
    const cliNotIn = await lifeboatHere(setup, 'versions', 'docs', missing, '--restore', docsSnapshot);
    assert.equal(cliNotIn.code, 2, cliNotIn.stdout + cliNotIn.stderr);
    assert.ok(cliNotIn.stderr.includes(`. See the snapshots that hold it with "lifeboat versions docs <path>".`), cliNotIn.stderr);
    // The live file is a folder now: in place is refused, and beside is the way out.
    await rm(letter);
    await mkdir(letter);
    try {
      const inPlace = await apiRefusal(api.call('files.restoreVersion', { plan: 'docs', path: letter, snapshot: docsSnapshot, mode: 'in-place' }));
      assert.equal(inPlace.message, `"${letter}" is not a file now. Move it away first, or use "Restore beside" instead.`);
      const cli = await lifeboatHere(setup, 'versions', 'docs', letter, '--restore', docsSnapshot, '--in-place');
      assert.equal(cli.code, 2, cli.stdout + cli.stderr);
      assert.ok(cli.stderr.includes(`"${letter}" is not a file now. Move it away first, or restore the version beside it (without --in-place).`), cli.stderr);
    } finally {
      await rm(letter, { recursive: true, force: true });
      await writeFile(letter, 'docs letter\n');
    }
    await rm(hookLog, { force: true });
  });

  test("an in-place restore Lifeboat merges itself (restic before 0.17) tells the policy in its history step in the dialog's words, not as a flag", {
    skip: resticAtLeast(17) ? 'restic 0.17 and newer restores in place by its own --overwrite: there is no step of ours' : false,
  }, async () => {
    const restored = await api.call('snapshots.restore', { plan: 'docs', snapshot: 'latest', inPlace: true, overwrite: 'never' });
    assert.equal(restored.status, 'success', restored.reason ?? '');
    const [run] = await restoreRuns('docs');
    const detail = await api.call('history.get', { id: run!.id });
    const step = detail.steps.find((candidate) => candidate.name === 'restore in place');
    assert.ok(step, JSON.stringify(detail.steps.map((candidate) => candidate.name)));
    assert.match(step.output, /^Put back \d+ item\(s\); kept \d+ existing one\(s\) \(files that are there already: never replaced\)\.\n$/, step.output);
    assert.equal(await readFile(join(docs, 'letter.txt'), 'utf8'), 'docs letter\n');
    await rm(hookLog, { force: true });
  });
});
