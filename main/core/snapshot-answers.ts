import type { Retention } from './config/schema.ts';
import type { Plan } from './config/types.ts';
import type { RunChanges, RunChangesStore } from './history/run-changes.ts';
import { describeDiff, diffSnapshots, type SnapshotDiff } from './restic/diff.ts';
import type { ResticReader } from './restic/restic-read.ts';
import { previewRetention, type RetentionPreview } from './restic/retention-preview.ts';
import { checkedSnapshotId } from './restic/snapshot-id.ts';
import { type FileVersions, fileVersions, type RestoredVersion, restoreVersion } from './restic/versions.ts';
import { planTags } from './runs/backup-run.ts';
import type { RunRecord } from './runs/run-record.ts';
import { expandHome } from './util/paths.ts';

export interface SnapshotAnswersOptions {
  plan: (id: string) => Plan;
  /** Whether the plan's repository is append-only: Lifeboat removes nothing there, whatever the policy. */
  appendOnly?: ((plan: Plan) => boolean) | undefined;
  reader: (plan: Plan, signal?: AbortSignal) => Promise<ResticReader>;
  changes: RunChangesStore;
  historyDays: () => number;
  now: () => Date;
}

/**
 * Read-only answers about a plan's snapshots, for every shell alike: what changed between two,
 * every version of one file (and putting one back), what a retention policy would remove.
 */
export class SnapshotAnswers {
  private readonly options: SnapshotAnswersOptions;

  constructor(options: SnapshotAnswersOptions) {
    this.options = options;
  }

  /** What changed: `to` (default latest) against `from` (default the snapshot before it). */
  async diff(planId: string, snapshots: { from?: string | undefined; to?: string | undefined } = {}, signal?: AbortSignal): Promise<SnapshotDiff> {
    // Ids are checked before anything else runs, restic least of all.
    if (snapshots.from !== undefined) checkedSnapshotId(snapshots.from);
    if (snapshots.to !== undefined) checkedSnapshotId(snapshots.to);
    const plan = this.options.plan(planId);
    return diffSnapshots(await this.options.reader(plan, signal), { plan: plan.id, tags: planTags(plan.id), sources: this.sources(plan), ...snapshots });
  }

  /** Every stored version of the file at `path` (absolute), newest first. */
  async versions(planId: string, path: string, signal?: AbortSignal): Promise<FileVersions> {
    const plan = this.options.plan(planId);
    return fileVersions(await this.options.reader(plan, signal), { plan: plan.id, tags: planTags(plan.id), sources: this.sources(plan), path });
  }

  /** Puts back the file at `path` as it was in `snapshot`: beside the live file, or in its place (the live content kept beside). */
  async restoreVersion(
    planId: string,
    path: string,
    snapshot: string,
    options: { inPlace?: boolean | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<RestoredVersion> {
    checkedSnapshotId(snapshot);
    const plan = this.options.plan(planId);
    return restoreVersion(await this.options.reader(plan, options.signal), {
      plan: plan.id,
      tags: planTags(plan.id),
      sources: this.sources(plan),
      path,
      snapshot,
      inPlace: options.inPlace,
      now: this.options.now(),
    });
  }

  /** What `forget` would keep and remove with the plan's policy, or with `draft` (not saved). Nothing is removed. */
  async retentionPreview(planId: string, draft?: Retention | null, signal?: AbortSignal): Promise<RetentionPreview> {
    const plan = this.options.plan(planId);
    const retention = draft === undefined ? plan.retention : draft;
    return previewRetention(await this.options.reader(plan, signal), {
      plan: plan.id,
      tags: planTags(plan.id),
      retention,
      appendOnly: this.options.appendOnly?.(plan) ?? false,
    });
  }

  /** What a backup run changed (its snapshot against the plan's one before), stored beside the run. */
  async recordChanges(run: RunRecord): Promise<RunChanges | undefined> {
    if (!run.snapshotId) return undefined;
    const plan = this.options.plan(run.plan);
    const diff = await diffSnapshots(await this.options.reader(plan), {
      plan: plan.id,
      tags: planTags(plan.id),
      sources: this.sources(plan),
      to: run.snapshotId,
      firstIsAllNew: true,
    });
    const { changes: _changes, moreChanges: _more, ...bounded } = diff;
    const now = this.options.now();
    const changes: RunChanges = { ...bounded, run: run.id, sentence: describeDiff(diff), computedAt: now.toISOString() };
    await this.options.changes.save(changes, { keepSince: new Date(now.getTime() - this.options.historyDays() * 86_400_000) });
    return changes;
  }

  /** The stored changes of a run, or undefined (not a backup, not ready yet, or older than this record). */
  changesOf(runId: string): Promise<RunChanges | undefined> {
    return this.options.changes.read(runId);
  }

  private sources(plan: Plan): string[] {
    return plan.sources.map((source) => expandHome(source));
  }
}
