/**
 * Every stored version of one file: its node in each snapshot's tree (read with `restic cat
 * blob <tree>`, as `ls --json` has no content ids), grouped so that a stretch of snapshots with
 * the same content blobs is one version. A version is restored with `restic dump`, beside the
 * live file or in its place; nothing there is ever overwritten without a copy kept.
 */

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, normalize, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import { inPool } from '../util/in-pool.ts';
import { classifyResticError } from './classify.ts';
import { resticEnvironment } from './credentials.ts';
import { runRestic } from './process.ts';
import { ResticError } from './restic.ts';
import { type PlanSnapshot, planSnapshots, type ResticReader, readJson, type SnapshotRef, snapshotRef, WayOutError } from './restic-read.ts';
import { redirectsOf, storedPath } from './snapshot-paths.ts';

export interface FileVersion {
  /** Tells contents apart: a digest of the file's content blob ids. */
  content: string;
  size: number;
  mtime: string;
  /** The oldest and newest snapshot holding this content, in one unbroken stretch. */
  firstSnapshot: SnapshotRef;
  lastSnapshot: SnapshotRef;
  snapshots: number;
  /** False for the oldest version, and for content that came back the same after the file was gone. */
  differsFromPrevious: boolean;
}

export interface FileVersions {
  plan: string;
  path: string;
  /** How many of the plan's snapshots were looked at. */
  searched: number;
  /** Newest first. */
  versions: FileVersion[];
}

export interface VersionRequest {
  plan: string;
  tags: string[];
  /** The plan's sources (absolute): a path outside them is refused with their names. */
  sources: string[];
  /** The file's absolute path, as backed up. */
  path: string;
}

interface TreeNode {
  name: string;
  type: string;
  size?: number;
  mode?: number;
  mtime?: string;
  content?: string[] | null;
  subtree?: string;
}

type Found = { kind: 'file'; node: TreeNode } | { kind: 'dir'; node: TreeNode } | { kind: 'absent' };

/** Reads trees once each: snapshots share most of theirs. */
class TreeReader {
  private readonly trees = new Map<string, Promise<TreeNode[]>>();
  private readonly reader: ResticReader;

  constructor(reader: ResticReader) {
    this.reader = reader;
  }

  nodes(id: string): Promise<TreeNode[]> {
    let nodes = this.trees.get(id);
    if (!nodes) {
      if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`restic gave a tree id that is not one: ${JSON.stringify(id)}`);
      nodes = readJson<{ nodes: TreeNode[] | null }>(this.reader, ['cat', '--no-lock', 'blob', id], { nodes: [] }).then((tree) => tree.nodes ?? []);
      this.trees.set(id, nodes);
    }
    return nodes;
  }

  /** The node at `path` (absolute) in the tree `root`. */
  async find(root: string, path: string): Promise<Found> {
    const parts = path.split(sep).filter((part) => part !== '');
    let tree = root;
    for (const [index, part] of parts.entries()) {
      const node = (await this.nodes(tree)).find((candidate) => candidate.name === part || goUnquoted(candidate.name) === part);
      if (!node) return { kind: 'absent' };
      if (index === parts.length - 1) return node.type === 'dir' ? { kind: 'dir', node } : { kind: 'file', node };
      if (node.type !== 'dir' || !node.subtree) return { kind: 'absent' };
      tree = node.subtree;
    }
    return { kind: 'absent' };
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };

/**
 * restic (0.14 to 0.16) keeps a node's name in its tree as Go's strconv.Quote wrote it, without
 * the outer quotes: `a"b` is stored as `a\"b`, a newline as `\n`, a byte that is not UTF-8 as
 * `\xff`. This reads such a name back.
 */
