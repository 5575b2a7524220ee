import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { LIFEBOAT_BIN, lifeboat, type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { canUnshare } from '../helpers/namespaces.ts';
import { exited, waitFor } from '../helpers/processes.ts';
import '../helpers/restic.ts';

const run = promisify(execFile);
const mountNamespaces = canUnshare('--mount');
const skip = (process.platform !== 'linux' || !mountNamespaces) && 'needs Linux with unshare --mount';

interface Daemon {
  child: ChildProcess;
  output: () => string;
}

/**
 * The real daemon in its own mount namespace (so tmpfs mounts made for it stay private);
 * `prepare` runs in that namespace first, e.g. to have the drive there already at start.
 */
function startDaemon(setup: Setup, prepare = 'true'): Daemon {
  const command = ['unshare', '--mount', '--', 'sh', '-c', `${prepare} && exec "$@"`, 'sh', process.execPath, LIFEBOAT_BIN, ...setup.args('daemon')];
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...setup.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => {
    text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    text += chunk;
  });
  return { child, output: () => text };
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) return;
  daemon.child.kill('SIGTERM');
  await exited(daemon.child);
}

/** Runs a command in the daemon's mount namespace. */
async function inDaemon(daemon: Daemon, ...command: string[]): Promise<void> {
  await run('nsenter', ['-t', String(daemon.child.pid), '-m', '--', ...command]);
}

/** The findmnt processes the daemon started (their parent is the daemon). */
async function findmntChildren(daemon: Daemon): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match?.[1] === 'findmnt' && Number(match[2]) === daemon.child.pid) found.push(Number(entry));
  }
  return found;
}

/** Waits until the daemon's findmnt has the mount table open: from then on no mount is missed. */
async function watching(daemon: Daemon, not?: number): Promise<number> {
  let pid: number | undefined;
  await waitFor(async () => {
    for (const candidate of await findmntChildren(daemon)) {
      if (candidate === not) continue;
      // Waiting in poll() on the mount table: it has read the table as it is, so any change from here on is seen.
      if (!(await readFile(`/proc/${candidate}/wchan`, 'utf8').catch(() => '')).includes('poll')) continue;
      const fds = await readdir(`/proc/${candidate}/fd`).catch(() => []);
      for (const fd of fds) {
        if ((await readlink(`/proc/${candidate}/fd/${fd}`).catch(() => '')).endsWith('/mountinfo')) {
          pid = candidate;
          return true;
        }
      }
    }
    return false;
  }, `findmnt watching the mount table\n${daemon.output()}`);
  return pid!;
}

interface Run {
  id: string;
  trigger: string;
  status: string;
  reason: string | null;
}

/** Each run's latest record, as the history keeps them. */
async function history(setup: Setup): Promise<Run[]> {
  const index = await readFile(join(setup.dataDir, 'history', 'runs.jsonl'), 'utf8').catch(() => '');
  const latest = new Map<string, Run>();
  for (const line of index.split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as Run;
    latest.set(record.id, record);
  }
  return [...latest.values()];
}

let root: string;
let repoSetup: Setup;

before(async () => {
  if (skip) return;
  root = await mkdtemp(join(tmpdir(), 'lifeboat-drives-'));
  repoSetup = await writeSetup(join(root, 'shared'), []);
  assert.equal((await lifeboat(repoSetup.args('init', 'local'), { env: repoSetup.env })).code, 0);
});
after(() => (root ? rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }) : undefined));

/** A plan on the shared repository that runs when `usb` is mounted. */
async function driveSetup(name: string, plan: Record<string, unknown> = {}): Promise<{ setup: Setup; usb: string }> {
  const folder = join(root, name);
  const source = join(folder, 'src');
  const usb = join(folder, 'usb drive'); // a space: findmnt escapes it as \x20
  await mkdir(source, { recursive: true });
  await mkdir(usb);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(folder, [{ id: 'docs', sources: [source], schedule: { onMount: usb }, ...plan }], { url: repoSetup.repo });
  return { setup, usb };
}

