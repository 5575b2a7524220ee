import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { asDiskFull } from './errors.ts';

export interface AtomicWriteOptions {
  /**
   * False: readers still see the old or the new content, but the disk is not waited for (no
   * fsync), for a state that a later durable write supersedes (a running run's log before its end).
   */
  durable?: boolean | undefined;
}

/**
 * Writes a file so that readers see either the old or the new content, never a mix:
 * a temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(file: string, content: string | Buffer, mode = 0o600, options: AtomicWriteOptions = {}): Promise<void> {
  try {
    await writeThenRename(file, content, mode, options.durable ?? true);
  } catch (error) {
    throw asDiskFull(error, file);
  }
}

async function writeThenRename(file: string, content: string | Buffer, mode: number, durable: boolean): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(content);
    await handle.chmod(mode);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await syncFolder(dirname(file));
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
