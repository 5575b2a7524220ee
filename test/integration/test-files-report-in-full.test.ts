import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

// The checks scripts/test.sh runs every test file with: the reporter that fails a run in which a file did
// not report all its tests, and the blocking report pipe that keeps --test-force-exit from dropping results.
const REPORTER = './scripts/test-reporter.ts';
const REPORT_PIPE = './scripts/test-report-pipe.ts';
const ENDS_EARLY = 'test/fixtures/test-runner/ends-early.fixture.ts';
const MANY_QUICK = 'test/fixtures/test-runner/many-quick.fixture.ts';

type Run = { code: number | null; stdout: string; stderr: string };

/** `node --test` as scripts/test.sh runs it (spec to stdout, the completeness check to stderr), started. */
function startTests(files: string[], options: { env?: Record<string, string>; reportPipe?: boolean } = {}): { runner: ChildProcess; done: Promise<Run> } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  // Set in this file's own process by the runner running it; a runner started with it runs no files.
  delete env.NODE_TEST_CONTEXT;
  const args = ['--test', '--test-force-exit', '--test-reporter=spec', '--test-reporter-destination=stdout'];
  args.push(`--test-reporter=${REPORTER}`, '--test-reporter-destination=stderr');
  if (options.reportPipe === true) args.push('--import', REPORT_PIPE);
  const runner = spawn(process.execPath, [...args, ...files], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  runner.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  runner.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Run>((resolve, reject) => {
    runner.once('error', reject);
    runner.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { runner, done };
}

function passed(run: Run): number {
  return Number(/^ℹ pass (\d+)$/m.exec(run.stdout)?.[1] ?? Number.NaN);
}

/** The state letter of a process in /proc/<pid>/stat (R, S, Z…); null once it is gone. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  } catch {
    return null;
  }
}

/** Whether the process sleeps in a write or writev to its stdout (fd 1): waiting for a reader. */
function waitsToWriteStdout(pid: number): boolean {
  const [call, fd] = (() => {
    try {
      return readFileSync(`/proc/${pid}/syscall`, 'utf8').split(' ');
    } catch {
      return [];
    }
  })();
  const writes = process.arch === 'arm64' ? ['64', '66'] : ['1', '20'];
  return processState(pid) === 'S' && call !== undefined && writes.includes(call) && fd === '0x1';
}

/**
 * Runs many-quick.fixture.ts while its runner is stopped (SIGSTOP), as a runner on a loaded machine that
 * gets no time to read: the file runs all its tests with nobody reading its results, and the runner resumes
 * once the file's process has ended (or waits, blocked, to write the rest).
 */
async function runWithRunnerStopped(folder: string, reportPipe: boolean): Promise<Run> {
  const { runner, done } = startTests([MANY_QUICK], { env: { LIFEBOAT_FIXTURE_DIR: folder }, reportPipe });
  const pidFile = join(folder, 'pid');
  try {
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the test file to start');
    const file = Number(readFileSync(pidFile, 'utf8'));
    runner.kill('SIGSTOP');
    await writeFile(join(folder, 'go'), '');
    await waitFor(() => processState(file) === 'Z' || processState(file) === null || waitsToWriteStdout(file), 'the test file to end or wait for the runner');
  } finally {
    runner.kill('SIGCONT');
  }
  return done;
}

test('a test file whose process exits with code 0 in the middle fails the run, and the error names the file and what arrived', async () => {
  const run = await startTests([ENDS_EARLY], { env: { LIFEBOAT_FIXTURE_END: 'exit' } }).done;
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /✖ 1 test file did not report all its tests, so this run fails even where every reported test passed/);
  assert.match(
    run.stderr,
    /test\/fixtures\/test-runner\/ends-early\.fixture\.ts: its process ended before the file reported all its tests: \d+ results? arrived/,
  );
  assert.ok(passed(run) < 12, run.stdout);
});

test('a test file killed in the middle fails the run, and the error names the file', async () => {
  const run = await startTests([ENDS_EARLY], { env: { LIFEBOAT_FIXTURE_END: 'kill' } }).done;
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /test\/fixtures\/test-runner\/ends-early\.fixture\.ts: its process ended before the file reported all its tests/);
});

test('the same test file run to its end passes, and the check prints nothing', async () => {
  const run = await startTests([ENDS_EARLY]).done;
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(passed(run), 12, run.stdout);
  assert.equal(run.stderr, '');
});

test('results still on their way when a file ends under --test-force-exit are lost; the run fails and names the file', async (t) => {
  const run = await runWithRunnerStopped(await tempDir(t), false);
  assert.ok(passed(run) < 60, `the runner got every result, so nothing was lost to check:\n${run.stdout}`);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /test\/fixtures\/test-runner\/many-quick\.fixture\.ts: its process ended before the file reported all its tests: \d+ results? arrived/,
  );
});

test('with the blocking report pipe every result reaches a runner that reads late, and the run passes', async (t) => {
  const run = await runWithRunnerStopped(await tempDir(t), true);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(passed(run), 60, run.stdout);
  assert.equal(run.stderr, '');
});
