import { cp, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OverwritePolicy } from './restic.ts';

export interface MergeCounts {
  written: number;
  kept: number;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Moves one entry into place: a rename on the same filesystem, a copy (times kept) then a rename across filesystems. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (errorCode(error) !== 'EXDEV') throw error;
    const staging = `${to}.lifeboat-restore`;
    await cp(from, staging, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    await rename(staging, to);
  }
}

/**
 * Puts a restore made into `scratch` (restic's layout: absolute paths recreated under it)
 * back at the original paths, by a policy: `never` keeps every existing file, `if-newer`
 * replaces one only when the snapshot's copy is newer, `always` replaces it. Files that are
 * missing are always put back; files that are not in the snapshot are never touched.
 */
export async function mergeRestored(
  scratch: string,
  policy: OverwritePolicy,
  destinationRoot = '/',
  options: { skipEmptyFolders?: boolean } = {},
): Promise<MergeCounts> {
  const counts: MergeCounts = { written: 0, kept: 0 };
  const walk = async (relative: string): Promise<void> => {
    for (const name of await readdir(join(scratch, relative))) {
      const from = join(scratch, relative, name);
      const to = join(destinationRoot, relative, name);
      const incoming = await lstat(from);
      const existing = await lstat(to).catch((error) => {
        if (errorCode(error) === 'ENOENT') return undefined;
        throw error;
      });
      if (incoming.isDirectory() && existing?.isDirectory()) {
        await walk(join(relative, name));
        continue;
      }
      if (!existing) {
        // What is left of a redirected source's path once its files went home: not recreated.
        if (options.skipEmptyFolders && incoming.isDirectory() && !(await holdsFiles(from))) continue;
        await mkdir(join(destinationRoot, relative), { recursive: true });
        await moveInto(from, to);
        counts.written += 1;
        continue;
      }
      const replace = policy === 'always' || (policy === 'if-newer' && !incoming.isDirectory() && incoming.mtimeMs > existing.mtimeMs);
      if (!replace) {
        counts.kept += 1;
        continue;
      }
      if (existing.isDirectory() !== incoming.isDirectory()) await rm(to, { recursive: true, force: true });
      await moveInto(from, to);
      counts.written += 1;
    }
  };
  await walk('');
  return counts;
}

/** Whether a folder holds anything but (nested) empty folders. */
async function holdsFiles(folder: string): Promise<boolean> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || (await holdsFiles(join(folder, entry.name)))) return true;
  }
  return false;
}
