/**
 * What changed between two snapshots of a plan: restic's `diff --json` for the counts and the
 * changed paths, and `ls --json` of both snapshots for the sizes `diff` does not give
 * (the "size blame": which files and folders the growth came from).
 */

import { dirname, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import { formatBytes } from '../util/size.ts';
import { parseLsLine } from './messages.ts';
import { findSnapshot, type PlanSnapshot, planSnapshots, type ResticReader, readLines, type SnapshotRef, snapshotRef } from './restic-read.ts';
import { checkedSnapshotId } from './snapshot-id.ts';
import { originalPath, type Redirect, redirectsOf } from './snapshot-paths.ts';

/** Bounds of what is kept: the run card needs the top of each list, not the whole of it. */
export const TOP_PATHS = 20;
export const TOP_FOLDERS = 10;
export const MAX_CHANGES = 1000;

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface PathChange {
  path: string;
  change: ChangeKind;
  /** Folders end with the path separator, as restic prints them. */
  type: 'file' | 'dir';
  /** Size after minus size before (files only; 0 for folders). */
  bytes: number;
}

export interface SizedPath {
  path: string;
  change: ChangeKind;
  /** How much it grew. */
  bytes: number;
  /** Its size in the newer snapshot. */
  size: number;
}

export interface FolderGrowth {
  path: string;
  /** Net growth of the files under it. */
  bytes: number;
  /** Changed files under it. */
  files: number;
}

export interface SnapshotDiff {
  plan: string;
  /** Absent for a plan's first snapshot: everything in it is new. */
  from: SnapshotRef | null;
  to: SnapshotRef;
  files: { added: number; removed: number; changed: number };
  dirs: { added: number; removed: number };
  /** Sizes of the files as they are (not as stored): grown, shrunk, and the difference. */
  bytes: { added: number; removed: number; net: number };
  /** What the repository took in and let go for it (restic's own numbers, deduplicated). */
  stored: { added: number; removed: number } | null;
  /** The files that grew the most, largest first. */
  topPaths: SizedPath[];
  /** The folders that grew the most, largest first; a folder that grew only through one child is left out for the child. */
  topFolders: FolderGrowth[];
  /** The deepest folder holding at least half of the growth. */
  mostly: { path: string; bytes: number } | null;
  /** Every changed path, up to MAX_CHANGES; `moreChanges` counts the rest. */
  changes: PathChange[];
  moreChanges: number;
}

export interface DiffRequest {
  plan: string;
  /** The snapshots of the plan carry all of these tags. */
  tags: string[];
  /** The older snapshot; without it, the one before `to`. */
  from?: string | undefined;
  /** The newer snapshot; without it, the latest. */
  to?: string | undefined;
  /** The plan's sources: paths of a source a hook redirected are told as the source's. */
  sources?: string[] | undefined;
  /** For a plan's first snapshot, tell everything in it as added (after a first backup) instead of refusing. */
  firstIsAllNew?: boolean | undefined;
}

interface StatisticsLine {
  message_type: 'statistics';
  changed_files?: number;
  added?: { files?: number; dirs?: number; bytes?: number };
  removed?: { files?: number; dirs?: number; bytes?: number };
}

/** The two snapshots a request names, checked: ids are refused before restic runs. */
export async function diffSnapshots(reader: ResticReader, request: DiffRequest): Promise<SnapshotDiff> {
  if (request.from !== undefined) checkedSnapshotId(request.from);
  if (request.to !== undefined) checkedSnapshotId(request.to);
  const snapshots = await planSnapshots(reader, request.tags);
  const { from, to } = pickPair(snapshots, request);
  const redirects = [...(from ? redirectsOf(from, request.sources ?? []) : []), ...redirectsOf(to, request.sources ?? [])];
  if (!from) return describeFirst(reader, request.plan, to, redirects);

  const changes: Array<{ path: string; modifier: string }> = [];
  let statistics: StatisticsLine | undefined;
  await readLines(reader, ['diff', '--json', '--no-lock', '--', from.id, to.id], (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as Record<string, unknown>;
    if (message.message_type === 'change' && typeof message.path === 'string') changes.push({ path: message.path, modifier: String(message.modifier) });
    else if (message.message_type === 'statistics') statistics = message as unknown as StatisticsLine;
  });

  const files = changes.filter((change) => !change.path.endsWith('/'));
  const before = await sizesIn(reader, from, new Set(files.filter((change) => change.modifier !== '+').map((change) => change.path)));
  const after = await sizesIn(reader, to, new Set(files.filter((change) => change.modifier !== '-').map((change) => change.path)));
  const pathChanges: PathChange[] = changes.map((change) => {
    const type = change.path.endsWith('/') ? 'dir' : 'file';
    const kind: ChangeKind = change.modifier === '+' ? 'added' : change.modifier === '-' ? 'removed' : 'changed';
    const bytes = type === 'dir' ? 0 : (after.get(change.path) ?? 0) - (before.get(change.path) ?? 0);
    return { path: type === 'dir' ? change.path.slice(0, -1) : change.path, change: kind, type, bytes };
  });
  return summarise(request.plan, from, to, pathChanges, after, redirects, {
    files: { added: statistics?.added?.files ?? 0, removed: statistics?.removed?.files ?? 0, changed: statistics?.changed_files ?? 0 },
    dirs: { added: statistics?.added?.dirs ?? 0, removed: statistics?.removed?.dirs ?? 0 },
    stored: statistics ? { added: statistics.added?.bytes ?? 0, removed: statistics.removed?.bytes ?? 0 } : null,
  });
}

function pickPair(snapshots: PlanSnapshot[], request: DiffRequest): { from: PlanSnapshot | undefined; to: PlanSnapshot } {
  const { plan } = request;
  if (request.from === undefined && request.to === undefined && snapshots.length < 2 && !request.firstIsAllNew) {
    const count = snapshots.length === 1 ? '1 snapshot' : 'no snapshots';
    throw new UserError(`Plan "${plan}" has ${count}; a diff needs two. Run "lifeboat run ${plan}" to make another.`, { kind: 'not-found' });
  }
  const to = findSnapshot(snapshots, request.to ?? 'latest', plan);
  if (request.from !== undefined) return { from: findSnapshot(snapshots, request.from, plan), to };
  const index = snapshots.indexOf(to);
  const from = index > 0 ? snapshots[index - 1] : undefined;
  if (!from && !request.firstIsAllNew) {
    throw new UserError(
      `${to.shortId} is the first snapshot of plan "${plan}"; there is nothing before it. To compare it with a later one, give two snapshots: lifeboat diff ${plan} ${to.shortId} <newer>.`,
      { kind: 'not-found' },
    );
  }
  return { from, to };
}

/** The sizes of `wanted` paths in a snapshot (one `ls` of it; only what is asked for is kept). */
async function sizesIn(reader: ResticReader, snapshot: PlanSnapshot, wanted: Set<string>): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (wanted.size === 0) return sizes;
  await readLines(reader, ['ls', '--json', '--no-lock', '--', snapshot.id], (line) => {
    const entry = parseLsLine(line);
    if (entry && wanted.has(entry.path)) sizes.set(entry.path, entry.size ?? 0);
  });
  return sizes;
}

