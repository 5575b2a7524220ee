import { homedir } from 'node:os';
import { removePlan } from '../../core/config/edit.ts';
import type { Engine } from '../../core/engine.ts';
import type { RunChanges } from '../../core/history/run-changes.ts';
import { staleSentence } from '../../core/notify/staleness.ts';
import { describeDiff } from '../../core/restic/diff.ts';
import type { LastVerify } from '../../core/runs/plan-state.ts';
import type { RunRecord } from '../../core/runs/run-record.ts';
import { upcomingRuns } from '../../core/schedule/schedule-times.ts';
import { describeSchedule } from '../../core/schedule/schedule-words.ts';
import { ApiError } from '../api-error.ts';
import type { CallOutput } from '../contract.ts';
import type { ChangeCall } from './changes.ts';
import { brief, type HandlerContext, type HandlersOf } from './context.ts';

/** Plans: the dashboard's list, run now, cancel, delete. */
export function planHandlers(context: HandlerContext): Omit<HandlersOf<'plans'>, ChangeCall> {
  const { engine, scheduler } = context;
  const home = homedir(); // the changes line says ~ for the home folder, as runs.changes does
  return {
    'plans.list': async () => {
      const overviews = await engine.listPlans();
      const states = await engine.planState.read();
      const now = engine.now();
      const latest = await engine.history.latestByPlan();
      const staleness = await engine.staleness();
      const changes = await storedChanges(
        engine,
        overviews.map((overview) => latest.get(overview.id)?.lastSuccess?.id),
      );
      return overviews.map((overview, index) => {
        const plan = engine.plan(overview.id);
        const lastBackup = latest.get(plan.id)?.lastSuccess;
        const lastChanges = changes[index];
        const snoozedUntil = engine.snoozes.snoozedUntil(plan.id, now);
        const stale = staleness.get(plan.id);
        return {
          id: overview.id,
          name: overview.name,
          repository: overview.repository,
          enabled: plan.enabled,
          schedule: describeSchedule(plan.schedule),
          nextRuns: afterSnooze(upcomingRuns(plan, states[plan.id] ?? {}, now), snoozedUntil).map((date) => date.toISOString()),
          lastRun: overview.lastRun ? brief(overview.lastRun) : null,
          lastBackup: lastBackup ? brief(lastBackup) : null,
          lastResult: overview.lastRun ? backupResult(overview.lastRun) : null,
          lastChanges: lastChanges ? { run: lastChanges.run, sentence: describeDiff(lastChanges, home) } : null,
          sources: plan.sources,
          running: engine.isRunning(plan.id),
          progress: context.progress(plan.id),
          lastVerify: lastVerifyOf(states[plan.id]?.lastVerify),
          snoozedUntil: snoozedUntil?.toISOString() ?? null,
          stale: stale ? { ...stale, sentence: staleSentence(plan.name, stale, now) } : null,
        };
      });
    },
    'plans.run': async ({ plan, trigger }) => {
      engine.plan(plan);
      const wasRunning = scheduler.isRunning(plan);
      if (engine.snoozes.snoozedUntil(plan, engine.now())) {
        await engine.unsnooze(plan); // acting on the plan ends its quiet hour: its outcome is told
        await scheduler.configChanged();
      }
      scheduler.trigger(plan, trigger ?? 'manual');
      return { started: !wasRunning, queued: wasRunning };
    },
    'plans.snooze': async ({ plan, off }) => {
      let until: Date | null = null;
      if (off) await engine.unsnooze(plan);
      else until = await engine.snooze(plan);
      await scheduler.configChanged(); // the timer is set anew around the snooze
      context.publish({ name: 'status.changed', payload: {} });
      return { until: until?.toISOString() ?? null };
    },
    // A backup's cancel, and a restore check's if one is under way.
    'plans.cancel': async ({ plan }) => ({ cancelled: [scheduler.cancel(plan), engine.cancelVerify(plan)].includes(true) }),
    'plans.verify': async ({ plan, sample }) => ({ started: engine.startVerify(plan, { sample, trigger: 'manual' }) }),
    'plans.delete': async ({ plan }) => {
      engine.plan(plan);
      if (scheduler.isRunning(plan))
        throw new ApiError(409, 'running', `Plan "${plan}" is backing up now; cancel the run or wait for it to end, then delete the plan.`);
      await context.saveConfig(removePlan(context.rawConfig(), plan));
      return { ok: true };
    },
  };
}

/** The stored changes of each run (undefined where none is stored yet); nothing is worked out here. */
function storedChanges(engine: Engine, runIds: Array<string | undefined>): Promise<Array<RunChanges | undefined>> {
  return Promise.all(
    runIds.map((runId) =>
      runId
        ? engine.changes.stored(runId).catch(() => undefined) // an unreadable record: the card goes without its line
        : undefined,
    ),
  );
}

function lastVerifyOf(last: LastVerify | undefined): CallOutput<'plans.list'>[number]['lastVerify'] {
  return last ? { status: last.status, verified: last.verified, sampled: last.sampled, endedAt: last.endedAt } : null;
}

/** A snoozed plan's runs before the snooze ends become one run at its end. */
function afterSnooze(runs: Date[], until: Date | undefined): Date[] {
  if (!until || runs.length === 0 || runs[0]! >= until) return runs;
  return [until, ...runs.filter((run) => run > until)].slice(0, runs.length);
}

function isSuccessfulBackup(run: RunRecord): boolean {
  return (
    (run.status === 'success' || run.status === 'warning') &&
    run.snapshotId !== null &&
    run.steps.some((step) => step.kind === 'restic' && step.name === 'backup')
  );
}

/** What the last run's backup did, from restic's summary; null when it made no snapshot. */
function backupResult(run: RunRecord): CallOutput<'plans.list'>[number]['lastResult'] {
  const summary = run.summary;
  if (!summary || !isSuccessfulBackup(run)) return null;
  return { filesNew: summary.files_new, filesChanged: summary.files_changed, bytesAdded: summary.data_added, seconds: summary.total_duration };
}
