/**
 * Read-only restic commands for the answers about a plan's snapshots (diff, versions,
 * retention preview): lock-free where restic allows it, secrets by environment, every kept
 * text redacted, a failure told as a ResticError in plain words.
 */

import { UserError } from '../util/errors.ts';
import { classifyResticError } from './classify.ts';
import { type ResticAccess, resticEnvironment } from './credentials.ts';
import { type ResticInvocation, runRestic } from './process.ts';
import { ResticError, tagFilter } from './restic.ts';
import { checkedSnapshotId } from './snapshot-id.ts';

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
  if (snapshots.length === 0) throw new UserError(`Plan "${planId}" has no snapshots yet. Run "lifeboat run ${planId}" to make one.`, { kind: 'not-found' });
  if (id.toLowerCase() === 'latest') return snapshots[snapshots.length - 1]!;
  const matches = snapshots.filter((snapshot) => snapshot.id.startsWith(id.toLowerCase()));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UserError(`${id} names ${matches.length} snapshots of plan "${planId}"; give more of its id.`, { kind: 'refused' });
  throw new UserError(`${id} is not a snapshot of plan "${planId}". List them with "lifeboat snapshots ${planId}".`, { kind: 'not-found' });
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
