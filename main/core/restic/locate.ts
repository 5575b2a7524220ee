import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
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

/** Finds restic (the configured path first, then PATH) and checks that it is new enough. */
export async function locateRestic(configured: string | null, env: NodeJS.ProcessEnv = process.env): Promise<ResticBinary> {
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
  const result = await execa(path, ['version'], { reject: false, timeout: 15_000, stdin: 'ignore' });
  const match = /restic (\d+)\.(\d+)\.(\d+)/.exec(String(result.stdout));
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
  return { path, version: version.join('.') };
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
