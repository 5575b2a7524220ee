import { execFile } from 'node:child_process';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { UserError } from '../util/errors.ts';

export const MINIMUM_RESTIC = [0, 14, 0] as const;

export interface ResticBinary {
  path: string;
  version: string;
}

export function installHint(platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Install it with "brew install restic"';
    case 'win32':
      return 'Install it with "winget install restic.restic" or "scoop install restic"';
    case 'linux':
      return 'Install it with "sudo apt install restic" (Debian, Ubuntu), "sudo dnf install restic" (Fedora) or "sudo pacman -S restic" (Arch)';
    default:
      return 'Install it from your package manager';
  }
}

export interface LocateOptions {
  /**
   * Where the answers of `restic version` are kept, by the binary's path, size, mtime, ctime and
   * inode: a binary seen before is not run again until it changes (an update, a replaced file).
   */
  cacheFile?: string | undefined;
}

/** Finds restic (the configured path first, then PATH) and checks that it is new enough. */
export async function locateRestic(configured: string | null, env: NodeJS.ProcessEnv = process.env, options: LocateOptions = {}): Promise<ResticBinary> {
  const path = configured ?? (await findOnPath('restic', env));
  if (!path) {
    throw new UserError(`restic was not found on PATH. ${installHint()}, or set settings.resticPath to where restic is.`, { kind: 'unavailable' });
  }
  if (configured && !(await isExecutable(configured))) {
    throw new UserError(
      `settings.resticPath is ${JSON.stringify(configured)}, but no executable restic is there. Fix the path, or remove it to use restic from PATH.`,
      { kind: 'invalid' },
    );
  }
  const identity = options.cacheFile ? await binaryIdentity(path) : undefined;
  if (options.cacheFile && identity) {
    const known = (await readVersionCache(options.cacheFile))[path];
    if (known && known.identity === identity) return { path, version: known.version };
  }
  const result = await resticVersion(path);
  const match = /restic (\d+)\.(\d+)\.(\d+)/.exec(result.stdout);
  if (result.exitCode !== 0 || !match) {
    throw new UserError(`${path} did not answer "restic version" as restic does. Point settings.resticPath at a restic binary. ${installHint()}.`, {
      kind: 'invalid',
    });
  }
  const version = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (compareVersions(version, [...MINIMUM_RESTIC]) < 0) {
    throw new UserError(
      `restic ${version.join('.')} is too old; Lifeboat needs ${MINIMUM_RESTIC.join('.')} or newer. ${installHint()}, or run "restic self-update".`,
      { kind: 'unavailable' },
    );
  }
  const binary = { path, version: version.join('.') };
  if (options.cacheFile && identity) await rememberVersion(options.cacheFile, path, identity, binary.version);
  return binary;
}

function resticVersion(path: string): Promise<{ exitCode: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(path, ['version'], { timeout: 15_000, windowsHide: true }, (error, stdout) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ exitCode: code, stdout: String(stdout) });
    });
  });
}

interface KnownVersion {
  identity: string;
  version: string;
}

/** What changes when the file at `path` is replaced or rewritten; undefined when it cannot be read. */
async function binaryIdentity(path: string): Promise<string | undefined> {
  try {
    const stats = await stat(path, { bigint: true });
    return `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}`;
  } catch {
    return undefined; // not there now: restic version says so
  }
}

async function readVersionCache(file: string): Promise<Record<string, KnownVersion>> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const known: Record<string, KnownVersion> = {};
    for (const [path, entry] of Object.entries(value as Record<string, Partial<KnownVersion>>)) {
      if (typeof entry?.identity === 'string' && typeof entry.version === 'string' && /^\d+\.\d+\.\d+$/.test(entry.version)) {
        known[path] = { identity: entry.identity, version: entry.version };
      }
    }
    return known;
  } catch {
    return {}; // none yet, or unreadable: restic is asked
  }
}

async function rememberVersion(file: string, path: string, identity: string, version: string): Promise<void> {
  const known = await readVersionCache(file);
  delete known[path];
  known[path] = { identity, version };
  // Only the last few binaries are kept: a path that changes every time must not grow the file.
  const kept = Object.fromEntries(Object.entries(known).slice(-8));
  await writeFileAtomic(file, `${JSON.stringify(kept)}\n`).catch(() => undefined); // asked again next time
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = join(folder, name + extension);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false; // not there or not executable: keep looking
  }
}
