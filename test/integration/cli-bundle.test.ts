import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { BUNDLE_ENTRY, BUNDLE_INPUTS, freshBundle } from '../../bin/cli-bundle.js';
import { buildCli } from '../../scripts/build-cli.ts';
import { LIFEBOAT_BIN, lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { loadedModules } from '../helpers/module-trace.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

/**
 * One bundle for the file, built beside the project's own dist/cli (never over it): inside the
 * project, as the real one, since it finds package.json and the packages it leaves to Node from there.
 */
const out = join(PROJECT_ROOT, 'dist', `cli-test-${process.pid}`);
before(() => buildCli(out));
after(() => rm(out, { recursive: true, force: true }));

test('the bundle answers as the sources do: version, usage errors, plans, a YAML config and a bad config', async (t) => {
  const root = await tempDir(t);
  const entry = join(out, BUNDLE_ENTRY);
  const sources = join(PROJECT_ROOT, 'main', 'cli', 'start.ts');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root], schedule: { cron: '0 3 * * *' } }]);
  const yamlConfig = join(root, 'config.yaml');
  await writeFile(yamlConfig, `version: 1\nrepositories:\n  - id: local\n    url: ${join(root, 'repo')}\n    passwordEnv: LIFEBOAT_TEST_PASSWORD\nplans: []\n`);
  const badConfig = join(root, 'bad.json');
  await writeFile(badConfig, '{"version": 1, "plans": [{"id": "x"}]}');
  for (const args of [
    ['--version'],
    ['no-such-command'],
    setup.args('plans', '--json'),
    ['--config', yamlConfig, '--data-dir', setup.dataDir, 'validate'],
    ['--config', badConfig, '--data-dir', setup.dataDir, 'validate'],
  ]) {
    const bundled = await lifeboat(args, { entry, env: setup.env });
    const direct = await lifeboat(args, { entry: sources, env: setup.env });
    assert.deepEqual(bundled, direct, args.join(' '));
  }
});

test('the bundle backs up a plan with its hooks, as a new process', async (t) => {
  const root = await tempDir(t);
  const tree = join(root, 'tree');
  await mkdir(tree);
  await writeFile(join(tree, 'a.txt'), 'a');
  const marker = join(root, 'hook-ran');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [tree], hooks: [{ id: 'mark', on: ['backup.before'], script: { command: `echo ran > ${JSON.stringify(marker)}` } }] },
  ]);
  await run('restic', ['-r', setup.repo, 'init'], { env: { ...process.env, RESTIC_PASSWORD: setup.password } });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { entry: join(out, BUNDLE_ENTRY), env: setup.env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).status, 'success');
  assert.equal(await readFile(marker, 'utf8'), 'ran\n');
});

/** The modules a `node … ENTRY args` process loads. */
async function traced(root: string, entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  return (await loadedModules(root, entry, args, env)).modules;
}

const SOURCES = `${pathToFileURL(join(PROJECT_ROOT, 'main')).href}/`;

test('a bundled run loads its own chunks only: not the server, the daemon, nor the notification package', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const modules = await traced(root, join(out, BUNDLE_ENTRY), setup.args('run', 'nope'), setup.env);
  assert.ok(modules.some((url) => url.endsWith(`/${BUNDLE_ENTRY}`)));
  assert.ok(
    modules.some((url) => /\/run-[\w-]+\.js$/.test(url)),
    'the run command chunk was loaded',
  );
  assert.deepEqual(
    modules.filter((url) => /\/(serve|daemon)-[\w-]+\.js$/.test(url) || url.includes('/node_modules/') || url.startsWith(SOURCES)),
    [],
  );
});

/** The loaded chunks whose code holds `marker` (a name only that package's code has). */
async function chunksWith(modules: string[], marker: string): Promise<string[]> {
  const chunks = modules.filter((url) => url.startsWith('file:') && url.endsWith('.js')).map((url) => new URL(url));
  const texts = await Promise.all(chunks.map((url) => readFile(url, 'utf8')));
  return chunks.filter((_url, index) => texts[index]!.includes(marker)).map((url) => url.pathname);
}

