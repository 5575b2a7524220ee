import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/util/atomic-write.ts';
import { processIsAlive } from '../core/util/process-alive.ts';
import { processStat } from '../core/util/process-stat.ts';

/** The same address every start, so a bookmark keeps working. */
export const DEFAULT_PORT = 17878;

const TOKEN_FILE = 'serve-token';
const ADDRESS_FILE = 'serve.json';

export interface ServeAddress {
  host: string;
  port: number;
  pid: number;
  /** When the process `pid` started (/proc's clock ticks after boot), where /proc tells: with the pid, names that serve alone. */
  processStart?: string | undefined;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** The token only its owner can read, or undefined when serve never ran here (`LIFEBOAT_SERVE_TOKEN` wins). */
export async function readServeToken(dataDir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.LIFEBOAT_SERVE_TOKEN) return env.LIFEBOAT_SERVE_TOKEN;
  try {
    return (await readFile(join(dataDir, TOKEN_FILE), 'utf8')).trim() || undefined;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The serve token, kept in `serve-token` (0600) in the data dir: made once, the same on every
 * start. `LIFEBOAT_SERVE_TOKEN` sets it (and the file follows, so `lifeboat open` finds it).
 */
export async function serveToken(dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, TOKEN_FILE);
  const stored = await readServeToken(dataDir, {});
  const token = env.LIFEBOAT_SERVE_TOKEN || stored || randomBytes(32).toString('base64url');
  if (token !== stored) await writeFileAtomic(file, `${token}\n`, 0o600);
  else await chmod(file, 0o600);
  return token;
}

/** Notes where the serve `address.pid` listens, and when that process started, for `lifeboat open`. */
export async function writeServeAddress(dataDir: string, address: Omit<ServeAddress, 'processStart'>): Promise<void> {
  const recorded: ServeAddress = { ...address, processStart: processStat(address.pid)?.start };
  await writeFileAtomic(join(dataDir, ADDRESS_FILE), `${JSON.stringify(recorded)}\n`, 0o600);
}

export async function readServeAddress(dataDir: string): Promise<ServeAddress | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dataDir, ADDRESS_FILE), 'utf8')) as Partial<ServeAddress>;
    if (typeof value.port !== 'number' || typeof value.pid !== 'number') return undefined;
    return {
      host: typeof value.host === 'string' ? value.host : '127.0.0.1',
      port: value.port,
      pid: value.pid,
      processStart: typeof value.processStart === 'string' ? value.processStart : undefined,
    };
  } catch {
    return undefined; // never written, or torn
  }
}

/**
 * serve.json, only while the serve that wrote it still runs: its pid alive and, where /proc
 * tells, started when the record says (a pid reused by another process is not that serve).
 * Without /proc (macOS, Windows) a live pid is all that can be known.
 */
export async function liveServeAddress(dataDir: string): Promise<ServeAddress | undefined> {
  const address = await readServeAddress(dataDir);
  if (!address || !processIsAlive(address.pid)) return undefined;
  if (processStat(process.pid) === undefined) return address;
  const start = processStat(address.pid)?.start;
  return start !== undefined && start === address.processStart ? address : undefined;
}

/** Removes serve.json if it is this process's. */
export async function removeServeAddress(dataDir: string, pid: number): Promise<void> {
  if ((await readServeAddress(dataDir))?.pid === pid) await rm(join(dataDir, ADDRESS_FILE), { force: true });
}
