import { removePlan } from '../../core/config/edit.ts';
import type { LastVerify } from '../../core/runs/plan-state.ts';
import type { RunRecord } from '../../core/runs/run-record.ts';
import { describeSchedule, upcomingRuns } from '../../core/schedule/schedule-times.ts';
import { ApiError } from '../api-error.ts';
import type { CallOutput } from '../contract.ts';
import type { ChangeCall } from './changes.ts';
import { brief, type HandlerContext, type HandlersOf } from './context.ts';

/** Plans: the dashboard's list, run now, cancel, delete. */
export function planHandlers(context: HandlerContext): Omit<HandlersOf<'plans'>, ChangeCall> {
  const { engine, scheduler } = context;
  return {
    'plans.list': async () => {
      const overviews = await engine.listPlans();
      const states = await engine.planState.read();
      const now = new Date();
      const latest = await engine.history.latestByPlan();
      return overviews.map((overview) => {
        const plan = engine.plan(overview.id);
        const lastBackup = latest.get(plan.id)?.lastSuccess;
        return {
          id: overview.id,
          name: overview.name,
          repository: overview.repository,
          enabled: plan.enabled,
          schedule: describeSchedule(plan.schedule),
          nextRuns: upcomingRuns(plan, states[plan.id] ?? {}, now).map((date) => date.toISOString()),
          lastRun: overview.lastRun ? brief(overview.lastRun) : null,
          lastBackup: lastBackup ? brief(lastBackup) : null,
          lastResult: overview.lastRun ? backupResult(overview.lastRun) : null,
          sources: plan.sources,
          running: engine.isRunning(plan.id),
          progress: context.progress(plan.id),
          lastVerify: lastVerifyOf(states[plan.id]?.lastVerify),
        };
      });
    },
    'plans.run': async ({ plan }) => {
      engine.plan(plan);
      const wasRunning = scheduler.isRunning(plan);
      scheduler.trigger(plan, 'manual');
      return { started: !wasRunning, queued: wasRunning };
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

function lastVerifyOf(last: LastVerify | undefined): CallOutput<'plans.list'>[number]['lastVerify'] {
  return last ? { status: last.status, verified: last.verified, sampled: last.sampled, endedAt: last.endedAt } : null;
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
