import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

/** Resolves when `check` returns true, polling every 50 ms; fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function lockFiles(repo: string): Promise<string[]> {
  return readdir(join(repo, 'locks')).catch(() => []);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether a TCP port on 127.0.0.1, or a Unix socket at a path, takes a connection now. */
export function canConnect(where: number | string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    if (typeof where === 'string') socket.connect(where);
    else socket.connect(where, '127.0.0.1');
  });
}

/** dbus-daemon's socket file appears when it binds it, a moment before it listens: its bus is up once a connection is taken. */
export async function waitForBus(socket: string): Promise<void> {
  await waitFor(async () => existsSync(socket) && (await canConnect(socket)), 'the D-Bus session bus');
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Resolves once the process has exited and its output pipes have closed: all it printed has been
 * read. ('exit' may come before the last chunk of its output.)
 */
export async function closed(child: ChildProcess): Promise<void> {
  await exited(child);
  await Promise.all([child.stdout, child.stderr].map((stream) => (stream && !stream.closed ? once(stream, 'close') : undefined)));
}

/** `rclone serve restic` of a local folder on 127.0.0.1; stop() ends it. */
export async function serveRestic(
  folder: string,
  fixedPort?: number,
  options: { appendOnly?: boolean } = {},
): Promise<{ url: string; port: number; stop: () => Promise<void> }> {
  const port = fixedPort ?? (await freePort());
  const extra = options.appendOnly ? ['--append-only'] : [];
  const child = spawn('rclone', ['serve', 'restic', folder, '--addr', `127.0.0.1:${port}`, ...extra], { stdio: 'ignore' });
  await waitFor(() => canConnect(port), `rclone serve restic on port ${port}`);
  return {
    url: `rest:http://127.0.0.1:${port}/`,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/**
 * The locks restic itself sees in a repository (`restic list locks`): a temp file left in
 * locks/ by an interrupted write is not a lock, and restic ignores it.
 */
export async function resticLocks(repo: string, password: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile('restic', ['list', 'locks', '--no-lock'], { env: { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password } }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}
