import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIFEBOAT_BIN, lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { closed, lockFiles, resticLocks, waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';

interface Daemon {
  child: ChildProcess;
  output: () => string;
}

function startDaemon(setup: Setup): Daemon {
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('daemon')], { env: { ...process.env, ...setup.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  return { child, output: () => text };
}

async function history(setup: Setup): Promise<Array<{ trigger: string; status: string; startedAt: string; endedAt: string | null }>> {
  const index = await readFile(join(setup.dataDir, 'history', 'runs.jsonl'), 'utf8').catch(() => '');
  const latest = new Map<string, { id: string; trigger: string; status: string; startedAt: string; endedAt: string | null }>();
  for (const line of index.split('\n').filter(Boolean)) {
    const run = JSON.parse(line);
    latest.set(run.id, run);
  }
  return [...latest.values()];
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGTERM');
  await closed(daemon.child);
}

async function smallSetup(root: string, schedule: object, size = 1000): Promise<Setup> {
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'data.bin'), Buffer.alloc(size, 1));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], schedule }]);
  setup.env.LIFEBOAT_ALLOW_FAST_SCHEDULES = '1'; // slots every few seconds keep these tests short
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  return setup;
}

test('the daemon runs a plan scheduled every few seconds, with trigger schedule, and stops on SIGTERM', async (t) => {
  const setup = await smallSetup(await tempDir(t), { cron: '*/2 * * * * *' });
  const daemon = startDaemon(setup);
  t.after(() => stopDaemon(daemon));
  await waitFor(async () => (await history(setup)).filter((run) => run.status === 'success').length >= 2, 'two scheduled runs', 30_000);
  await stopDaemon(daemon);
  assert.equal(daemon.child.exitCode, 0, daemon.output());
  const runs = await history(setup);
  assert.ok(
    runs.every((run) => run.trigger === 'schedule'),
    runs.map((run) => run.trigger).join(', '),
  );
  assert.match(daemon.output(), /docs: Every 2 seconds/);
  assert.match(daemon.output(), /stopped\n$/);
});

test('a daemon stopped (SIGSTOP) across several slots catches up exactly once when it continues', async (t) => {
  const setup = await smallSetup(await tempDir(t), { cron: '*/3 * * * * *' });
  const daemon = startDaemon(setup);
  t.after(() => stopDaemon(daemon));
  await waitFor(async () => (await history(setup)).some((run) => run.status === 'success'), 'a first run', 30_000);
  await waitFor(async () => (await history(setup)).every((run) => run.endedAt !== null), 'the run to end');
  daemon.child.kill('SIGSTOP');
  const stoppedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const before = (await history(setup)).length;
  daemon.child.kill('SIGCONT');
  await waitFor(async () => (await history(setup)).length > before, 'the catch-up', 15_000);
  // A second catch-up would come at once; a scheduled run after the first one shows that none did.
  const caughtUp = Math.min(...(await history(setup)).filter((run) => Date.parse(run.startedAt) > stoppedAt).map((run) => Date.parse(run.startedAt)));
  await waitFor(
    async () => (await history(setup)).some((run) => run.trigger === 'schedule' && Date.parse(run.startedAt) > caughtUp),
    'the next scheduled run after the catch-up',
    20_000,
  );
  const after = await history(setup);
  const afterWake = after.filter((run) => Date.parse(run.startedAt) > stoppedAt);
  assert.deepEqual(
    afterWake.slice(0, 1).map((run) => run.trigger),
    ['catch-up'],
    after.map((run) => `${run.trigger}@${run.startedAt}`).join(', '),
  );
  assert.equal(after.filter((run) => run.trigger === 'catch-up').length, 1, 'exactly one catch-up for the three slots missed');
});

test('SIGTERM during a backup cancels it cleanly: no restic lock is left and the run says cancelled', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  for (let i = 0; i < 8; i += 1) await writeFile(join(source, `f${i}.bin`), Buffer.alloc(40_000_000, i + 1));
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], schedule: { cron: '*/2 * * * * *' } }]);
  setup.env.LIFEBOAT_ALLOW_FAST_SCHEDULES = '1';
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const daemon = startDaemon(setup);
  t.after(() => stopDaemon(daemon));
  await waitFor(async () => (await lockFiles(setup.repo)).length > 0, 'a backup to start', 30_000);
  await stopDaemon(daemon);
  assert.equal(daemon.child.exitCode, 0, daemon.output());
  assert.deepEqual(await resticLocks(setup.repo, setup.password), [], 'no lock left');
  const runs = await history(setup);
  assert.equal(runs[runs.length - 1]?.status, 'cancelled');
});

test('a second daemon on the same data dir refuses to start and says which one runs', async (t) => {
  const setup = await smallSetup(await tempDir(t), { cron: '0 0 1 1 *' });
  const first = startDaemon(setup);
  t.after(() => stopDaemon(first));
  await waitFor(() => first.output().includes('daemon started'), 'the first daemon');
  const second = await lifeboat(setup.args('daemon'), { env: setup.env });
  assert.equal(second.code, 1);
  assert.match(
    second.stderr,
    new RegExp(`Another Lifeboat scheduler \\(lifeboat daemon, PID ${first.child.pid}, since .+\\) is already running on ${setup.dataDir}\\. Stop it first`),
  );
  await stopDaemon(first);
  const third = startDaemon(setup);
  t.after(() => stopDaemon(third));
  await waitFor(() => third.output().includes('daemon started'), 'a daemon after the first one stopped');
  await stopDaemon(third);
  assert.equal(third.child.exitCode, 0, third.output());
});