/** A plan's first snapshot: every file and folder under its sources is new. */
async function describeFirst(reader: ResticReader, plan: string, to: PlanSnapshot, redirects: Redirect[]): Promise<SnapshotDiff> {
  const changes: PathChange[] = [];
  const sizes = new Map<string, number>();
  await readLines(reader, ['ls', '--json', '--no-lock', '--', to.id], (line) => {
    const entry = parseLsLine(line);
    if (!entry || !to.paths.some((root) => isAtOrUnder(entry.path, root))) return;
    if (entry.type === 'dir') changes.push({ path: entry.path, change: 'added', type: 'dir', bytes: 0 });
    else if (entry.type === 'file') {
      sizes.set(entry.path, entry.size ?? 0);
      changes.push({ path: entry.path, change: 'added', type: 'file', bytes: entry.size ?? 0 });
    }
  });
  const fileCount = changes.filter((change) => change.type === 'file').length;
  return summarise(plan, undefined, to, changes, sizes, redirects, {
    files: { added: fileCount, removed: 0, changed: 0 },
    dirs: { added: changes.length - fileCount, removed: 0 },
    stored: null,
  });
}

function summarise(
  plan: string,
  from: PlanSnapshot | undefined,
  to: PlanSnapshot,
  changes: PathChange[],
  sizesAfter: Map<string, number>,
  redirects: Redirect[],
  counts: Pick<SnapshotDiff, 'files' | 'dirs' | 'stored'>,
): SnapshotDiff {
  const sizes = new Map([...sizesAfter].map(([path, size]) => [originalPath(path, redirects), size]));
  const shown = changes.map((change) => ({ ...change, path: originalPath(change.path, redirects) }));
  const files = shown.filter((change) => change.type === 'file');
  const added = files.reduce((sum, change) => sum + Math.max(0, change.bytes), 0);
  const removed = files.reduce((sum, change) => sum + Math.max(0, -change.bytes), 0);
  const topPaths = files
    .filter((change) => change.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || compare(a.path, b.path))
    .slice(0, TOP_PATHS)
    .map((change) => ({ path: change.path, change: change.change, bytes: change.bytes, size: sizes.get(change.path) ?? 0 }));
  const roots = [...new Set([...(from?.paths ?? []), ...to.paths].map((path) => originalPath(path, redirects)))];
  const topFolders = folderGrowth(files, roots);
  const net = added - removed;
  const mostly =
    net > 0
      ? (topFolders
          .filter((folder) => folder.bytes * 2 >= net)
          .sort((a, b) => depth(b.path) - depth(a.path) || b.bytes - a.bytes)
          .map((folder) => ({ path: folder.path, bytes: folder.bytes }))[0] ?? null)
      : null;
  return {
    plan,
    from: from ? snapshotRef(from) : null,
    to: snapshotRef(to),
    ...counts,
    bytes: { added, removed, net },
    topPaths,
    topFolders,
    mostly,
    changes: shown.slice(0, MAX_CHANGES),
    moreChanges: Math.max(0, shown.length - MAX_CHANGES),
  };
}

