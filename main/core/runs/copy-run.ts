import type { CopyTarget, Repository } from '../config/types.ts';
import { APPEND_ONLY_RETENTION } from '../config/vocabulary.ts';
import type { ResticAccess } from '../restic/credentials.ts';
import type { SnapshotOrigin } from '../restic/messages.ts';
import type { ResticInvocation } from '../restic/process.ts';
import { type Restic, ResticError } from '../restic/restic.ts';
import { UserError } from '../util/errors.ts';
import { urlWithoutCredentials } from '../util/redactor.ts';
import { planTags, resticRunStep, skippedForget } from './backup-run.ts';
import type { HookDispatcher } from './hook-dispatcher.ts';
import { runPhase } from './phase.ts';
import type { RepositoryQueue } from './repository-queue.ts';
import type { RunStep } from './run-record.ts';
import type { RunState } from './run-state.ts';

/** A copy target opened: its restic with its own password source. */
export interface OpenedTarget {
  repository: Repository;
  restic: Restic;
  access: ResticAccess;
}

export interface CopyDependencies {
  hooks: HookDispatcher;
  queue: RepositoryQueue;
  /** The plan's own repository, read without a lock and without its queue. */
  source: { restic: Restic; access: ResticAccess };
  /** Opens a target repository; a UserError (no password, no restic) fails that target only. */
  target: (repositoryId: string) => Promise<OpenedTarget>;
}

/**
 * Step 5 of a backup run, when the plan has copyTo, a snapshot was made and nothing stopped the
 * run: the source's queue goes to the next run first, so the copy never holds two queues.
 */
export async function copyAfterBackup(run: RunState, deps: CopyDependencies): Promise<void> {
  const targets = run.plan.copyTo ?? [];
  if (run.stopped || targets.length === 0 || !run.record.snapshotId) return;
  run.releaseRepository();
  await copyPhase(run, deps, targets);
}

/**
 * The copy phase (SPEC §3 step 5): copy.before → for each target, in its queue, `restic copy` of
 * the plan's snapshots it lacks, then its own retention → copy.after. In a backup run a failed
 * copy is a warning (the primary snapshot stays and the next run catches up); in a run of kind
 * copy it is the run's failure.
 */
export async function copyPhase(run: RunState, deps: CopyDependencies, targets: readonly CopyTarget[]): Promise<void> {
  const failed = (message: string) => (run.kind === 'copy' ? run.fail(message) : run.warn(message));
  await runPhase('copy', run, deps.hooks, async () => {
    for (const target of targets) {
      if (run.cancelled) return;
      await copyToTarget(run, deps, target, failed);
    }
  });
}

async function copyToTarget(run: RunState, deps: CopyDependencies, target: CopyTarget, failed: (message: string) => void): Promise<void> {
  let opened: OpenedTarget;
  try {
    opened = await deps.target(target.repository);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    failed(`copy to ${target.repository} failed: ${error.message}`);
    return;
  }
  // Whatever the run keeps passes through the run's redactor: it learns the target's secrets too.
  run.redactor.merge(opened.access.redactor);
  await deps.queue.enqueue(target.repository, async () => {
    if (run.cancelled) return;
    const tags = planTags(run.plan.id);
    const label = `${target.repository} (${urlWithoutCredentials(opened.repository.url)})`;
    const record = (invocations: ResticInvocation[]) => {
      for (const invocation of invocations) run.addStep(labelled(resticRunStep(invocation), label));
    };
    run.stepStarted('restic', 'copy', null);
    try {
      // Without a retention of its own the target gets every snapshot it lacks, as restic itself tells
      // them apart; with one, Lifeboat picks them, so what that retention removed is not sent again.
      const ids = target.retention ? await snapshotsToCopy(deps.source.restic, opened.restic, tags, run.signal) : undefined;
      if (ids === undefined || ids.length > 0) record((await opened.restic.copy(deps.source.access, { ids, tags, signal: run.signal })).invocations);
    } catch (error) {
      if (!(error instanceof ResticError)) throw error;
      record(error.invocations);
      if (error.failure.kind !== 'cancelled') failed(`copy to ${target.repository} failed: ${error.message}`);
      return;
    }
    if (!target.retention || run.cancelled) return;
    if (opened.repository.appendOnly) {
      run.addStep(skippedForget(`${label}: append-only; ${APPEND_ONLY_RETENTION}, so forget was not run.`));
      return;
    }
    try {
      record((await opened.restic.forget(target.retention, { tags, signal: run.signal })).invocations);
    } catch (error) {
      if (!(error instanceof ResticError)) throw error;
      record(error.invocations);
      if (error.failure.kind !== 'cancelled') run.warn(`retention in ${target.repository} failed: ${error.message}`);
    }
  });
}

/**
 * For a target with its own retention: the plan's snapshots it lacks that are newer than the
 * newest one there for the same host (older ones were copied before and removed by that
 * retention), oldest first, so a copy cut short leaves the newest for next time. A copy in the
 * target names its source by `original`.
 */
export async function snapshotsToCopy(source: Restic, target: Restic, tags: string[], signal?: AbortSignal): Promise<string[]> {
  const theirs = await target.snapshotOrigins({ tags, signal });
  const present = new Set(theirs.flatMap((snapshot) => [snapshot.id, snapshot.original ?? snapshot.id]));
  const ours = (await source.snapshotOrigins({ tags, signal })).filter(
    (snapshot) => !present.has(snapshot.id) && !present.has(snapshot.original ?? snapshot.id),
  );
  const newest = newestByHost(theirs);
  return ours
    .filter((snapshot) => Date.parse(snapshot.time) > (newest.get(snapshot.hostname) ?? Number.NEGATIVE_INFINITY))
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .map((snapshot) => snapshot.id);
}

function newestByHost(snapshots: SnapshotOrigin[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const snapshot of snapshots)
    newest.set(snapshot.hostname, Math.max(newest.get(snapshot.hostname) ?? Number.NEGATIVE_INFINITY, Date.parse(snapshot.time)));
  return newest;
}

function labelled(step: RunStep, label: string): RunStep {
  return { ...step, output: `${label}\n${step.output}` };
}
