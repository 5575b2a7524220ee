/**
 * The plan charts' series on one time axis: every run's start and every repository-size sample
 * is a point of the axis (seconds, as uPlot counts time), and each series has a value or null
 * there. Plain TypeScript, no uPlot: the charts only draw what this returns.
 */
import type { PlanSeriesView } from '../../../main/api/contract.ts';

export type Column = Array<number | null>;

export interface Mark {
  /** Seconds since the epoch. */
  at: number;
  status: 'failure' | 'skipped';
  reason: string | null;
}

export interface ChartColumns {
  x: number[];
  /** Bytes each run added to the repository. */
  added: Column;
  /** The repository's size where it was measured. */
  size: Column;
  /** Each run's duration in seconds. */
  duration: Column;
  /** 0 where a run failed or was skipped (drawn on the baseline of "added"), else null. */
  failed: Column;
  skipped: Column;
  /** Failed and skipped runs: a line across every chart at their time. */
  marks: Mark[];
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function chartColumns(series: PlanSeriesView): ChartColumns {
  const times = new Set<number>();
  for (const run of series.runs) times.add(seconds(run.startedAt));
  for (const sample of series.repositorySize) times.add(seconds(sample.at));
  const x = [...times].sort((a, b) => a - b);
  const at = new Map(x.map((time, index) => [time, index]));
  const empty = (): Column => x.map(() => null);
  const columns: ChartColumns = { x, added: empty(), size: empty(), duration: empty(), failed: empty(), skipped: empty(), marks: [] };
  for (const run of series.runs) {
    const index = at.get(seconds(run.startedAt))!;
    // Two runs in the same second share a point: what they added is summed, the longer duration shown.
    if (run.bytesAdded !== null) columns.added[index] = (columns.added[index] ?? 0) + run.bytesAdded;
    if (run.durationMs !== null) columns.duration[index] = Math.max(columns.duration[index] ?? 0, run.durationMs / 1000);
    if (run.status === 'failure' || run.status === 'skipped') {
      columns[run.status === 'failure' ? 'failed' : 'skipped'][index] = 0;
      columns.marks.push({ at: seconds(run.startedAt), status: run.status, reason: run.reason });
    }
  }
  for (const sample of series.repositorySize) columns.size[at.get(seconds(sample.at))!] = sample.bytes;
  return columns;
}
