/**
 * What a restore would do before it runs: each file of the snapshot (under the included paths)
 * against what is on disk where it would land — created, overwritten by the policy, kept by
 * it, already the same — and which files on disk are newer than the snapshot's copy. Sizes and
 * times come from `ls --json` and `lstat`; a snapshot of a source a hook redirected
 * (LIFEBOAT_SNAPSHOT_PATH) is told by the source's own paths. Nothing is written.
 */

import { lstat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import { inPool } from '../util/in-pool.ts';
import { parseLsLine } from './messages.ts';
import type { OverwritePolicy } from './restic.ts';
import { findSnapshot, planSnapshots, type ResticReader, readLines, type SnapshotRef, snapshotRef } from './restic-read.ts';
import { originalPath, redirectsOf, storedPath } from './snapshot-paths.ts';

/** How many paths each list keeps; its count says how many there are in all. */
export const PREVIEW_LIST_LIMIT = 200;

export interface PreviewFile {
  /** Where the file would be written (the original path for an in-place restore). */
  path: string;
  /** The snapshot's copy. */
  size: number;
  mtime: string;
  /** What is on disk there now, if anything. */
  disk: { size: number; mtime: string; type: 'file' | 'dir' | 'symlink' | 'other' } | null;
}

export interface PreviewList {
  count: number;
  bytes: number;
  /** The first PREVIEW_LIST_LIMIT, in the snapshot's order. */
  files: PreviewFile[];
}

export interface RestorePreview {
  plan: string;
  snapshot: SnapshotRef;
  /** null: into an empty folder (`target`). */
  overwrite: OverwritePolicy | null;
  target: string | null;
  /** The included paths as given (all of the snapshot when empty). */
  include: string[];
  /** Not on disk: written. */
  created: PreviewList;
  /** On disk and different: replaced, by the policy. */
  overwritten: PreviewList;
  /** On disk and different: left as it is, by the policy. */
  kept: PreviewList;
  /** On disk with the snapshot's size and time already: nothing changes. */
  unchanged: PreviewList;
  /** On disk and newer than the snapshot's copy (some of `overwritten` or `kept`). */
  newerOnDisk: PreviewList;
}

export interface RestorePreviewRequest {
  plan: string;
  tags: string[];
  /** The plan's sources (absolute), to map redirected snapshots back. */
  sources: string[];
  snapshot: string;
  /** Paths in the snapshot (or the live paths of a redirected source); empty: everything. */
  include: string[];
  /** In place: the policy for files already there. */
  overwrite?: OverwritePolicy | undefined;
  /** Into this (checked, empty) folder instead, in restic's layout. */
  target?: string | undefined;
}

function list(): PreviewList {
  return { count: 0, bytes: 0, files: [] };
}

function add(to: PreviewList, file: PreviewFile): void {
  to.count += 1;
  to.bytes += file.size;
  if (to.files.length < PREVIEW_LIST_LIMIT) to.files.push(file);
}

/** An RFC 3339 time with up to nine fractional digits, in nanoseconds since the epoch (restic keeps nanoseconds; Date keeps milliseconds). */
export function nanosOf(time: string): bigint {
  const fraction = /\.(\d+)/.exec(time)?.[1] ?? '';
  const whole = Date.parse(time.replace(/\.\d+/, ''));
  if (Number.isNaN(whole)) return 0n;
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0');
}

function isAtOrUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

function diskType(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): 'file' | 'dir' | 'symlink' | 'other' {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'dir';
  if (info.isSymbolicLink()) return 'symlink';
  return 'other';
}

interface Candidate {
  path: string;
  size: number;
  mtime: string;
}

/**
 * Which file does what, by the same rule the restore applies: `never` keeps every file that is
 * there; `if-newer` replaces one only when the snapshot's copy is strictly newer; `always`
 * replaces it. Folders are not listed (they are created as needed and never replaced).
 */
export async function previewRestore(reader: ResticReader, request: RestorePreviewRequest): Promise<RestorePreview> {
  for (const path of request.include) {
    if (!isAbsolute(path) || normalize(path) !== path || path.length > 4096) {
      const shown = path.length > 300 ? `${JSON.stringify(path.slice(0, 300))}…` : JSON.stringify(path);
      throw new UserError(
        `${shown} is not the full path of a file or folder in the snapshot; the preview takes paths as "lifeboat snapshots" and the snapshot browser show them (e.g. "${request.sources[0] ?? '/home/me'}").`,
        { kind: 'invalid' },
      );
    }
  }
  const snapshots = await planSnapshots(reader, request.tags);
  const snapshot = findSnapshot(snapshots, request.snapshot, request.plan);
  const redirects = redirectsOf(snapshot, request.sources);
  // A live path of a redirected source means the same as the path the snapshot holds.
  const include = request.include.map((path) => storedPath(path, redirects));
  const candidates: Candidate[] = [];
  await readLines(reader, ['ls', '--json', '--no-lock', '--', snapshot.id], (line) => {
    const entry = parseLsLine(line);
    if (!entry || entry.type === 'dir') return;
    if (include.length > 0 && !include.some((root) => isAtOrUnder(entry.path, root))) return;
    candidates.push({ path: entry.path, size: entry.size ?? 0, mtime: entry.mtime ?? snapshot.time });
  });
  const destination = (path: string) => (request.target === undefined ? originalPath(path, redirects) : join(request.target, path));
  const found = await inPool(candidates, 16, async (candidate) => {
    const where = destination(candidate.path);
    const info = await lstat(where, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    return { candidate, where, info };
  });
  const preview: RestorePreview = {
    plan: request.plan,
    snapshot: snapshotRef(snapshot),
    overwrite: request.target === undefined ? (request.overwrite ?? 'never') : null,
    target: request.target ?? null,
    include: request.include,
    created: list(),
    overwritten: list(),
    kept: list(),
    unchanged: list(),
    newerOnDisk: list(),
  };
  for (const { candidate, where, info } of found) {
    const disk = info ? { size: Number(info.size), mtime: new Date(Number(info.mtimeMs)).toISOString(), type: diskType(info) } : null;
    const file: PreviewFile = { path: where, size: candidate.size, mtime: candidate.mtime, disk };
    if (!info) {
      add(preview.created, file);
      continue;
    }
    const snapshotTime = nanosOf(candidate.mtime);
    if (disk?.type === 'file' && info.size === BigInt(candidate.size) && info.mtimeNs === snapshotTime) {
      add(preview.unchanged, file);
      continue;
    }
    if (info.mtimeNs > snapshotTime) add(preview.newerOnDisk, file);
    const policy = preview.overwrite ?? 'never';
    const replace = policy === 'always' || (policy === 'if-newer' && disk?.type !== 'dir' && snapshotTime > info.mtimeNs);
    add(replace ? preview.overwritten : preview.kept, file);
  }
  return preview;
}
