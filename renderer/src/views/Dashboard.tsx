import { useEffect, useRef, useState } from 'react';
import type { CallOutput, PlanSummary, Progress } from '../../../main/api/contract.ts';
import { ConfirmButton, ErrorBanner, StatusBadge } from '../components/common.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { RunChangesLine } from '../components/RunChanges.tsx';
import { href, useClient, useRoute } from '../context.ts';
import { backupResultText, formatTime, runOutcome, timeAgo } from '../format.ts';
import { useCall } from '../use-call.ts';

/** Progress arrives many times a second; the screen redraws at most this often. */
const REDRAW_MS = 100;
const PLAN_EVENTS = ['run.started', 'run.ended', 'status.changed'] as const;

export function Dashboard({ status }: { status: CallOutput<'app.status'> }) {
  const client = useClient();
  const planList = useCall('plans.list', {}, PLAN_EVENTS);
  const plans = planList.data ?? [];
  const load = planList.retry;
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [error, setError] = useState<string>();
  const pending = useRef<Record<string, Progress>>({});
  const timer = useRef<number | undefined>(undefined);
  const created = useRoute().query.get('created');

  useEffect(() => {
    const offs = [
      client.on('run.ended', (payload) => {
        delete pending.current[payload.run.plan];
        setProgress((current) => {
          const { [payload.run.plan]: _, ...rest } = current;
          return rest;
        });
      }),
      client.on('run.progress', (payload) => {
        pending.current[payload.plan] = payload.progress;
        timer.current ??= window.setTimeout(() => {
          timer.current = undefined;
          setProgress((current) => ({ ...current, ...pending.current }));
        }, REDRAW_MS);
      }),
    ];
    return () => {
      for (const off of offs) off();
      window.clearTimeout(timer.current);
    };
  }, [client]);

  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section aria-labelledby="dashboard-title">
      <div className="section-head">
        <h1 id="dashboard-title">Your backups</h1>
        <PauseControl paused={status.paused} onChange={load} />
      </div>
      {status.paused ? (
        <div className="banner banner-paused" role="status">
          All scheduled backups are paused {status.paused.until ? `until ${formatTime(status.paused.until)}` : 'until you resume them'}. “Back up now” still
          works.
        </div>
      ) : null}
      {plans
        .filter((plan) => plan.stale)
        .map((plan) => (
          <div key={`stale-${plan.id}`} className="banner banner-error stale-banner" role="alert">
            {plan.stale?.sentence}.{' '}
            {plan.running ? null : (
              <button type="button" onClick={() => act(() => client.call('plans.run', { plan: plan.id }))}>
                Back up now
              </button>
            )}
          </div>
        ))}
      <ErrorBanner error={error} />
      {error ? null : <ErrorBanner error={planList.error?.message} retry={load} />}
      {created ? (
        <div className="banner banner-ok" role="status">
          The plan is saved and its first backup has started; its progress shows below.
        </div>
      ) : null}
      <div className="plans">
        {plans.map((plan) => (
          <PlanCard
            key={plan.id}
            plan={plan}
            progress={progress[plan.id] ?? plan.progress}
            onRun={() => act(() => client.call('plans.run', { plan: plan.id }))}
            onCancel={() => act(() => client.call('plans.cancel', { plan: plan.id }))}
            onDelete={() => act(() => client.call('plans.delete', { plan: plan.id }))}
            onUnsnooze={() => act(() => client.call('plans.snooze', { plan: plan.id, off: true }))}
          />
        ))}
      </div>
      <p>
        <a href="#/onboarding">+ Back up another folder</a>
      </p>
    </section>
  );
}