/**
 * Net growth of every folder at or under a backed-up root, counted through all its subfolders.
 * A folder whose growth all came through one child folder is left out: the child says more.
 */
export function folderGrowth(files: PathChange[], roots: string[]): FolderGrowth[] {
  const growth = new Map<string, FolderGrowth>();
  for (const file of files) {
    for (let folder = dirname(file.path); ; folder = dirname(folder)) {
      if (roots.some((root) => isAtOrUnder(folder, root))) {
        const entry = growth.get(folder) ?? { path: folder, bytes: 0, files: 0 };
        entry.bytes += file.bytes;
        entry.files += 1;
        growth.set(folder, entry);
      }
      if (dirname(folder) === folder) break;
    }
  }
  const explainedByChild = new Set<string>();
  for (const entry of growth.values()) {
    const parent = growth.get(dirname(entry.path));
    if (parent && parent.path !== entry.path && parent.bytes === entry.bytes) explainedByChild.add(parent.path);
  }
  return [...growth.values()]
    .filter((entry) => entry.bytes > 0 && !explainedByChild.has(entry.path))
    .sort((a, b) => b.bytes - a.bytes || compare(a.path, b.path))
    .slice(0, TOP_FOLDERS);
}

function isAtOrUnder(path: string, root: string): boolean {
  const base = root.endsWith(sep) ? root.slice(0, -1) : root;
  return path === base || path.startsWith(`${base}${sep}`);
}

function depth(path: string): number {
  return path.split(sep).length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The run card's line: "312 files changed, +1.4 GiB, mostly ~/Videos/raw (1.2 GiB)". */
export function describeDiff(diff: Pick<SnapshotDiff, 'from' | 'files' | 'dirs' | 'bytes' | 'mostly'>, home?: string): string {
  const shown = (path: string) => (home && isAtOrUnder(path, home) ? `~${path.slice(home.length)}` : path);
  const count = diff.files.added + diff.files.removed + diff.files.changed;
  if (count === 0 && diff.dirs.added + diff.dirs.removed === 0) return 'Nothing changed.';
  const { net } = diff.bytes;
  const sign = net < 0 ? '−' : '+';
  const files = diff.from ? `${count} ${count === 1 ? 'file' : 'files'} changed` : `${count} ${count === 1 ? 'file' : 'files'} in the first backup`;
  const mostly = diff.mostly ? `, mostly ${shown(diff.mostly.path)} (${formatBytes(diff.mostly.bytes)})` : '';
  return `${files}, ${sign}${formatBytes(Math.abs(net))}${mostly}`;
}
