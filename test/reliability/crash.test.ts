import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { processIsAlive } from '../../main/core/util/process-alive.ts';
import { lifeboatInProcess } from '../helpers/cli-in-process.ts';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { exited, lockFiles, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';
import { indexedRuns, inPool, sourceWith } from './helpers/common.ts';

const SAVE_LOOP = join(import.meta.dirname, 'helpers', 'save-loop.ts');

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function resticCheck(setup: { repo: string; password: string; env: NodeJS.ProcessEnv }): { code: number | null; output: string } {
  try {
    const output = execFileSync('restic', ['check', '--no-lock'], {
      env: { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

test('kill -9 of Lifeboat alone mid-backup: next start says failure: interrupted, the stale lock goes, the next run succeeds, restic check is clean', async (t) => {
  const root = await tempDir(t);
  const source = await sourceWith(join(root, 'src'), 6, 40_000_000);
  // Retention makes the next run take an exclusive lock (forget --prune), which is where a stale lock matters.
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], retention: { keepLast: 3 } }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);

  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'docs')], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.resume();
  child.stderr.resume();
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitFor(
    async () => (await lockFiles(setup.repo)).length > 0 && (await indexedRuns(setup.dataDir)).some((run) => run.status === 'running'),
    'restic to start',
  );
  const restics = childrenOf(child.pid!);
  assert.ok(restics.length > 0, 'lifeboat has a restic child');
  // A crash kills Lifeboat only; its restic loses the pipe it reports to and must not linger.
  child.kill('SIGKILL');
  await exited(child);
  await waitFor(() => restics.every((pid) => !processIsAlive(pid)), 'the orphaned restic to end', 30_000);
  assert.equal((await lockFiles(setup.repo)).length, 1, 'the dead restic left its lock behind');

  const history = await lifeboat(setup.args('history', '--json'), { env: setup.env });
  assert.equal(history.code, 0, history.stderr);
  const [interrupted] = JSON.parse(history.stdout);
  assert.equal(interrupted.status, 'failure');
  assert.equal(interrupted.reason, 'interrupted');
  assert.ok(interrupted.endedAt, 'the interrupted run has an end time');

  const next = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(next.code, 0, next.stdout + next.stderr);
  const nextRun = JSON.parse(next.stdout);
  assert.equal(nextRun.status, 'success');
  assert.deepEqual(
    nextRun.steps.map((step: { name: string; status: string }) => `${step.name}:${step.status}`),
    ['backup:success', 'forget:success'],
    'the next start removed the stale lock before the run, so the exclusive step went through at once',
  );
  assert.deepEqual(await lockFiles(setup.repo), [], 'no lock is left after the next run');
  const check = resticCheck(setup);
  assert.equal(check.code, 0, check.output);
  assert.match(check.output, /no errors were found/);

  // The history file is whole: every line parses, and the CLI lists both runs.
  const lines = (await readFile(join(setup.dataDir, 'history', 'runs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  for (const line of lines) JSON.parse(line);
  const runs = JSON.parse((await lifeboat(setup.args('history', '--json'), { env: setup.env })).stdout);
  assert.deepEqual(
    runs.map((run: { status: string }) => run.status),
    ['success', 'failure'],
  );
});

test('kill -9 during config saves, 25 times: the file is always exactly the old or the new version, never torn', async (t) => {
  const root = await tempDir(t);
  const file = join(root, 'config.json');
  // Two versions big enough that a write takes a while: each save is ~300 KB.
  const version = (tag: string) => ({
    version: 1,
    repositories: [{ id: 'local', url: '/srv/restic', passwordEnv: 'PW' }],
    plans: [{ id: 'docs', name: tag, repository: 'local', sources: ['/data'], excludes: Array.from({ length: 6000 }, (_, i) => `${tag}-${i}-*.tmp`) }],
  });
  const a = version('a');
  const b = version('b');
  await writeFile(join(root, 'a.json'), JSON.stringify(a));
  await writeFile(join(root, 'b.json'), JSON.stringify(b));
  const texts = new Set([`${JSON.stringify(a, null, 2)}\n`, `${JSON.stringify(b, null, 2)}\n`]);
  await writeFile(file, `${JSON.stringify(a, null, 2)}\n`, { mode: 0o600 });

  const seen = new Set<string>();
  for (let i = 0; i < 25; i += 1) {
    const child = spawn(process.execPath, [SAVE_LOOP, file, join(root, 'a.json'), join(root, 'b.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    await waitFor(() => out.includes('saving') || child.exitCode !== null, 'the save loop to start');
    assert.equal(child.exitCode, null, 'the save loop runs');
    await new Promise((resolve) => setTimeout(resolve, 5 + ((i * 37) % 120))); // lands at a different point of a save each time
    child.kill('SIGKILL');
    await exited(child);
    const text = await readFile(file, 'utf8');
    assert.ok(texts.has(text), `iteration ${i}: the config is neither version (${text.length} bytes)`);
    seen.add(JSON.parse(text).plans[0].name);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  }
  assert.equal((await lifeboat(['--config', file, 'validate'])).code, 0, 'the surviving file is a valid config');
  const leftovers = (await readdir(root)).filter((name) => name.endsWith('.tmp'));
  t.diagnostic(`temp files left by the 25 kills: ${leftovers.length}; versions seen after a kill: ${[...seen].join(', ')}`);
  assert.ok(seen.size >= 1);
});

/** [what, file name, bytes, line the error must name]. */
const CORRUPTIONS: Array<[string, string, Buffer, number]> = [
  ['a torn write (file cut in the middle)', 'config.json', Buffer.from('{\n  "version": 1,\n  "repositories": [\n    { "id": "local", "url": "/srv/re'), 4],
  ['NUL bytes from a crash', 'config.json', Buffer.concat([Buffer.from('{\n  "version": 1,\n'), Buffer.alloc(64), Buffer.from('\n}\n')]), 3],
  ['random binary', 'config.json', Buffer.from([0x7b, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]), 2],
  ['a doubled comma', 'config.json', Buffer.from('{\n  "version": 1,\n  "repositories": [],,\n  "plans": []\n}\n'), 3],
  ['a missing closing brace', 'config.json', Buffer.from('{\n  "version": 1,\n  "repositories": [],\n  "plans": [\n'), 5],
  ['YAML with a broken indent', 'config.yaml', Buffer.from('version: 1\nrepositories:\n  - id: x\n   url: /a\nplans: []\n'), 4],
];

test('a corrupted config file: every command names the file and line, validate explains it, and the file is kept byte for byte', async (t) => {
  const root = await tempDir(t);
  const failures = await inPool(CORRUPTIONS, 2, async ([what, name, bytes, line], index = CORRUPTIONS.findIndex((c) => c[0] === what)) => {
    const folder = join(root, String(index));
    const file = join(folder, name);
    await mkdir(folder);
    await writeFile(file, bytes);
    const where = new RegExp(
      `The config file cannot be read \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line ${line}(, column \\d+)?\\): .+\\. Fix that line`,
    );
    const wrong: string[] = [];
    const validate = await lifeboatInProcess(['--config', file, '--data-dir', join(folder, 'data'), 'validate']);
    if (validate.code !== 2 || !where.test(validate.stderr)) wrong.push(`validate ${validate.code} ${validate.stderr}`);
    const json = await lifeboatInProcess(['--config', file, '--data-dir', join(folder, 'data'), 'validate', '--json']);
    const problem = JSON.parse(json.stdout || '{}').problems?.[0];
    if (json.code !== 2 || problem?.line !== line || !where.test(problem?.message ?? '')) wrong.push(`validate --json ${json.code} ${json.stdout}`);
    const run = await lifeboatInProcess(['--config', file, '--data-dir', join(folder, 'data'), 'run', 'docs']);
    if (run.code !== 2 || !where.test(run.stderr)) wrong.push(`run ${run.code} ${run.stderr}`);
    if (!(await readFile(file)).equals(bytes)) wrong.push('the file changed');
    const left = (await readdir(folder)).filter((entry) => entry !== name && entry !== 'data');
    if (left.length) wrong.push(`new files beside it: ${left}`);
    return wrong.length ? `${what}: ${wrong.join('; ')}` : undefined;
  });
  assert.deepEqual(failures.filter(Boolean), []);
});
