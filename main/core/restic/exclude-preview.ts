/**
 * What an exclude would leave out: the files and bytes under one path in the plan's latest
 * snapshot, which the next backup would skip once the path is excluded.
 */
import { sep } from 'node:path';
import { parseLsLine } from './messages.ts';
import { planSnapshots, type ResticReader, readLines, type SnapshotRef, snapshotRef } from './restic-read.ts';
import { redirectsOf, storedPath } from './snapshot-paths.ts';

export interface ExcludeCount {
  /** The latest snapshot counted in; null when the plan has none yet (nothing to count). */
  snapshot: SnapshotRef | null;
  files: number;
  dirs: number;
  bytes: number;
}

/** Counts what lies at or under `path` (a live path) in the latest snapshot carrying `tags`. */
export async function countUnder(reader: ResticReader, request: { tags: string[]; sources: string[]; path: string }): Promise<ExcludeCount> {
  const snapshots = await planSnapshots(reader, request.tags);
  const latest = snapshots[snapshots.length - 1];
  if (!latest) return { snapshot: null, files: 0, dirs: 0, bytes: 0 };
  // A source a hook redirected (LIFEBOAT_SNAPSHOT_PATH) is stored under another path.
  const stored = storedPath(request.path, redirectsOf(latest, request.sources));
  const prefix = `${stored}${sep}`;
  const count: ExcludeCount = { snapshot: snapshotRef(latest), files: 0, dirs: 0, bytes: 0 };
  await readLines(reader, ['ls', '--json', '--no-lock', '--', latest.id], (line) => {
    const entry = parseLsLine(line);
    if (!entry || (entry.path !== stored && !entry.path.startsWith(prefix))) return;
    if (entry.type === 'dir') count.dirs += 1;
    else {
      count.files += 1;
      count.bytes += entry.size ?? 0;
    }
  });
  return count;
}
