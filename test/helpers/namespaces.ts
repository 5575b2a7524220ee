import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { POWER_SUPPLY_DIR } from '../../main/core/platform/linux-power.ts';

/** Whether this machine lets us make mount and network namespaces (root, or unprivileged userns). */
export function canUnshare(kind: '--mount' | '--net'): boolean {
  try {
    execFileSync('unshare', [kind, 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A fake power_supply folder: each entry is a supply with its attribute files. */
export async function fakePowerSupply(folder: string, supplies: Record<string, Record<string, string>>): Promise<string> {
  for (const [name, files] of Object.entries(supplies)) {
    await mkdir(join(folder, name), { recursive: true });
    for (const [file, value] of Object.entries(files)) await writeFile(join(folder, name, file), `${value}\n`);
  }
  return folder;
}

/**
 * A prefix that runs a command in its own mount namespace with `folder` bind-mounted over
 * /sys/class/power_supply: the code under test reads the real path and sees the fake one.
 */
export function withPowerSupply(folder: string): string[] {
  return ['unshare', '--mount', '--', 'sh', '-c', `mount --bind "$0" ${POWER_SUPPLY_DIR} && exec "$@"`, folder];
}

/** A prefix that runs a command with no network at all (a fresh network namespace, loopback down). */
export const OFFLINE = ['unshare', '--net', '--'];