test('a run whose config was checked before loads no schema checker, nor the words for cron expressions', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [root], schedule: { cron: '0 3 * * *' }, hooks: [{ id: 'ac', on: ['backup.before'], condition: { type: 'acPower' } }] },
  ]);
  const withZod = (modules: string[]) => chunksWith(modules, '$ZodType');
  const first = await traced(root, join(out, BUNDLE_ENTRY), setup.args('run', 'nope'), setup.env);
  assert.notDeepEqual(await withZod(first), [], 'a config seen for the first time is checked with the schema');
  const again = await traced(root, join(out, BUNDLE_ENTRY), setup.args('run', 'nope'), setup.env);
  assert.deepEqual(await withZod(again), [], 'the same config again is taken as checked');
  assert.deepEqual(await chunksWith(again, 'ExpressionDescriptor'), [], 'cronstrue is for describing schedules, not running them');
  const plans = await traced(root, join(out, BUNDLE_ENTRY), setup.args('plans', '--json'), setup.env);
  assert.deepEqual(await withZod(plans), []);
  assert.notDeepEqual(await chunksWith(plans, 'ExpressionDescriptor'), [], 'plans describes the schedule in words');
});

test('lifeboat runs the project bundle exactly when it is up to date, and the sources otherwise', async (t) => {
  const root = await tempDir(t);
  const modules = await traced(root, LIFEBOAT_BIN, ['--version']);
  const fresh = freshBundle(PROJECT_ROOT);
  const ranBundle = modules.some((url) => url.endsWith(`/dist/cli/${BUNDLE_ENTRY}`));
  const ranSources = modules.some((url) => url.endsWith('/main/cli/start.ts'));
  assert.equal(ranBundle, fresh !== undefined, `bundle ${fresh ?? 'not fresh'}`);
  assert.equal(ranSources, fresh === undefined);
  const forced = await traced(root, LIFEBOAT_BIN, ['--version'], { LIFEBOAT_FROM_SOURCE: '1' });
  assert.ok(forced.some((url) => url.endsWith('/main/cli/start.ts')));
  assert.ok(!forced.some((url) => url.includes('/dist/cli/')));
});

test("the bundle's list of inputs names the project's sources and one package.json per package it took in", async () => {
  const { files } = JSON.parse(await readFile(join(out, BUNDLE_INPUTS), 'utf8')) as { files: Array<[string, number, number]> };
  const names = files.map(([file]) => file);
  assert.ok(names.includes('main/cli/start.ts'));
  assert.ok(names.includes('main/core/engine.ts'));
  assert.ok(names.includes('node_modules/zod/package.json'));
  assert.deepEqual(
    names.filter((name) => name.startsWith('node_modules/') && !/^node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(name)),
    [],
  );
  assert.equal(freshBundle(PROJECT_ROOT, out), join(out, BUNDLE_ENTRY), 'fresh right after the build');
});

test('a bundle counts as up to date only while every file it was built from is unchanged', async (t) => {
  const root = await tempDir(t);
  const folder = join(root, 'dist', 'cli');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(folder, { recursive: true });
  const source = join(root, 'src', 'a.ts');
  await writeFile(source, 'export const a = 1;\n');
  const { statSync } = await import('node:fs');
  const describe = () => {
    const stats = statSync(source);
    return ['src/a.ts', stats.size, stats.mtimeMs];
  };
  assert.equal(freshBundle(root), undefined, 'never built');
  await writeFile(join(folder, BUNDLE_INPUTS), JSON.stringify({ files: [describe()] }));
  assert.equal(freshBundle(root), join(folder, BUNDLE_ENTRY));
  // Same size, other content, and a later time: an edit.
  await writeFile(source, 'export const b = 2;\n');
  assert.equal(freshBundle(root), undefined, 'edited after the build');
  // Same content put back with an older time (a checkout of an older commit) is a change too.
  await writeFile(source, 'export const a = 1;\n');
  await utimes(source, new Date('2020-01-01'), new Date('2020-01-01'));
  assert.equal(freshBundle(root), undefined, 'another modification time');
  await writeFile(join(folder, BUNDLE_INPUTS), JSON.stringify({ files: [describe()] }));
  assert.equal(freshBundle(root), join(folder, BUNDLE_ENTRY));
  await rm(source);
  assert.equal(freshBundle(root), undefined, 'a file it was built from is gone');
  for (const damaged of ['', '{"files": "x"}', '{"files": []}', '{"files": [["src/a.ts"]]}', '{"files": [["../outside", 1, 1]]}', 'null', '{']) {
    await writeFile(join(folder, BUNDLE_INPUTS), damaged);
    assert.equal(freshBundle(root), undefined, `inputs.json ${JSON.stringify(damaged)}`);
  }
});
