import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { exited, waitFor } from '../helpers/processes.ts';

function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['--version'], { stdio: 'ignore' }).status === 0;
}

interface Run {
  id: string;
  trigger: string;
  status: string;
  reason: string | null;
  startedAt: string;
  snapshotId: string | null;
}

async function history(dataDir: string): Promise<Run[]> {
  const text = await readFile(join(dataDir, 'history', 'runs.jsonl'), 'utf8').catch(() => '');
  const latest = new Map<string, Run>();
  for (const line of text.split('\n').filter(Boolean)) {
    const run = JSON.parse(line) as Run;
    latest.set(run.id, run);
  }
  return [...latest.values()];
}

test('the data dir filling up during a scheduled run: the daemon keeps running, records that run as failed with its snapshot once space is back, and runs the next slot', {
  skip: canMountTmpfs() ? false : 'needs root to mount a tmpfs',
  timeout: 120_000,
}, async (t) => {
  // One clean-up, in order: the daemon stops, the tmpfs is unmounted, then the folder goes.
  const root = await mkdtemp(join(tmpdir(), 'lifeboat-diskfull-'));
  let daemon: ChildProcess | undefined;
  t.after(async () => {
    if (daemon) {
      daemon.kill('SIGTERM');
      await exited(daemon);
    }
    if (mounted) execFileSync('umount', ['-l', dataDir]);
    await rm(root, { recursive: true, force: true });
  });
  let mounted = false;
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const dataDir = join(root, 'data');
  const filler = join(dataDir, 'filler');
  const marker = join(root, 'filled-once');
  // After the first snapshot the daemon makes, a clean-up hook fills the data dir to the last block.
  const fill = `#!/bin/sh\n[ -e '${marker}' ] && exit 0\ntouch '${marker}'\ndd if=/dev/zero of='${filler}' bs=4k 2>/dev/null\nexit 0\n`;
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      schedule: { cron: '*/2 * * * * *' },
      hooks: [{ id: 'fill', on: ['backup.after'], onError: 'ignore', script: { inline: fill } }],
    },
  ]);
  setup.env.LIFEBOAT_ALLOW_FAST_SCHEDULES = '1';
  await mkdir(dataDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dataDir]);
  mounted = true;
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);

  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('daemon')], { env: { ...process.env, ...setup.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  daemon = child;
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });

  await waitFor(() => existsSync(filler) && /is full|no space left/i.test(output), 'a run to hit the full disk', 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  // Several more slots pass on the full disk.
  const fullAt = output.length;
  await waitFor(() => (output.slice(fullAt).match(/docs: schedule run started/g) ?? []).length >= 2, 'two more slots on the full disk', 30_000);
  assert.equal(child.exitCode, null, `the daemon is still running:\n${output}`);

  await rm(filler);
  const spaceBack = new Date().toISOString();
  await waitFor(
    async () => (await history(dataDir)).some((run) => run.status === 'success' && run.startedAt > spaceBack),
    'a scheduled run to succeed once space is back',
    30_000,
  );
  const runs = await history(dataDir);
  assert.ok(
    runs.every((run) => run.status !== 'running'),
    `no run is left "running": ${JSON.stringify(runs)}`,
  );
  const failed = runs.filter((run) => run.status === 'failure');
  assert.ok(failed.length >= 1, `the runs on the full disk are recorded: ${JSON.stringify(runs)}`);
  assert.ok(
    failed.every((run) => /is full|no space left/.test(run.reason ?? '')),
    JSON.stringify(failed.map((run) => run.reason)),
  );
  const snapshots = JSON.parse(
    execFileSync('restic', ['-r', setup.repo, 'snapshots', '--json', '--no-lock'], {
      env: { ...process.env, RESTIC_PASSWORD: setup.password, RESTIC_CACHE_DIR: join(root, 'cache') },
    }).toString(),
  ) as Array<{ id: string; short_id: string }>;
  const filledDuring = failed.find((run) => run.snapshotId !== null);
  assert.ok(filledDuring, `the run whose snapshot was made before the disk filled keeps its snapshot id: ${JSON.stringify(failed)}`);
  assert.ok(
    snapshots.some((snapshot) => snapshot.id === filledDuring.snapshotId || snapshot.short_id === filledDuring.snapshotId),
    `${filledDuring.snapshotId} is one of restic's snapshots`,
  );
  assert.equal(child.exitCode, null, output);
});