function PlanCard({
  plan,
  progress,
  onRun,
  onCancel,
  onDelete,
  onUnsnooze,
}: {
  plan: PlanSummary;
  progress: Progress | null;
  onRun: () => void;
  onCancel: () => void;
  onDelete: () => void;
  onUnsnooze: () => void;
}) {
  const last = plan.lastRun;
  // The last run said in words; "Last backup" counts only backups that made a snapshot.
  const outcome = plan.running ? 'Backing up now…' : last ? runOutcome(last) : 'Not backed up yet';
  const result = plan.lastResult ? backupResultText(plan.lastResult) : null;
  return (
    <article className="card plan" aria-labelledby={`plan-${plan.id}`}>
      <header>
        <h2 id={`plan-${plan.id}`}>{plan.name}</h2>
        {plan.running ? <StatusBadge status="running" /> : last ? <StatusBadge status={last.status} /> : <span className="badge">new</span>}
      </header>
      <p className={`plan-outcome plan-outcome-${plan.running ? 'running' : (last?.status ?? 'new')}`}>
        {outcome}
        {last && !plan.running ? <span className="hint"> · {timeAgo(last.endedAt ?? last.startedAt)}</span> : null}
      </p>
      <dl className="facts">
        <dt>Last backup</dt>
        <dd>{plan.lastBackup ? timeAgo(plan.lastBackup.endedAt ?? plan.lastBackup.startedAt) : 'never'}</dd>
        {result && !plan.running ? (
          <>
            <dt>Result</dt>
            <dd className="plan-result">{result}</dd>
          </>
        ) : null}
        {plan.lastBackup && !plan.running ? (
          <>
            <dt>Changed</dt>
            <dd>
              <RunChangesLine runId={plan.lastBackup.id} />
            </dd>
          </>
        ) : null}
        {plan.lastVerify ? (
          <>
            <dt>Restore check</dt>
            <dd className={`plan-verify plan-verify-${plan.lastVerify.status}`}>
              {plan.lastVerify.status === 'success'
                ? `restore verified ${plan.lastVerify.verified}/${plan.lastVerify.sampled}`
                : `${plan.lastVerify.sampled - plan.lastVerify.verified} of ${plan.lastVerify.sampled} files differ`}
              , {timeAgo(plan.lastVerify.endedAt)}
            </dd>
          </>
        ) : null}
        <dt>Folders</dt>
        <dd className="mono">{plan.sources.join(', ')}</dd>
        <dt>Schedule</dt>
        <dd>{plan.schedule}</dd>
        <dt>Next</dt>
        <dd>{plan.nextRuns[0] ? formatTime(plan.nextRuns[0]) : '—'}</dd>
        {plan.snoozedUntil ? (
          <>
            <dt>Snoozed</dt>
            <dd className="plan-snoozed">
              snoozed until {formatTime(plan.snoozedUntil)}{' '}
              <button type="button" className="link" onClick={onUnsnooze}>
                End snooze
              </button>
            </dd>
          </>
        ) : null}
      </dl>
      <div className="progress-slot">{plan.running ? <ProgressBar progress={progress} /> : null}</div>
      <footer className="actions">
        {plan.running ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : (
          <button type="button" className="primary" onClick={onRun}>
            Back up now
          </button>
        )}
        <a className="button" href={href(`/plans/${encodeURIComponent(plan.id)}`)}>
          Edit plan &amp; hooks
        </a>
        <a className="button" href={href('/history', { plan: plan.id })}>
          History
        </a>
        <a className="button" href={href(`/plans/${encodeURIComponent(plan.id)}/charts`)}>
          Charts
        </a>
        <a className="button" href={href('/snapshots', { plan: plan.id })}>
          Restore…
        </a>
        {plan.running ? null : (
          <ConfirmButton
            label="Delete plan"
            question={`Delete the plan "${plan.name}"? Its history and its snapshots stay.`}
            confirmLabel="Delete"
            onConfirm={onDelete}
          />
        )}
      </footer>
    </article>
  );
}

function PauseControl({ paused, onChange }: { paused: CallOutput<'app.status'>['paused']; onChange: () => void }) {
  const client = useClient();
  if (paused) {
    return (
      <button type="button" onClick={() => client.call('schedule.resume', {}).then(onChange)}>
        Resume backups
      </button>
    );
  }
  return (
    <label className="inline">
      Pause{' '}
      <select
        value=""
        onChange={(event) => {
          const choice = event.target.value as '1h' | 'tomorrow' | 'indefinitely';
          if (choice) void client.call('schedule.pause', { choice }).then(onChange);
        }}
      >
        <option value="">…</option>
        <option value="1h">for 1 hour</option>
        <option value="tomorrow">until tomorrow</option>
        <option value="indefinitely">until I resume</option>
      </select>
    </label>
  );
}