export function goUnquoted(name: string): string {
  if (!name.includes('\\')) return name;
  const bytes: number[] = [];
  const pushText = (text: string) => bytes.push(...Buffer.from(text, 'utf8'));
  for (let i = 0; i < name.length; i += 1) {
    const char = name[i]!;
    if (char !== '\\') {
      const code = name.codePointAt(i)!;
      pushText(String.fromCodePoint(code));
      if (code > 0xffff) i += 1;
      continue;
    }
    const next = name[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 1;
    } else if (next === 'x') {
      bytes.push(Number.parseInt(name.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next === 'u' || next === 'U') {
      const length = next === 'u' ? 4 : 8;
      pushText(String.fromCodePoint(Number.parseInt(name.slice(i + 2, i + 2 + length), 16)));
      i += 1 + length;
    } else if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(name.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      pushText(char);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function contentKey(node: TreeNode): string {
  return createHash('sha256')
    .update(`${node.type}\n${(node.content ?? []).join('\n')}`)
    .digest('hex')
    .slice(0, 16);
}

/** A path as it may be shown in a sentence: quoted (a newline stays visible), a huge one cut short. */
function shown(path: string): string {
  return path.length > 300 ? `${JSON.stringify(path.slice(0, 300))}…` : JSON.stringify(path);
}

/** A full path under one of the plan's sources, or a sentence that says what to give instead. */
export function checkUnderSources(request: Pick<VersionRequest, 'plan' | 'sources' | 'path'>): void {
  if (!isAbsolute(request.path) || normalize(request.path) !== request.path) {
    throw new UserError(`${shown(request.path)} is not a full path; give the file's absolute path, e.g. "${join(request.sources[0] ?? '/', 'notes.txt')}".`, {
      kind: 'invalid',
    });
  }
  const inside = request.sources.some((source) => request.path === source || request.path.startsWith(source.endsWith(sep) ? source : `${source}${sep}`));
  if (!inside) {
    throw new UserError(
      `${shown(request.path)} is not under any source of plan "${request.plan}" (${request.sources.join(', ')}). Give the path of a file under one of them.`,
      { kind: 'not-found' },
    );
  }
}

/** Every stored version of one file, newest first. */
export async function fileVersions(reader: ResticReader, request: VersionRequest): Promise<FileVersions> {
  checkUnderSources(request);
  const snapshots = await planSnapshots(reader, request.tags);
  const trees = new TreeReader(reader);
  // A snapshot of a source a hook redirected holds it under the redirected path.
  const found = await inPool(snapshots, 3, (snapshot) => trees.find(snapshot.tree, storedPath(request.path, redirectsOf(snapshot, request.sources))));
  const folder = found.find((entry) => entry.kind === 'dir');
  if (folder && !found.some((entry) => entry.kind === 'file')) {
    throw new UserError(
      `${shown(request.path)} is a folder; versions lists the versions of one file. Give a file in it, e.g. "lifeboat versions ${request.plan} ${join(request.path, '<file>')}".`,
      { kind: 'refused' },
    );
  }
  const versions: FileVersion[] = [];
  let current: FileVersion | undefined;
  let seenBefore: string | undefined;
  for (const [index, entry] of found.entries()) {
    const snapshot = snapshots[index]!;
    if (entry.kind !== 'file') {
      current = undefined; // the file was gone: what comes back is a stretch of its own
      continue;
    }
    const content = contentKey(entry.node);
    if (current && current.content === content) {
      current.lastSnapshot = snapshotRef(snapshot);
      current.snapshots += 1;
      continue;
    }
    current = {
      content,
      size: entry.node.size ?? 0,
      mtime: entry.node.mtime ?? snapshot.time,
      firstSnapshot: snapshotRef(snapshot),
      lastSnapshot: snapshotRef(snapshot),
      snapshots: 1,
      differsFromPrevious: seenBefore !== undefined && seenBefore !== content,
    };
    versions.push(current);
    seenBefore = content;
  }
  if (versions.length === 0) {
    const count = `${snapshots.length} snapshot(s)`;
    throw new UserError(
      `${shown(request.path)} is in none of the ${count} of plan "${request.plan}". Give the path of a file under ${request.sources.join(', ')} as it was when it was backed up (a moved or renamed file keeps its old path in older snapshots).`,
      { kind: 'not-found' },
    );
  }
  return { plan: request.plan, path: request.path, searched: snapshots.length, versions: versions.reverse() };
}

export interface RestoreVersionRequest extends VersionRequest {
  /** One of the plan's snapshots, found already (SnapshotAnswers.snapshot): the restore is about that one. */
  snapshot: PlanSnapshot;
  /** Replace the live file (kept beside it under a new name when it differs) instead of restoring beside it. */
  inPlace?: boolean | undefined;
  now?: Date | undefined;
}

export interface RestoredVersion {
  snapshot: SnapshotRef;
  restoredTo: string;
  /** In place: where the live file's content was kept (null when there was none, or it was the same). */
  keptLiveAs: string | null;
  size: number;
}

function localStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return process.platform === 'win32' ? stamp.replace(':', '.') : stamp; // no colons in Windows file names
}

function labelled(name: string, label: string, copy = 1): string {
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  const suffix = ext && ext !== name ? ext : '';
  return `${stem} (${label})${copy > 1 ? ` ${copy}` : ''}${suffix}`;
}

/** `report (2026-11-20 14:00).txt`: the name a version restored beside the live file gets. */
export function versionFileName(name: string, snapshotTime: string, copy = 1): string {
  return labelled(name, localStamp(new Date(snapshotTime)), copy);
}

/** Links `from` to the first free name `nameFor(copy)` beside `folder` and returns it; never replaces a file. */
async function linkToFreeName(from: string, folder: string, nameFor: (copy: number) => string): Promise<string> {
  for (let copy = 1; copy < 1000; copy += 1) {
    const target = join(folder, nameFor(copy));
    try {
      await link(from, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new UserError(`There are already 999 restored copies of ${basename(from)} in ${folder}; remove some and try again.`, { kind: 'refused' });
}

async function digest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `restic dump` of one file into `target`, byte for byte (stdout straight to the file, at the pace the disk takes it). */
async function dumpFile(reader: ResticReader, snapshot: PlanSnapshot, path: string, target: string): Promise<void> {
  const invocation = await runRestic({
    binary: reader.binary,
    args: ['dump', '--no-lock', '--', snapshot.id, path],
    env: resticEnvironment(reader.access, reader.processEnv),
    redactor: reader.access.redactor,
    signal: reader.signal,
    stdoutFile: target,
  });
  if (invocation.cancelled) throw new ResticError({ kind: 'cancelled', message: 'restic dump was cancelled.' }, [invocation]);
  if (invocation.exitCode === 0) return;
  const failure = classifyResticError(invocation.exitCode, invocation.stderr, {
    repository: reader.access.displayUrl,
    passwordSource: reader.access.passwordSource,
    command: 'dump',
  });
  throw new ResticError(failure, [invocation]);
}

/** Restores the file as it was in `snapshot`: beside the live file (a dated name), or in its place. */
export async function restoreVersion(reader: ResticReader, request: RestoreVersionRequest): Promise<RestoredVersion> {
  checkUnderSources(request);
  const { snapshot } = request;
  const inSnapshot = storedPath(request.path, redirectsOf(snapshot, request.sources));
  const found = await new TreeReader(reader).find(snapshot.tree, inSnapshot);
  if (found.kind !== 'file' || found.node.type !== 'file') {
    const what = found.kind === 'dir' ? 'a folder' : found.kind === 'file' ? `a ${found.node.type}, not a file` : 'not in it';
    throw new WayOutError(
      `${shown(request.path)} is ${what} in snapshot ${snapshot.shortId}.`,
      { to: 'file-version', plan: request.plan },
      { kind: 'not-found' },
    );
  }
  const folder = dirname(request.path);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.lifeboat-version-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await dumpFile(reader, snapshot, inSnapshot, temp);
    if (found.node.mode !== undefined) await chmod(temp, found.node.mode & 0o7777);
    if (found.node.mtime) await utimes(temp, new Date(found.node.mtime), new Date(found.node.mtime));
    const size = (await stat(temp)).size;
    const name = basename(request.path);
    if (!request.inPlace) {
      const restoredTo = await linkToFreeName(temp, folder, (copy) => versionFileName(name, snapshot.time, copy));
      return { snapshot: snapshotRef(snapshot), restoredTo, keptLiveAs: null, size };
    }
    let keptLiveAs: string | null = null;
    const live = await stat(request.path).catch(() => undefined);
    if (live && !live.isFile()) {
      throw new WayOutError(`${shown(request.path)} is not a file now.`, { to: 'restore-beside' }, { kind: 'refused' });
    }
    if (live && (await digest(request.path)) !== (await digest(temp))) {
      const stamp = localStamp(request.now ?? new Date());
      keptLiveAs = await linkToFreeName(request.path, folder, (copy) => labelled(name, `replaced ${stamp}`, copy));
    }
    await rename(temp, request.path);
    return { snapshot: snapshotRef(snapshot), restoredTo: request.path, keptLiveAs, size };
  } finally {
    await rm(temp, { force: true });
  }
}
