/**
 * What a retention policy would do to a plan's snapshots, with nothing removed: restic's own
 * `forget --dry-run --json`, with the same grouping and keep flags as the plan's real forget.
 */

import type { Retention } from '../config/schema.ts';
import { APPEND_ONLY_RETENTION } from '../config/vocabulary.ts';
import { retentionFlags, tagFilter } from './restic.ts';
import { planSnapshots, type ResticReader, readJson } from './restic-read.ts';

export interface PreviewSnapshot {
  id: string;
  shortId: string;
  time: string;
  /** Why restic keeps it ("last snapshot", "daily snapshot"…); empty for one it removes. */
  reasons: string[];
}

export interface RetentionPreview {
  plan: string;
  /** The policy previewed; null when there is none (everything is kept). */
  retention: Retention | null;
  /** Newest first. */
  keep: PreviewSnapshot[];
  /** Newest first. */
  remove: PreviewSnapshot[];
  oldestKept: string | null;
  /** The repository is append-only: Lifeboat removes nothing there (retention is applied by the server's owner). */
  appendOnly?: boolean | undefined;
}

export interface RetentionRequest {
  plan?: string | undefined;
  /** The plan's snapshots carry all of these tags. */
  tags: string[];
  /** The policy to try: the plan's own, or a draft not saved yet. */
  retention: Retention | null | undefined;
  /** The plan's repository is append-only: nothing is ever removed there from this machine. */
  appendOnly?: boolean | undefined;
}

interface ForgetSnapshot {
  id?: string;
  short_id?: string;
  time?: string;
  tree?: string;
}

interface ForgetGroup {
  keep?: ForgetSnapshot[] | null;
  remove?: ForgetSnapshot[] | null;
  reasons?: Array<{ snapshot?: ForgetSnapshot; matches?: string[] | null }> | null;
}

const newestFirst = (a: PreviewSnapshot, b: PreviewSnapshot) => Date.parse(b.time) - Date.parse(a.time);

/** What `forget` with `retention` would keep and remove among the plan's snapshots. */
export async function previewRetention(reader: ResticReader, request: RetentionRequest): Promise<RetentionPreview> {
  const plan = request.plan ?? request.tags.find((tag) => tag.startsWith('plan:'))?.slice(5) ?? '';
  const flags = request.retention ? retentionFlags(request.retention) : [];
  if (flags.length === 0 || request.appendOnly) {
    // No policy, or one Lifeboat never applies here: restic would remove nothing, and says so only in words.
    const why = request.appendOnly ? APPEND_ONLY_RETENTION : 'no retention policy';
    const keep = (await planSnapshots(reader, request.tags))
      .map((snapshot) => ({ id: snapshot.id, shortId: snapshot.shortId, time: snapshot.time, reasons: [why] }))
      .sort(newestFirst);
    const retention = request.appendOnly ? (request.retention ?? null) : null;
    return { plan, retention, keep, remove: [], oldestKept: keep.at(-1)?.time ?? null, ...(request.appendOnly ? { appendOnly: true } : {}) };
  }
  const args = ['forget', '--dry-run', '--json', '--no-lock', '--group-by', 'host,tags', ...tagFilter(request.tags)];
  args.push(...flags);
  const groups = (await readJson<ForgetGroup[] | null>(reader, args, [])) ?? [];
  const keep: PreviewSnapshot[] = [];
  const remove: PreviewSnapshot[] = [];
  for (const group of groups) {
    const reasons = new Map<string, string[]>();
    for (const reason of group.reasons ?? []) reasons.set(`${reason.snapshot?.time}|${reason.snapshot?.tree}`, reason.matches ?? []);
    const shown = (snapshot: ForgetSnapshot, why: string[]): PreviewSnapshot => ({
      id: String(snapshot.id),
      shortId: String(snapshot.short_id ?? String(snapshot.id).slice(0, 8)),
      time: String(snapshot.time),
      reasons: why,
    });
    for (const snapshot of group.keep ?? []) keep.push(shown(snapshot, reasons.get(`${snapshot.time}|${snapshot.tree}`) ?? []));
    for (const snapshot of group.remove ?? []) remove.push(shown(snapshot, []));
  }
  keep.sort(newestFirst);
  remove.sort(newestFirst);
  return { plan, retention: request.retention ?? null, keep, remove, oldestKept: keep.at(-1)?.time ?? null };
}

/** "Keeps 23 snapshots, removes 14 (oldest kept: 2025-12-01 09:00)." */
export function describeRetentionPreview(preview: RetentionPreview, localTime: (iso: string) => string): string {
  const count = (n: number) => `${n} ${n === 1 ? 'snapshot' : 'snapshots'}`;
  if (preview.appendOnly) {
    return `The repository of plan "${preview.plan}" is append-only: ${APPEND_ONLY_RETENTION}. Lifeboat never runs forget or prune there; all ${count(preview.keep.length)} are kept.`;
  }
  if (!preview.retention) {
    return `Plan "${preview.plan}" has no retention policy: all ${count(preview.keep.length)} are kept. Add "retention" to the plan (e.g. {"keepLast": 5, "keepDaily": 7}) to remove old ones.`;
  }
  const oldest = preview.oldestKept ? ` (oldest kept: ${localTime(preview.oldestKept)})` : '';
  return `Keeps ${count(preview.keep.length)}, removes ${preview.remove.length}${oldest}.`;
}