test('a drive mounted at the watched folder starts exactly one run with trigger mount; remounts within minInterval start none, across a restart too; findmnt ends with the daemon', {
  skip,
}, async () => {
  const { setup, usb } = await driveSetup('arrival');
  // Already mounted when the daemon starts: that is not an arrival.
  let daemon = startDaemon(setup, `mount -t tmpfs tmpfs "${usb}"`);
  try {
    let findmnt = await watching(daemon);
    await inDaemon(daemon, 'mount', '-o', 'remount,ro', usb); // a remount is not an arrival either
    await inDaemon(daemon, 'umount', usb);
    await inDaemon(daemon, 'mount', '-t', 'tmpfs', 'tmpfs', usb);
    await waitFor(async () => (await history(setup)).some((r) => r.status === 'success'), `the arrival run\n${daemon.output()}`);
    // Rapid unmount and mount again: within the hour, nothing more runs.
    for (let i = 0; i < 2; i += 1) {
      await inDaemon(daemon, 'umount', usb);
      await inDaemon(daemon, 'mount', '-t', 'tmpfs', 'tmpfs', usb);
    }
    await waitFor(() => daemon.output().split('was mounted again').length - 1 === 2, `two refused arrivals\n${daemon.output()}`);
    await stopDaemon(daemon);
    assert.equal(daemon.child.exitCode, 0, daemon.output());
    await waitFor(async () => !(await readFile(`/proc/${findmnt}/stat`, 'utf8').catch(() => '')), 'findmnt gone after the daemon stopped');

    // A new daemon remembers the arrival run: another mount within the hour still starts nothing.
    daemon = startDaemon(setup);
    findmnt = await watching(daemon);
    await inDaemon(daemon, 'mount', '-t', 'tmpfs', 'tmpfs', usb);
    await waitFor(() => daemon.output().includes('was mounted again'), `the arrival refused after a restart\n${daemon.output()}`);
  } finally {
    await stopDaemon(daemon);
  }
  const runs = await history(setup);
  assert.deepEqual(
    runs.map((r) => [r.trigger, r.status]),
    [['mount', 'success']],
  );
});

test('unmounting the drive during a run cancels it with "drive removed"; a findmnt that dies is started again, and one whose Lifeboat is killed ends too', {
  skip,
}, async () => {
  const { setup, usb } = await driveSetup('removal', {
    hooks: [
      {
        id: 'wait',
        on: ['backup.before'],
        timeout: '1m',
        script: { command: `echo "$LIFEBOAT_TRIGGER" > "${join(root, 'removal', 'started')}"; exec sleep 60` },
      },
    ],
  });
  const daemon = startDaemon(setup);
  try {
    const first = await watching(daemon);
    process.kill(first, 'SIGKILL');
    const second = await watching(daemon, first); // started again after a short backoff
    assert.match(daemon.output(), /findmnt stopped \(SIGKILL\); drive arrivals are watched again in 1 s/);
    await inDaemon(daemon, 'mount', '-t', 'tmpfs', 'tmpfs', usb);
    await waitFor(
      () =>
        readFile(join(root, 'removal', 'started')).then(
          () => true,
          () => false,
        ),
      `the run's backup.before hook\n${daemon.output()}`,
    );
    await inDaemon(daemon, 'umount', usb);
    await waitFor(async () => (await history(setup)).some((r) => r.status !== 'running'), `the run's end\n${daemon.output()}`);
    // Killed without a chance to stop it: findmnt gets SIGTERM from the kernel (setpriv --pdeathsig), no orphan.
    daemon.child.kill('SIGKILL');
    await exited(daemon.child);
    await waitFor(async () => !(await readFile(`/proc/${second}/stat`, 'utf8').catch(() => '')), 'findmnt gone after its Lifeboat was killed');
  } finally {
    await stopDaemon(daemon);
  }
  const runs = await history(setup);
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.trigger, 'mount');
  assert.equal(runs[0]!.status, 'cancelled');
  assert.equal(runs[0]!.reason, `drive removed: ${usb} was unmounted during the run`);
  assert.equal(await readFile(join(root, 'removal', 'started'), 'utf8'), 'mount\n', 'the hook saw LIFEBOAT_TRIGGER=mount');
});
