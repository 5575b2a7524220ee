import type { RunStatus, Trigger } from '../config/schema.ts';
import { type RunRecord, runKind } from '../runs/run-record.ts';
import type { HistoryStore } from './history-store.ts';
import type { RepositorySizes } from './repository-sizes.ts';

/** The charts' window: 1 to 366 days back, 30 unless asked. */
export const SERIES_DAYS = { min: 1, max: 366, default: 30 } as const;
/** At most this many runs in one answer (the newest); older ones in the window are left out and `truncated` says so. */
export const SERIES_RUN_LIMIT = 1000;

/** One backup run on the charts' time axis. */
export interface SeriesRun {
  id: string;
  startedAt: string;
  status: RunStatus;
  trigger: Trigger;
  reason: string | null;
  /** From start to end; null for a run without an end. */
  durationMs: number | null;
  /** restic's `data_added`: what this run added to the repository; null when it made no snapshot. */
  bytesAdded: number | null;
  /** restic's `total_bytes_processed`: the size of what was backed up. */
  bytesProcessed: number | null;
}

export interface PlanSeries {
  plan: string;
  repository: string;
  from: string;
  to: string;
  /** Backup runs in the window, oldest first. */
  runs: SeriesRun[];
  /** More runs were in the window than SERIES_RUN_LIMIT: only the newest are here. */
  truncated: boolean;
  /** The repository's size on the days it was measured, oldest first. */
  repositorySize: Array<{ at: string; bytes: number }>;
}

export interface SeriesRequest {
  plan: string;
  repository: string;
  days?: number | undefined;
  now: Date;
  limit?: number | undefined;
}

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** A finished backup run as the charts draw it. */
export function seriesRun(run: RunRecord & { status: RunStatus }): SeriesRun {
  const ended = run.endedAt ? Date.parse(run.endedAt) : Number.NaN;
  const duration = ended - Date.parse(run.startedAt);
  return {
    id: run.id,
    startedAt: run.startedAt,
    status: run.status,
    trigger: run.trigger,
    reason: run.reason,
    durationMs: Number.isFinite(duration) && duration >= 0 ? duration : null,
    bytesAdded: finite(run.summary?.data_added),
    bytesProcessed: finite(run.summary?.total_bytes_processed),
  };
}

/** The plan's backup runs and its repository's size over the last `days`, from the stored records: bounded, oldest first. */
export async function readPlanSeries(history: HistoryStore, sizes: RepositorySizes, request: SeriesRequest): Promise<PlanSeries> {
  const asked = request.days !== undefined && Number.isFinite(request.days) ? Math.floor(request.days) : SERIES_DAYS.default;
  const days = Math.min(SERIES_DAYS.max, Math.max(SERIES_DAYS.min, asked));
  const limit = request.limit ?? SERIES_RUN_LIMIT;
  const to = request.now;
  const from = new Date(to.getTime() - days * 86_400_000);
  const runs: SeriesRun[] = [];
  let truncated = false;
  // Newest first, and a bounded read: runs of other kinds share the plan's history.
  for (const run of await history.list({ plan: request.plan, limit: limit * 2 + 1 })) {
    const started = Date.parse(run.startedAt);
    if (runKind(run) !== 'backup' || run.status === 'running' || !(started >= from.getTime() && started <= to.getTime())) continue;
    if (runs.length === limit) {
      truncated = true;
      break;
    }
    runs.push(seriesRun(run as RunRecord & { status: RunStatus }));
  }
  runs.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const repositorySize = (await sizes.read(request.repository, from))
    .filter((sample) => Date.parse(sample.at) <= to.getTime())
    .map(({ at, bytes }) => ({ at, bytes }));
  return { plan: request.plan, repository: request.repository, from: from.toISOString(), to: to.toISOString(), runs, truncated, repositorySize };
}
