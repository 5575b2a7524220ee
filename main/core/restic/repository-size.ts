import { type ResticReader, readJson } from './restic-read.ts';

/**
 * The repository's size as stored: `restic stats --mode raw-data` (the bytes of every blob).
 * Lock-free, so it never holds up a run's forget or prune; it reads every snapshot's trees, so
 * it is asked at most once a day per repository (see history/repository-sizes.ts).
 */
export async function readRepositorySize(reader: ResticReader): Promise<{ bytes: number; snapshots: number | null }> {
  const stats = await readJson<Record<string, unknown> | null>(reader, ['stats', '--json', '--mode', 'raw-data', '--no-lock'], null);
  const bytes = stats?.total_size;
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) throw new Error(`restic stats gave no total_size: ${JSON.stringify(stats).slice(0, 200)}`);
  return { bytes, snapshots: typeof stats?.snapshots_count === 'number' ? stats.snapshots_count : null };
}
