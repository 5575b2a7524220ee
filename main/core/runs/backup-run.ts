import { stat } from 'node:fs/promises';
import { APPEND_ONLY_RETENTION } from '../config/vocabulary.ts';
import type { HistoryStore } from '../history/history-store.ts';
import { isPermanentFailure } from '../restic/classify.ts';
import type { ResticInvocation } from '../restic/process.ts';
import { repositoryAmongSources } from '../restic/repository-inside.ts';
import { type Restic, ResticError } from '../restic/restic.ts';
import type { Duration } from '../util/duration.ts';
import type { HookDispatcher } from './hook-dispatcher.ts';
import { runPhase } from './phase.ts';
import type { PlanState, PlanStateStore } from './plan-state.ts';
import type { RunStep } from './run-record.ts';
import type { RunState } from './run-state.ts';

export interface BackupDependencies {
  restic: Restic;
  hooks: HookDispatcher;
  history: HistoryStore;
  planState: PlanStateStore;
  now: () => Date;
}

/** Tags on every snapshot of a plan: how its snapshots are found again. */
export function planTags(planId: string): string[] {
  return ['lifeboat', `plan:${planId}`];
}

/** The forget Lifeboat did not run, and why: a step, so the run's record says it. */
export function skippedForget(why: string): RunStep {
  return { kind: 'restic', name: 'forget', event: null, status: 'skipped', exitCode: null, startedAt: new Date().toISOString(), durationMs: 0, output: why };
}

/**
 * The phases of a backup run (SPEC §3): backup → prune (if retention) → check (if due). The
 * run's start and end, `run.start` and `run.end` and its record belong to withRun.
 */
export async function backupPhases(run: RunState, deps: BackupDependencies): Promise<void> {
  const { restic, hooks, history } = deps;
  const state = await deps.planState.get(run.plan.id).catch((): PlanState => ({}));
  if (!run.stopped) await runPhase('backup', run, hooks, () => backup(run, restic, history));
  if (!run.stopped && run.plan.retention && run.repository.appendOnly) {
    // SPEC §3: the phase (and its hooks) is skipped; the record says why.
    run.addStep(skippedForget(`Repository "${run.repository.id}" is append-only; ${APPEND_ONLY_RETENTION}, so forget and prune were not run.`));
  } else if (!run.stopped && run.plan.retention) {
    await runPhase('prune', run, hooks, async () => {
      await resticStep(run, () => restic.forget(run.plan.retention!, { tags: planTags(run.plan.id), signal: run.signal }));
    });
  }
  if (!run.stopped && isCheckDue(run.plan.check?.every, state, deps.now())) {
    await runPhase('check', run, hooks, async () => {
      await resticStep(run, () => restic.check({ readDataSubset: run.plan.check?.readDataSubset, signal: run.signal }));
      run.checked = !run.stopped;
    });
  }
}

async function backup(run: RunState, restic: Restic, history: HistoryStore): Promise<void> {
  run.stepStarted('restic', 'backup', null);
  const paths = run.backupPaths();
  const missing = await missingPaths(paths);
  if (missing.length > 0) {
    const list = missing.map((path) => JSON.stringify(path)).join(', ');
    run.fail(
      `${missing.length === 1 ? 'The source' : 'Sources'} ${list} ${missing.length === 1 ? 'does' : 'do'} not exist. Check the plan's sources, or mount the drive ${missing.length === 1 ? 'it is' : 'they are'} on.`,
    );
    return;
  }
  // A repository inside a folder it backs up is left out: a backup never stores the repository in itself.
  const repository = await repositoryAmongSources(paths, run.repository.url);
  if (repository.sameAs !== undefined) {
    run.fail(
      `The folder ${JSON.stringify(repository.sameAs)} is the repository "${run.repository.id}" itself, which cannot back itself up. Back up another folder, or pick another repository for this plan.`,
    );
    return;
  }
  const result = await resticStep(run, () =>
    restic.backup({
      paths,
      excludes: [...run.plan.excludes, ...repository.excludes],
      // A snapshot of a redirected folder remembers the source it stands for.
      tags: [...planTags(run.plan.id), ...[...run.redirects.keys()].map((source) => `source:${source}`)],
      signal: run.signal,
      onProgress: (progress) => run.progress(progress),
    }),
  );
  if (!result) return;
  run.setSnapshot(result.snapshotId, result.summary);
  // Written at once, so a run that dies later (a crash, a full disk) still names its snapshot.
  await history.append(run.record).catch(() => undefined);
  if (result.unreadable.length > 0) {
    const shown = result.unreadable.slice(0, 5).map((entry) => entry.item);
    const more = result.unreadable.length > shown.length ? ` and ${result.unreadable.length - shown.length} more` : '';
    const count = result.unreadable.length === 1 ? '1 file could not be read' : `${result.unreadable.length} files could not be read`;
    run.warn(`${count} and ${result.unreadable.length === 1 ? 'is' : 'are'} missing from the snapshot: ${shown.join(', ')}${more}. Check their permissions.`);
  }
}

/** Runs one restic command, recording each invocation as a step; a failure stops the run. */
async function resticStep<T extends { invocations: ResticInvocation[] }>(run: RunState, command: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await command();
    for (const invocation of result.invocations) run.addStep(resticRunStep(invocation));
    return result;
  } catch (error) {
    if (!(error instanceof ResticError)) throw error;
    for (const invocation of error.invocations) run.addStep(resticRunStep(invocation));
    if (error.failure.kind === 'cancelled') return undefined;
    if (isPermanentFailure(error.failure.kind)) run.permanentFailure = true;
    run.fail(error.message);
    return undefined;
  }
}

export function resticRunStep(invocation: ResticInvocation): RunStep {
  let status: RunStep['status'] = 'failure';
  if (invocation.cancelled) status = 'cancelled';
  else if (invocation.exitCode === 0) status = 'success';
  else if (invocation.exitCode === 3 && invocation.command === 'backup') status = 'warning';
  return {
    kind: 'restic',
    name: invocation.command,
    event: null,
    status,
    exitCode: invocation.exitCode ?? null,
    startedAt: new Date(Date.now() - invocation.durationMs).toISOString(),
    durationMs: invocation.durationMs,
    output: invocation.output,
  };
}

export function isCheckDue(every: Duration | undefined, state: PlanState, now: Date): boolean {
  if (!every) return false;
  if (!state.lastCheckAt) return true;
  return now.getTime() - Date.parse(state.lastCheckAt) >= every.ms;
}

async function missingPaths(paths: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) {
    try {
      await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(path);
      // Other errors (permission denied) are restic's to report, file by file.
    }
  }
  return missing;
}
