import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { USAGE } from '../../main/cli/args.ts';
import { COMMAND_NAMES, loadCommand } from '../../main/cli/main.ts';
import { LIFEBOAT_BIN, lifeboat, PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { loadedModules } from '../helpers/module-trace.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

/** Runs `lifeboat` from its sources with a loader hook that lists every module it loads. */
function sourceModules(root: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return loadedModules(root, LIFEBOAT_BIN, args, { LIFEBOAT_FROM_SOURCE: '1', ...env });
}

test('every command in the usage loads when it is called, and the table names no other', async () => {
  const usageErrorCommands = /Commands: ([a-z, ]+)\./.exec(await lifeboat(['no-such-command']).then((result) => result.stderr))?.[1];
  assert.deepEqual(usageErrorCommands?.split(', ').sort(), [...COMMAND_NAMES].sort());
  for (const name of COMMAND_NAMES) {
    assert.match(USAGE, new RegExp(`\\n  ${name}\\b`), `${name} is in the usage text`);
    assert.equal(typeof (await loadCommand(name)), 'function', `${name} loads`);
  }
  assert.equal(await loadCommand('toString'), undefined, 'an inherited property is not a command');
});

test('lifeboat --help prints the usage and every command answers a wrong call with its own usage line', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const help = await lifeboat(['--help']);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, USAGE);
  for (const name of COMMAND_NAMES) {
    const result = await lifeboat(setup.args(name, 'a', 'b', 'c', 'd'), { env: setup.env });
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`^✘ "${name}" got an extra argument "[a-d]"\\. Usage: lifeboat ${name}`), name);
  }
});

test('lifeboat --version and --help load none of the packages or the engine', async (t) => {
  const root = await tempDir(t);
  for (const args of [['--version'], ['--help'], ['backup']]) {
    const { code, modules } = await sourceModules(root, args);
    assert.equal(code, args[0] === 'backup' ? 2 : 0);
    assert.ok(
      modules.some((url) => url.endsWith('/main/cli/main.ts')),
      'the tracer sees the CLI load',
    );
    assert.deepEqual(
      modules.filter((url) => url.includes('/node_modules/') || /\/main\/core\/(engine|config|restic|hooks|history)/.test(url)),
      [],
      args.join(' '),
    );
  }
});

test('a run loads neither the notification package nor the HTTP server', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const { code, modules } = await sourceModules(root, setup.args('run', 'nope'), setup.env);
  assert.equal(code, 2);
  assert.ok(
    modules.some((url) => url.endsWith('/main/core/engine.ts')),
    'the engine was loaded',
  );
  assert.deepEqual(
    modules.filter((url) => /\/node_modules\/(node-notifier|semver|uuid)\//.test(url) || url.includes('/main/api/')),
    [],
  );
});

test('a compile cache folder someone else could write to is not used, and lifeboat still starts', async (t) => {
  const root = await tempDir(t);
  const shared = join(root, `lifeboat-compile-cache-${process.getuid?.() ?? ''}`.replace(/-$/, ''));
  await mkdir(shared);
  await chmod(shared, 0o777);
  const result = await lifeboat(['--version'], { env: { TMPDIR: root } });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^lifeboat \d+\.\d+\.\d+/);
  assert.deepEqual(await readdir(shared), [], 'nothing was cached in a folder others can write to');
  // An unusable temp folder (a file where a folder should be): no cache, same answer.
  await writeFile(join(root, 'a-file'), '');
  const unusable = await lifeboat(['--version'], { env: { TMPDIR: join(root, 'a-file', 'below') } });
  assert.equal(unusable.code, 0);
  assert.equal(unusable.stdout, result.stdout);
  // Its own folder is made private and used.
  const own = join(root, 'own');
  await mkdir(own);
  assert.equal((await lifeboat(['--version'], { env: { TMPDIR: own } })).code, 0);
  const [made] = await readdir(own);
  assert.match(made ?? '', /^lifeboat-compile-cache/);
  assert.ok((await readdir(join(own, made!))).length > 0, 'compiled modules were cached');
});

/** Processes whose command line is restic's and names `text`. */
async function resticProcessesNaming(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const [program = '', ...args] = cmdline.split('\0');
    if (program.endsWith('restic') && args.includes(text)) found.push(Number(entry));
  }
  return found;
}

test('a restic still running when Lifeboat exits (a second Ctrl-C) is stopped with it', async (t) => {
  const root = await tempDir(t);
  // A stand-in restic that would run for five minutes.
  const binary = join(root, 'restic');
  await symlink('/bin/sleep', binary);
  const script = join(root, 'exit-early.ts');
  const processModule = join(PROJECT_ROOT, 'main', 'core', 'restic', 'process.ts');
  const redactorModule = join(PROJECT_ROOT, 'main', 'core', 'util', 'redactor.ts');
  await writeFile(
    script,
    `import { runRestic } from ${JSON.stringify(processModule)};
import { Redactor } from ${JSON.stringify(redactorModule)};
void runRestic({ binary: ${JSON.stringify(binary)}, args: ['301'], env: {}, redactor: new Redactor() });
setTimeout(() => process.exit(130), 300);
`,
  );
  const child = spawn(process.execPath, [script], { stdio: 'ignore' });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(await closed, 130);
  await waitFor(async () => (await resticProcessesNaming('301')).length === 0, 'the stand-in restic to be stopped', 10_000);
});
