import { LoadFailed, StatusBadge } from '../components/common.tsx';
import { RunChangesPanel } from '../components/RunChanges.tsx';
import { href } from '../context.ts';
import { duration, formatBytes, formatTime, stepOutcome } from '../format.ts';
import { keyedBy } from '../item-keys.ts';
import { useCall } from '../use-call.ts';
import { KIND_WORDS } from './History.tsx';

export function RunDetail({ runId }: { runId: string }) {
  const { data: run, error, retry } = useCall('history.get', { id: runId });
  if (error) return <LoadFailed error={error} retry={retry} />;
  if (!run) return <p>Loading…</p>;
  const summary = run.summary as Record<string, number> | null;
  return (
    <section aria-labelledby="run-title">
      <h1 id="run-title">
        {run.plan}: <StatusBadge status={run.status} />
      </h1>
      <p>
        <a href={href('/history', { plan: run.plan })}>All runs of {run.plan}</a>
      </p>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{formatTime(run.startedAt)}</dd>
        <dt>Took</dt>
        <dd>{duration(run.startedAt, run.endedAt)}</dd>
        <dt>What</dt>
        <dd>{KIND_WORDS[run.kind]}</dd>
        <dt>Trigger</dt>
        <dd>{run.trigger}</dd>
        {run.reason ? (
          <>
            <dt>Reason</dt>
            <dd>{run.reason}</dd>
          </>
        ) : null}
        {run.snapshotId ? (
          <>
            <dt>Snapshot</dt>
            <dd>
              {/* restic's short id, as `lifeboat snapshots` shows it; the full one on hover */}
              <code title={run.snapshotId}>{run.snapshotId.slice(0, 8)}</code>
              {summary ? ` · ${summary.total_files_processed} files · ${formatBytes(summary.data_added ?? 0)} added` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {run.kind === 'backup' && run.snapshotId ? <RunChangesPanel runId={run.id} /> : null}
      <h2>Steps</h2>
      <ol className="steps">
        {keyedBy(run.steps, (step) => `${step.kind}:${step.event ?? ''}:${step.name}:${step.startedAt}`).map(({ key, item: step }) => (
          <li key={key} className="card">
            <details open={step.status !== 'success'}>
              <summary>
                <StatusBadge status={stepOutcome(step).badge} label={stepOutcome(step).label} />{' '}
                {step.kind === 'hook' ? `hook ${step.name} (${step.event})` : `restic ${step.name}`} · exit {step.exitCode ?? '—'} · {step.durationMs} ms
              </summary>
              <pre className="log">{step.output || '(no output)'}</pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
