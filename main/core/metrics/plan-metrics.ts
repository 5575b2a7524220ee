import { hostname } from 'node:os';
import type { RunStatus } from '../config/schema.ts';
import { RUN_STATUSES } from '../config/vocabulary.ts';
import type { Engine } from '../engine.ts';
import type { HistoryStore } from '../history/history-store.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { RunCounters } from './counters.ts';
import { type PlanMetrics, renderExposition } from './exposition.ts';

/** The exposition of every configured plan, as `lifeboat metrics` prints it. */
export async function currentExposition(engine: Engine): Promise<string> {
  return renderExposition(hostname(), await planMetrics(engine));
}

/** Each configured plan's last backup run, last success and run counters. */
export async function planMetrics(engine: Engine): Promise<PlanMetrics[]> {
  const latest = await engine.history.latestByPlan();
  const counters = new RunCounters(engine.dataDir);
  const counts = counters.read();
  const plans: PlanMetrics[] = [];
  for (const plan of engine.config.plans) {
    const known = latest.get(plan.id);
    const lastRun = known && isFinishedBackup(known.lastRun) ? known.lastRun : await lastFinishedBackup(engine.history, plan.id);
    const lastSuccess = known?.lastSuccess ?? null;
    plans.push({
      plan: plan.id,
      repository: plan.repository,
      lastRun: lastRun
        ? {
            endedAt: new Date(lastRun.endedAt ?? lastRun.startedAt),
            status: lastRun.status as RunStatus,
            durationSeconds: Math.max(0, (Date.parse(lastRun.endedAt ?? lastRun.startedAt) - Date.parse(lastRun.startedAt)) / 1000),
          }
        : null,
      lastSuccess: lastSuccess
        ? { endedAt: new Date(lastSuccess.endedAt ?? lastSuccess.startedAt), addedBytes: lastSuccess.summary?.data_added ?? null }
        : null,
      runsTotal: counts.get(plan.id) ?? {},
    });
  }
  return plans;
}

function isFinishedBackup(run: RunRecord): boolean {
  const kind = (run as { kind?: unknown }).kind;
  return (kind === undefined || kind === 'backup') && (RUN_STATUSES as readonly string[]).includes(run.status);
}

/** The plan's newest finished backup run, when its very last run is another kind or still running. */
async function lastFinishedBackup(history: HistoryStore, plan: string): Promise<RunRecord | undefined> {
  return (await history.list({ plan })).find(isFinishedBackup);
}
