import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A failed run's working folder is kept this long for a look at what its hooks left. */
export const KEEP_FAILED_MS = 2 * 86_400_000;
/** All kept working folders together hold at most this much by default; the oldest go first. */
export const WORKING_DIRS_MAX_BYTES = 1024 ** 3;
/** Marks a folder kept on purpose (a failed run's); any other folder belongs to a run still going. */
const KEPT = '.lifeboat-kept';

/**
 * A run (and every async hook of it) has ended: its working folder is removed, or kept when
 * the run failed; then kept folders past two days, and the oldest beyond the size cap, go.
 */
export async function finishWorkingDir(folder: string, workingDir: string, failed: boolean, now: Date, maxBytes = WORKING_DIRS_MAX_BYTES): Promise<void> {
  // The marker holds when the folder was kept and its size then, so later prunes read one small file per folder.
  if (failed) await writeFile(join(workingDir, KEPT), `${now.toISOString()}\n${await size(workingDir)}\n`, { mode: 0o600 });
  else await rm(workingDir, { recursive: true, force: true, maxRetries: 3 });
  await pruneKept(folder, now, maxBytes);
}

/**
 * At start-up: folders of runs that can no longer be going (older than two days) and kept
 * folders past their time or beyond the cap are removed.
 */
export async function removeOldWorkingDirs(folder: string, now: Date, maxBytes = WORKING_DIRS_MAX_BYTES): Promise<void> {
  for (const entry of await entries(folder)) {
    const info = await stat(join(folder, entry)).catch(() => undefined);
    if (info && now.getTime() - info.mtimeMs > KEEP_FAILED_MS) await rm(join(folder, entry), { recursive: true, force: true });
  }
  await pruneKept(folder, now, maxBytes);
}

async function pruneKept(folder: string, now: Date, maxBytes: number): Promise<void> {
  const kept: Array<{ path: string; keptAt: number; bytes: number }> = [];
  for (const entry of await entries(folder)) {
    const path = join(folder, entry);
    const marker = await readFile(join(path, KEPT), 'utf8').catch(() => undefined);
    if (marker === undefined) continue; // a run still going (here or in another Lifeboat process)
    const [when = '', bytes = ''] = marker.split('\n');
    const keptAt = Date.parse(when.trim()) || 0;
    if (now.getTime() - keptAt > KEEP_FAILED_MS) await rm(path, { recursive: true, force: true });
    else kept.push({ path, keptAt, bytes: /^\d+$/.test(bytes.trim()) ? Number(bytes.trim()) : await size(path) });
  }
  let total = kept.reduce((sum, entry) => sum + entry.bytes, 0);
  for (const entry of kept.sort((a, b) => a.keptAt - b.keptAt)) {
    if (total <= maxBytes) break;
    await rm(entry.path, { recursive: true, force: true });
    total -= entry.bytes;
  }
}

async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return []; // no run has made one yet
  }
}

/** Bytes of every file under a folder (links not followed). */
async function size(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name)).catch(() => undefined);
    total += info?.size ?? 0;
  }
  return total;
}
