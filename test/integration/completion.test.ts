import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { completionScript } from '../../main/cli/completion.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

/** A `lifeboat` on PATH that runs this checkout, as an installed one would. */
async function lifeboatOnPath(root: string): Promise<string> {
  const bin = join(root, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'lifeboat'), `#!/bin/sh\nexec '${process.execPath}' '${LIFEBOAT_BIN}' "$@"\n`);
  await chmod(join(bin, 'lifeboat'), 0o755);
  return bin;
}

/** Sources the bash script in a real bash, sets COMP_WORDS/COMP_CWORD to the line, and returns COMPREPLY. */
async function complete(script: string, bin: string, words: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const program = `source "$LIFEBOAT_SCRIPT"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lifeboat; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', program, 'bash', ...words], {
    env: { PATH: `${bin}:/usr/bin:/bin`, LIFEBOAT_SCRIPT: script, HOME: bin, ...env },
    cwd,
  });
  return stdout.split('\n').filter((line) => line !== '');
}

async function bashScript(root: string): Promise<string> {
  const file = join(root, 'lifeboat.bash');
  await writeFile(file, completionScript('bash'));
  return file;
}

test('bash completion offers the commands and each command its own options, from the command table', async (t) => {
  const root = await tempDir(t);
  const script = await bashScript(root);
  const bin = await lifeboatOnPath(root);
  const all = await complete(script, bin, ['lifeboat', '']);
  for (const command of ['validate', 'run', 'restore', 'diff', 'import', 'completion', 'service']) assert.ok(all.includes(command), command);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 're']), ['restore', 'retention']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'restore', 'docs', 'latest', '--ta']), ['--target']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'plans', '--']), ['--json', '--config', '--data-dir', '--help', '--version']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'run', 'docs', '--trigger', '']), ['manual', 'schedule']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'service', '']), ['install', 'uninstall', 'status']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'service', 'install', '']), ['daemon', 'serve']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'completion', '']), ['bash', 'zsh', 'fish']);
  assert.deepEqual(await complete(script, bin, ['lifeboat', 'hooks', '']), ['test']);
  // The value of --config is a file, not a command.
  await writeFile(join(root, 'conf.json'), '{}');
  assert.deepEqual(await complete(script, bin, ['lifeboat', '--config', 'con'], root), ['conf.json']);
});

test('bash completion offers the plan ids and snapshot ids of the config named on the line', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a');
  const marker = join(root, 'pwned');
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [source] },
    { id: '0dd_-id-', name: `$(touch ${marker}) "quoted" 'single' \`tick\``, sources: [source] },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const backup = JSON.parse((await lifeboatHere(setup, 'run', 'docs', '--json')).stdout);
  assert.equal(backup.status, 'success', backup.reason);
  const snapshots = JSON.parse((await lifeboatHere(setup, 'snapshots', 'docs', '--json')).stdout) as Array<{ shortId: string }>;
  const script = await bashScript(root);
  const bin = await lifeboatOnPath(root);
  const line = (...words: string[]) => ['lifeboat', ...setup.args(...words)];

  assert.deepEqual((await complete(script, bin, line('run', ''))).sort(), ['0dd_-id-', 'docs']);
  assert.deepEqual(await complete(script, bin, line('snapshots', '0d')), ['0dd_-id-']);
  assert.deepEqual(await complete(script, bin, line('restore', 'docs', ''), root, setup.env), ['latest', ...snapshots.map((s) => s.shortId)]);
  assert.deepEqual(await complete(script, bin, line('diff', 'docs', snapshots[0]!.shortId.slice(0, 3)), root, setup.env), [snapshots[0]!.shortId]);
  // The data dir word is passed on even when the config is quoted on the line.
  const quoted = ['lifeboat', '--config', `'${setup.configFile}'`, '--data-dir', setup.dataDir, 'history', 'd'];
  assert.deepEqual(await complete(script, bin, quoted), ['docs']);
  // Without the --config words there is no such config: nothing offered, nothing printed.
  assert.deepEqual(await complete(script, bin, ['lifeboat', '--config', join(root, 'none.json'), 'run', '']), []);
  // Names are never completed nor evaluated: the hostile name ran nothing.
  assert.deepEqual(await readdir(root).then((names) => names.filter((name) => name === 'pwned')), []);
});

