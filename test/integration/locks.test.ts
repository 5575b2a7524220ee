import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { exited, lockFiles, resticLocks, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * A real restic holding an exclusive lock on the repository: `key passwd` takes the lock,
 * then blocks opening a FIFO for the new password, which nobody ever writes.
 */
async function resticHoldingLock(setup: Setup) {
  const fifo = join(setup.root, 'never-written');
  await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).once('exit', (code) => (code === 0 ? resolve() : reject(new Error('mkfifo failed')))));
  const holder = spawn('restic', ['key', 'passwd', '--new-password-file', fifo], {
    env: { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password },
    stdio: 'ignore',
  });
  // Blocked opening the FIFO (a thread in wait_for_partner) means the lock is fully written.
  await waitFor(async () => (await lockFiles(setup.repo)).length > 0 && (await blockedOnFifo(holder.pid!)), 'restic to take its lock and wait');
  return holder;
}

async function blockedOnFifo(pid: number): Promise<boolean> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
  for (const task of tasks) {
    if ((await readFile(`/proc/${pid}/task/${task}/wchan`, 'utf8').catch(() => '')).includes('wait_for_partner')) return true;
  }
  return false;
}

async function preparedSetup(root: string): Promise<Setup> {
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  return setup;
}

test('a stale lock left by a kill -9-ed restic is removed and the run succeeds', async (t) => {
  const setup = await preparedSetup(await tempDir(t));
  const holder = await resticHoldingLock(setup);
  holder.kill('SIGKILL');
  await exited(holder);
  assert.equal((await lockFiles(setup.repo)).length, 1, 'the dead restic left its lock behind');

  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(result.code, 0, result.stdout);
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'success');
  assert.deepEqual(
    run.steps.map((step: { name: string; status: string }) => `${step.name}:${step.status}`),
    ['backup:failure', 'unlock:success', 'backup:success'],
    'locked → unlock → one retry',
  );
  assert.deepEqual(await resticLocks(setup.repo, setup.password), []);
});

test('a lock held by a live restic is reported with its holder and not broken', async (t) => {
  const setup = await preparedSetup(await tempDir(t));
  const holder = await resticHoldingLock(setup);
  t.after(async () => {
    holder.kill('SIGKILL');
    await exited(holder);
  });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(result.code, 1);
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'failure');
  assert.match(
    run.reason,
    new RegExp(`^The repository ${setup.repo} is in use by an exclusive lock of PID ${holder.pid} on \\S+ since .+\\. Wait for that restic to finish`),
  );
  assert.equal(holder.exitCode, null, 'the lock holder is still running');
  assert.equal((await lockFiles(setup.repo)).length, 1, 'its lock is still there');
});
