import { excludeTarget } from './config/exclude-path.ts';
import type { Retention } from './config/schema.ts';
import type { Plan } from './config/types.ts';
import type { RunChanges, RunChangesStore } from './history/run-changes.ts';
import { describeDiff, diffSnapshots, type SnapshotDiff } from './restic/diff.ts';
import { countUnder, type ExcludeCount } from './restic/exclude-preview.ts';
import type { OverwritePolicy } from './restic/restic.ts';
import { findSnapshot, type PlanSnapshot, planSnapshots, type ResticReader } from './restic/restic-read.ts';
import { previewRestore, type RestorePreview } from './restic/restore-preview.ts';
import { previewRetention, type RetentionPreview } from './restic/retention-preview.ts';
import { checkedSnapshotId } from './restic/snapshot-id.ts';
import { type Redirect, redirectsOf } from './restic/snapshot-paths.ts';
import { type FileVersions, fileVersions, type RestoredVersion, restoreVersion } from './restic/versions.ts';
import { planTags } from './runs/backup-run.ts';
import type { RunRecord } from './runs/run-record.ts';
import { UserError } from './util/errors.ts';
import { expandHome } from './util/paths.ts';

/** What excluding one path would do: the exclude itself, and what the next backup would skip. */
export interface ExcludePreview extends ExcludeCount {
  plan: string;
  /** The path, full and normalised. */
  path: string;
  /** The exclude that would be added to the plan. */
  pattern: string;
  /** The plan has that exclude already. */
  alreadyExcluded: boolean;
}

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

  /**
   * Puts back the file at `path` as it was in `snapshot` (one of the plan's, found with `snapshot()`):
   * beside the live file, or in its place (the live content kept beside).
   */
  async restoreVersion(
    planId: string,
    path: string,
    snapshot: PlanSnapshot,
    options: { inPlace?: boolean | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<RestoredVersion> {
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

  /**
   * What a restore would do, file by file: in place by `overwrite`, or into `target` (checked
   * already). Nothing is written.
   */
  async restorePreview(
    planId: string,
    snapshot: string,
    options: { include: string[]; overwrite?: OverwritePolicy | undefined; target?: string | undefined },
    signal?: AbortSignal,
  ): Promise<RestorePreview> {
    checkedSnapshotId(snapshot);
    const plan = this.options.plan(planId);
    return previewRestore(await this.options.reader(plan, signal), {
      plan: plan.id,
      tags: planTags(plan.id),
      sources: this.sources(plan),
      snapshot,
      include: options.include,
      overwrite: options.overwrite,
      target: options.target,
    });
  }

  /**
   * The plan's snapshot that `id` names (`latest`, a full id or a prefix of one), found as diff,
   * versions and the restore preview find it: another plan's snapshot in the same repository is
   * not one, and neither is an id the repository does not have. Browse finds it by its own
   * listing instead (listPlanSnapshot), with no call of its own.
   */
  async snapshot(planId: string, id: string, signal?: AbortSignal): Promise<PlanSnapshot> {
    checkedSnapshotId(id);
    const plan = this.options.plan(planId);
    return findSnapshot(await planSnapshots(await this.options.reader(plan, signal), planTags(plan.id)), id, plan.id);
  }

  /** The sources a hook redirected in `snapshot` (LIFEBOAT_SNAPSHOT_PATH): where the snapshot holds them. */
  redirects(planId: string, snapshot: PlanSnapshot): Redirect[] {
    return redirectsOf(snapshot, this.sources(this.options.plan(planId)));
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

  /** What excluding `path` from the plan would skip: the files under it in the latest snapshot. Checked first: a full path inside the plan's sources. */
  async excludePreview(planId: string, path: string, signal?: AbortSignal): Promise<ExcludePreview> {
    const plan = this.options.plan(planId);
    const sources = this.sources(plan);
    const target = excludeTarget(plan.id, sources, path);
    const count = await countUnder(await this.options.reader(plan, signal), { tags: planTags(plan.id), sources, path: target.path });
    return { plan: plan.id, ...target, ...count, alreadyExcluded: plan.excludes.includes(target.pattern) };
  }

  /** What a backup run changed (its snapshot against the plan's one before), stored beside the run. */
  async recordChanges(run: RunRecord, signal?: AbortSignal): Promise<RunChanges | undefined> {
    if (!run.snapshotId) return undefined;
    const plan = this.options.plan(run.plan);
    const reader = await this.options.reader(plan, signal);
    let diff: SnapshotDiff;
    try {
      diff = await diffSnapshots(reader, { plan: plan.id, tags: planTags(plan.id), sources: this.sources(plan), to: run.snapshotId, firstIsAllNew: true });
    } catch (error) {
      // With the newer snapshot named and a first one told as all new, only the run's own snapshot can be missing.
      if (error instanceof UserError && error.kind === 'not-found')
        throw new UserError(
          `The snapshot run ${run.id} made (${run.snapshotId.slice(0, 8)}) is no longer in the repository (retention or a forget removed it), so what that run changed cannot be worked out now.`,
          { kind: 'not-found', cause: error },
        );
      throw error;
    }
    return this.keepChanges(run.id, diff);
  }

  /** Stores a diff of a run's snapshot against the one before it as that run's changes (bounded). */
  async keepChanges(runId: string, diff: SnapshotDiff): Promise<RunChanges> {
    const { changes: _changes, moreChanges: _more, ...bounded } = diff;
    const now = this.options.now();
    const changes: RunChanges = { ...bounded, run: runId, sentence: describeDiff(diff), computedAt: now.toISOString() };
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
