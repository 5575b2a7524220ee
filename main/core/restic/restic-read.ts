/**
 * Read-only restic commands for the answers about a plan's snapshots (diff, versions,
 * retention preview, browse): lock-free where restic allows it, secrets by environment, every
 * kept text redacted, a failure told as a ResticError in plain words. A snapshot that is not the
 * plan's is refused with a WayOutError, whose way out each shell words in its own.
 */

import { type ErrorKind, UserError } from '../util/errors.ts';
import { classifyResticError } from './classify.ts';
import { type ResticAccess, resticEnvironment } from './credentials.ts';
import type { SnapshotEntry } from './messages.ts';
import { type ResticInvocation, runRestic } from './process.ts';
import { type Restic, ResticError, type SnapshotListing, tagFilter } from './restic.ts';
import { checkedSnapshotId } from './snapshot-id.ts';

/**
 * What to do about a refusal, named apart from what is wrong, for each shell to say in its own
 * words: the engine and the API say it in the app's (wayOutInApp), `lifeboat` by its commands
 * and flags (main/cli/commands/restore.ts).
 */
export type WayOut =
  /** Another destination for a restore: an empty folder, or the original location with a choice for the files there already. */
  | { to: 'destination' }
  /** One of the plan's snapshots. */
  | { to: 'plan-snapshot'; plan: string }
  /** The plan's first backup, to make a snapshot. */
  | { to: 'first-backup'; plan: string }
  /** A version the file's history lists. */
  | { to: 'file-version'; plan: string }
  /** The version put back beside the live file rather than in its place. */
  | { to: 'restore-beside' };

/** The way out in the app's words: what its restore dialog, snapshot list and file history call things. */
export function wayOutInApp(wayOut: WayOut): string {
  switch (wayOut.to) {
    case 'destination':
      return 'Choose an empty folder to restore into, or restore to the original location and choose what happens to files that are there already.';
    case 'plan-snapshot':
      return "Pick one from the plan's snapshots.";
    case 'first-backup':
      return 'Back it up to make one.';
    case 'file-version':
      return "Pick a version from the file's history.";
    case 'restore-beside':
      return 'Move it away first, or use "Restore beside" instead.';
  }
}

/**
 * A refusal whose `problem` is kept apart from its way out (when it has one): the message adds
 * the way out in the app's words, and the CLI says the same `problem` with its own.
 */
export class WayOutError extends UserError {
  override name = 'WayOutError';
  /** What is wrong, without the way out. */
  readonly problem: string;
  readonly wayOut: WayOut | undefined;
  constructor(problem: string, wayOut: WayOut | undefined, options: { kind: ErrorKind; cause?: unknown }) {
    super(wayOut ? `${problem} ${wayOutInApp(wayOut)}` : problem, options);
    this.problem = problem;
    this.wayOut = wayOut;
  }
}

/** What it takes to run restic against one repository. */
export interface ResticReader {
  binary: string;
  access: ResticAccess;
  processEnv?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
}

/** Runs `restic <args>` and hands each stdout line to `onLine`; throws a ResticError when restic fails. */
export async function readLines(reader: ResticReader, args: string[], onLine: (line: string) => void): Promise<ResticInvocation> {
  const invocation = await runRestic({
    binary: reader.binary,
    args,
    env: resticEnvironment(reader.access, reader.processEnv),
    redactor: reader.access.redactor,
    signal: reader.signal,
    onStdoutLine: onLine,
    keepStdoutLine: () => false,
  });
  if (invocation.cancelled) throw new ResticError({ kind: 'cancelled', message: `restic ${invocation.command} was cancelled.` }, [invocation]);
  if (invocation.exitCode !== 0) {
    const failure = classifyResticError(invocation.exitCode, invocation.stderr, {
      repository: reader.access.displayUrl,
      passwordSource: reader.access.passwordSource,
      command: invocation.command,
    });
    throw new ResticError(failure, [invocation]);
  }
  return invocation;
}