test('bash completion never evaluates words typed on the line', async (t) => {
  const root = await tempDir(t);
  const script = await bashScript(root);
  const bin = await lifeboatOnPath(root);
  const marker = join(root, 'pwned');
  // Run in the test's folder: the literal words may become a folder name there, never a command.
  await complete(script, bin, ['lifeboat', '--config', `"$(touch ${marker})"`, 'restore', `$(touch ${marker})`, ''], root);
  await complete(script, bin, ['lifeboat', '--data-dir', `\`touch ${marker}\``, 'run', ''], root);
  assert.deepEqual(await readdir(root).then((names) => names.filter((name) => name === 'pwned')), []);
});

async function installed(shell: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${shell}`]).then(
    () => true,
    () => false,
  );
}

test('zsh and fish scripts parse in their shells and complete words and plan ids there; an unknown shell is refused', async (t) => {
  const root = await tempDir(t);
  const marker = join(root, 'pwned');
  const setup = await writeSetup(root, [
    { id: 'docs', name: `$(touch ${marker})`, sources: [root] },
    { id: '0dd_-id-', name: '`touch pwned`', sources: [root] },
  ]);
  const bin = await lifeboatOnPath(root);
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: root };
  const scripts: Record<string, string> = {};
  for (const shell of ['zsh', 'fish']) {
    const result = await lifeboat(['completion', shell]);
    assert.equal(result.code, 0, result.stderr);
    scripts[shell] = join(root, `lifeboat.${shell}`);
    await writeFile(scripts[shell], result.stdout);
  }
  if (await installed('zsh')) {
    await run('zsh', ['-n', scripts.zsh!]);
    // The words of a line, as zsh's bashcompinit hands them over: 0-based COMP_WORDS, COMP_CWORD the current one.
    const zsh = async (...words: string[]) => {
      const program = `autoload -U +X compinit && compinit -u -D; source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lifeboat; print -l -- "\${COMPREPLY[@]}"`;
      const { stdout } = await run('zsh', ['-f', '-c', program, 'zsh', scripts.zsh!, ...words], { env, cwd: root });
      return stdout.split('\n').filter((line) => line !== '');
    };
    assert.deepEqual(await zsh('lifeboat', 'service', 'install', ''), ['daemon', 'serve']);
    assert.deepEqual(await zsh('lifeboat', 'run', 'docs', '--trigger', ''), ['manual', 'schedule']);
    assert.deepEqual((await zsh('lifeboat', ...setup.args('restore', ''))).sort(), ['0dd_-id-', 'docs']);
  } else t.diagnostic('zsh is not installed: its script was not run');
  if (await installed('fish')) {
    await run('fish', ['-n', scripts.fish!]);
    const fish = async (line: string) => {
      const { stdout } = await run('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', scripts.fish!, line], { env, cwd: root });
      return stdout.split('\n').filter((word) => word !== '');
    };
    assert.deepEqual(await fish('lifeboat re'), ['restore', 'retention']);
    assert.deepEqual(await fish('lifeboat service install '), ['daemon', 'serve']);
    assert.deepEqual(await fish('lifeboat restore --ta'), ['--target']);
    assert.deepEqual(await fish(`lifeboat --config ${setup.configFile} --data-dir ${setup.dataDir} run `), ['0dd_-id-', 'docs']);
    // An option's value: its own words only, never file names or plan ids.
    assert.deepEqual(await fish(`lifeboat --config ${setup.configFile} --data-dir ${setup.dataDir} run docs --trigger `), ['manual', 'schedule']);
    assert.deepEqual(await fish(`lifeboat restore docs latest --in-place --overwrite `), ['always', 'if-newer', 'never']);
    // Once the plan is there, the next word is a snapshot (none yet here: latest), not a plan again.
    assert.deepEqual(await fish(`lifeboat --config ${setup.configFile} --data-dir ${setup.dataDir} restore docs `), ['latest']);
  } else t.diagnostic('fish is not installed: its script was not run');
  assert.deepEqual(await readdir(root).then((names) => names.filter((name) => name === 'pwned')), []);

  const wrong = await lifeboat(['completion', 'powershell']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /"powershell" is not a shell lifeboat completes; use bash, zsh, fish/);
});
