import { useMemo, useState } from 'react';
import { LoadFailed, StatusBadge } from '../components/common.tsx';
import { type ChartSeries, TimeChart } from '../components/TimeChart.tsx';
import { href } from '../context.ts';
import { formatBytes, formatSeconds, formatTime } from '../format.ts';
import { useCall } from '../use-call.ts';
import { chartColumns } from './plan-charts-data.ts';

const RUN_EVENTS = ['run.ended'] as const;
const WINDOWS = [
  [7, 'last 7 days'],
  [30, 'last 30 days'],
  [90, 'last 90 days'],
  [366, 'last year'],
] as const;
const bytes = (value: number) => formatBytes(Math.max(0, Math.round(value)));
const seconds = (value: number) => formatSeconds(Math.max(0, value));
/** 1, 2, 5 × powers of 1024: the byte axes read 512 KiB, 1 MiB, 2 MiB rather than 4.8 MiB. */
/** Whole seconds, minutes and hours on the duration axis. */
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const BYTE_STEPS = [0, 1, 2, 3, 4].flatMap((power) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((step) => step * 1024 ** power));

/** Pictures of a plan's backups: what each run added, the repository's size, how long runs took, and the runs that failed or were skipped. */
export default function PlanCharts({ planId }: { planId: string }) {
  const [days, setDays] = useState(30);
  const plans = useCall('plans.list', {}).data ?? [];
  const name = plans.find((plan) => plan.id === planId)?.name ?? planId;
  const series = useCall('charts.series', { plan: planId, days }, RUN_EVENTS);
  const data = series.data;
  const columns = useMemo(() => (data ? chartColumns(data) : undefined), [data]);
  const charts = useMemo(() => {
    if (!columns) return undefined;
    const failed: ChartSeries = { label: 'Failed', values: columns.failed, color: '--bad', kind: 'points' };
    const skipped: ChartSeries = { label: 'Skipped', values: columns.skipped, color: '--warn', kind: 'points' };
    return {
      added: [{ label: 'Added', values: columns.added, color: '--accent', kind: 'bars' }, failed, skipped] satisfies ChartSeries[],
      size: [{ label: 'Repository size', values: columns.size, color: '--ok', kind: 'line' }] satisfies ChartSeries[],
      duration: [{ label: 'Took', values: columns.duration, color: '--accent', kind: 'line' }] satisfies ChartSeries[],
    };
  }, [columns]);
  const problems = data?.runs.filter((run) => run.status === 'failure' || run.status === 'skipped') ?? [];

  return (
    <section aria-labelledby="charts-title" className="plan-charts">
      <div className="section-head">
        <h1 id="charts-title">Charts: {name}</h1>
        <div className="actions">
          <label className="inline">
            Show{' '}
            <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
              {WINDOWS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <a className="button" href={href(`/plans/${encodeURIComponent(planId)}`)}>
            Edit plan
          </a>
          <a className="button" href={href('/history', { plan: planId })}>
            History
          </a>
        </div>
      </div>
      {series.error ? <LoadFailed error={series.error} retry={series.retry} /> : null}
      {!data ? series.error ? null : <p>Loading…</p> : null}
      {data && columns && charts ? (
        data.runs.length === 0 && data.repositorySize.length === 0 ? (
          <p>No backups in this period yet. Charts appear after the first backup.</p>
        ) : (
          <>
            <p className="hint">
              {data.runs.length} backup {data.runs.length === 1 ? 'run' : 'runs'} since {formatTime(data.from)}
              {data.truncated ? ' (only the newest are drawn)' : ''}. Dashed lines mark failed (red) and skipped (amber) runs.
            </p>
            <TimeChart
              title="Data added per run"
              x={columns.x}
              series={charts.added}
              format={bytes}
              steps={BYTE_STEPS}
              marks={columns.marks}
              syncKey="plan-charts"
            />
            <TimeChart
              title="Repository size"
              x={columns.x}
              series={charts.size}
              format={bytes}
              steps={BYTE_STEPS}
              marks={columns.marks}
              syncKey="plan-charts"
            />
            {data.repositorySize.length === 0 ? <p className="hint">The repository's size is measured once a day, after a backup.</p> : null}
            <TimeChart
              title="Run duration"
              x={columns.x}
              series={charts.duration}
              steps={SECOND_STEPS}
              format={seconds}
              marks={columns.marks}
              syncKey="plan-charts"
            />
            {problems.length ? (
              <details className="chart-problems">
                <summary>
                  {problems.length} failed or skipped {problems.length === 1 ? 'run' : 'runs'}
                </summary>
                <ul>
                  {problems.map((run) => (
                    <li key={run.id}>
                      <a href={href(`/history/${run.id}`)}>{formatTime(run.startedAt)}</a> <StatusBadge status={run.status} /> {run.reason}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </>
        )
      ) : null}
    </section>
  );
}