/** Runs `restic <args>` whose stdout is one JSON value (restic prints nothing when there is nothing). */
export async function readJson<T>(reader: ResticReader, args: string[], empty: T): Promise<T> {
  const lines: string[] = [];
  await readLines(reader, args, (line) => lines.push(line));
  const text = lines.join('\n').trim();
  if (text === '') return empty;
  // Some restic versions print a plain-text line before the JSON value.
  const start = text.search(/^[[{]/m);
  return JSON.parse(start > 0 ? text.slice(start) : text) as T;
}

/** A snapshot with what the answers need: its root tree and its backed-up paths. */
export interface PlanSnapshot {
  id: string;
  shortId: string;
  time: string;
  tree: string;
  paths: string[];
  tags: string[];
}

/** The snapshots that carry every one of `tags`, oldest first. */
export async function planSnapshots(reader: ResticReader, tags: string[]): Promise<PlanSnapshot[]> {
  const args = ['snapshots', '--json', '--no-lock', ...tagFilter(tags)];
  const raw = await readJson<Array<Record<string, unknown>> | null>(reader, args, []);
  return (raw ?? [])
    .map((snapshot) => ({
      id: String(snapshot.id),
      shortId: String(snapshot.short_id ?? String(snapshot.id).slice(0, 8)),
      time: String(snapshot.time),
      tree: String(snapshot.tree),
      paths: Array.isArray(snapshot.paths) ? snapshot.paths.map(String) : [],
      tags: Array.isArray(snapshot.tags) ? snapshot.tags.map(String) : [],
    }))
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/**
 * The snapshot `id` names among `snapshots` (oldest first): `latest`, or a full id or a prefix
 * of one. A value that is not an id is refused before restic runs; one that is not among them
 * is a sentence that says where to find the plan's ids.
 */
export function findSnapshot(snapshots: PlanSnapshot[], id: string, planId: string): PlanSnapshot {
  checkedSnapshotId(id);
  if (snapshots.length === 0) throw noSnapshotYet(planId);
  if (id.toLowerCase() === 'latest') return snapshots[snapshots.length - 1]!;
  const matches = snapshots.filter((snapshot) => snapshot.id.startsWith(id.toLowerCase()));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UserError(`${id} names ${matches.length} snapshots of plan "${planId}"; give more of its id.`, { kind: 'refused' });
  throw notPlansSnapshot(id, planId);
}

function noSnapshotYet(planId: string, cause?: unknown): WayOutError {
  return new WayOutError(`Plan "${planId}" has no snapshots yet.`, { to: 'first-backup', plan: planId }, { kind: 'not-found', cause });
}

function notPlansSnapshot(id: string, planId: string, cause?: unknown): WayOutError {
  return new WayOutError(`${id} is not a snapshot of plan "${planId}".`, { to: 'plan-snapshot', plan: planId }, { kind: 'not-found', cause });
}

/**
 * The entries of one of the plan's snapshots (`latest`, a full id or a prefix), under `path` if
 * given, with one restic call: `ls --json` names the snapshot it lists on its first line, and one
 * without all of the plan's tags (another plan's in the same repository) is refused as findSnapshot
 * refuses it, as is an id restic finds no snapshot for (0.14 says so on stderr and lists nothing;
 * 0.17 and newer fail). A prefix of several snapshots in the repository is restic's refusal.
 */
export async function listPlanSnapshot(
  restic: Restic,
  request: { plan: string; tags: string[]; id: string; path?: string | undefined; signal?: AbortSignal | undefined },
): Promise<SnapshotEntry[]> {
  const latest = request.id.toLowerCase() === 'latest';
  const refused = (cause?: unknown) => (latest ? noSnapshotYet(request.plan, cause) : notPlansSnapshot(request.id, request.plan, cause));
  let listing: SnapshotListing;
  try {
    // `latest` is the plan's latest; an id is restic's to find, and its tags are checked here.
    listing = await restic.listing(request.id, { path: request.path, tags: latest ? request.tags : undefined, signal: request.signal });
  } catch (error) {
    if (error instanceof ResticError && error.failure.kind === 'snapshot-missing') throw refused(error);
    throw error;
  }
  const { snapshot } = listing;
  if (!snapshot || !request.tags.every((tag) => snapshot.tags.includes(tag))) throw refused();
  return listing.entries;
}

/** How a snapshot is told to a person and in JSON: its id, short id and time. */
export interface SnapshotRef {
  id: string;
  shortId: string;
  time: string;
}

export function snapshotRef(snapshot: PlanSnapshot): SnapshotRef {
  return { id: snapshot.id, shortId: snapshot.shortId, time: snapshot.time };
}
