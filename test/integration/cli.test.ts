import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { closed, exited, lockFiles, resticLocks, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

test('usage mistakes exit 2 with a sentence that shows the right usage', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const cases: Array<[string[], RegExp]> = [
    [[], /Usage: lifeboat/],
    [['backup'], /"backup" is not a lifeboat command\. Commands: validate, init, plans, run/],
    [['run'], /"run" is missing an argument\. Usage: lifeboat run <plan>/],
    [['run', 'docs', 'extra'], /got an extra argument "extra"/],
    [['plans', '--target', '/x'], /"plans" does not take --target/],
    [['run', 'docs', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['run', 'docs', '--trigger', 'cron'], /--trigger "cron" is not allowed; use "manual" or "schedule"/],
    [['run', 'nope'], /There is no plan "nope"\. Plans: docs\./],
    [['init', 'nope'], /There is no repository "nope"\. Repositories: local\./],
    [['restore', 'docs', 'latest'], /restore needs --target DIR/],
    [['history', '--limit', 'lots'], /--limit "lots" is not a whole number/],
  ];
  for (const [args, message] of cases) {
    const result = await lifeboat(setup.args(...args), { env: setup.env });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stdout, '', `${args.join(' ')} printed on stdout`);
  }
});

test('with --json an error is one JSON object on stdout, exit code 2', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const result = await lifeboat(setup.args('run', 'nope', '--json'), { env: setup.env });
  assert.equal(result.code, 2);
  assert.deepEqual(JSON.parse(result.stdout), { error: { message: 'There is no plan "nope". Plans: docs.', exitCode: 2 } });
});

test('validate lists every problem with its path and exits 2; a valid config exits 0', async (t) => {
  const root = await tempDir(t);
  const file = join(root, 'config.json');
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      repositories: [{ id: 'nas', url: '/srv/restic', passwordEnv: 'PW' }],
      plans: [
        {
          id: 'docs',
          repository: 'nas',
          sources: ['Documents'],
          hooks: [{ id: 'dump', on: ['backup.before'], timeout: '10 minutes', script: { command: 'true' } }],
        },
      ],
    }),
  );
  const human = await lifeboat(['--config', file, 'validate']);
  assert.equal(human.code, 2);
  assert.match(human.stderr, /has 2 problems:/);
  assert.match(human.stderr, /plans\[0\]\.sources\[0\]: "Documents" is a relative path/);
  assert.match(human.stderr, /plans\[0\]\.hooks\[0\]\.timeout: "10 minutes" is not a duration \(try "10m"\)/);
  const json = await lifeboat(['--config', file, 'validate', '--json']);
  assert.equal(json.code, 2);
  const report = JSON.parse(json.stdout);
  assert.equal(report.valid, false);
  assert.deepEqual(
    report.problems.map((p: { path: string }) => p.path),
    ['plans[0].hooks[0].timeout', 'plans[0].sources[0]'],
  );
  // Any other command refuses the same config with the same list.
  const run = await lifeboat(['--config', file, 'plans']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /plans\[0\]\.sources\[0\]/);

  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const valid = await lifeboat(setup.args('validate'));
  assert.equal(valid.code, 0);
  assert.match(valid.stdout, /is valid: 1 repository, 1 plan/);
});

test('a config that does not parse is named with its line by every command and left untouched', async (t) => {
  const root = await tempDir(t);
  const file = join(root, 'config.json');
  const broken = '{\n  "version": 1,\n  "plans": [,]\n}\n';
  await writeFile(file, broken);
  const result = await lifeboat(['--config', file, 'validate']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, new RegExp(`cannot be read \\(${file}, line 3, column \\d+\\)`));
  const json = await lifeboat(['--config', file, 'plans', '--json']);
  assert.equal(json.code, 2);
  assert.match(JSON.parse(json.stdout).error.message, /line 3/);
  assert.equal(await readFile(file, 'utf8'), broken);
});

test('LIFEBOAT_CONFIG and LIFEBOAT_DATA_DIR locate the config and data when no flags are given', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: ['/tmp'] }]);
  const result = await lifeboat(['plans', '--json'], { env: { ...setup.env, LIFEBOAT_CONFIG: setup.configFile, LIFEBOAT_DATA_DIR: setup.dataDir } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout)[0].id, 'docs');
});

test('a run shows a progress line while restic works, then one result line', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'big.bin'), Buffer.alloc(20_000_000, 7));
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const result = await lifeboat(setup.args('run', 'docs'), { env: setup.env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^Backing up Documents to Local disk…$/m);
  assert.match(result.stderr, /^\s*\d+\.\d % · \d+\/\d+ files · /m);
  assert.match(result.stdout, /^✔ Documents: success in .+\n {2}snapshot [0-9a-f]{8} \(1 files, 19 MiB read, .+ added\)\n$/);
});

test('a lifeboat killed with -9 mid-backup leaves a run that the next start marks failure: interrupted, and the next run succeeds', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 8; i += 1) await writeFile(join(source, `f${i}.bin`), Buffer.alloc(40_000_000, i));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'docs')], {
    env: { ...process.env, ...setup.env },
    stdio: 'ignore',
    detached: true,
  });
  const index = join(setup.dataDir, 'history', 'runs.jsonl');
  await waitFor(async () => (await readFile(index, 'utf8').catch(() => '')).includes('"running"'), 'the run to start');
  process.kill(-child.pid!, 'SIGKILL'); // lifeboat and its restic, as a crash would
  await exited(child);

  const history = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout);
  assert.equal(history[0].status, 'failure');
  assert.equal(history[0].reason, 'interrupted');
  const next = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(JSON.parse(next.stdout).status, 'success', next.stdout);
});

test('Ctrl-C during a run cancels it cleanly: status cancelled, exit 1, no lock left', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 8; i += 1) await writeFile(join(source, `f${i}.bin`), Buffer.alloc(40_000_000, i + 1));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'docs', '--json')], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  await waitFor(async () => (await lockFiles(setup.repo)).length > 0, 'restic to start the backup');
  child.kill('SIGINT');
  await closed(child);
  assert.equal(child.exitCode, 1);
  const run = JSON.parse(stdout);
  assert.equal(run.status, 'cancelled');
  assert.equal(run.steps[0].status, 'cancelled');
  assert.deepEqual(await resticLocks(setup.repo, setup.password), []);
});

test('a reader that closes stdout early (| head -1) ends the command quietly: no EPIPE, no stack', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const env = { ...process.env, ...setup.env, LIFEBOAT_SYSTEMD_DIR: join(root, 'units') };
  for (const args of [['--help'], setup.args('service', 'install', 'daemon'), setup.args('plans'), setup.args('service', 'status', 'daemon', '--json')]) {
    const child = spawn(process.execPath, [LIFEBOAT_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    await closed(child);
    assert.equal(stderr, '', args.join(' '));
    assert.equal(child.exitCode, 0, `${args.join(' ')}: ${stderr}`);
  }
});
