import { memo, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { CallOutput, PlanSummary, Progress } from '../../../main/api/contract.ts';
import { ConfirmButton, ErrorBanner, StatusBadge } from '../components/common.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { href, useClient, useRoute } from '../context.ts';
import { backupResultText, formatTime, runOutcome, timeAgo } from '../format.ts';
import { ProgressStore } from '../progress-store.ts';
import { SameItems } from '../same-items.ts';
import { useCall } from '../use-call.ts';

const PLAN_EVENTS = ['run.started', 'run.ended', 'status.changed'] as const;

type PlanAction = 'run' | 'cancel' | 'delete' | 'unsnooze';

export function Dashboard({ status }: { status: CallOutput<'app.status'> }) {
  const client = useClient();
  const planList = useCall('plans.list', {}, PLAN_EVENTS);
  // A refresh keeps the cards whose plan did not change: only the changed ones are drawn again.
  const [same] = useState(() => new SameItems<PlanSummary>());
  const plans = useMemo(() => same.keep(planList.data ?? []), [same, planList.data]);
  const load = planList.retry;
  // Progress lives outside the dashboard's state: an event redraws one progress bar, not 200 cards.
  const [progress] = useState(() => new ProgressStore());
  const [error, setError] = useState<string>();
  const created = useRoute().query.get('created');

  useEffect(() => {
    const offs = [
      client.on('run.ended', (payload) => progress.end(payload.run.plan)),
      client.on('run.progress', (payload) => progress.put(payload.plan, payload.progress)),
    ];
    return () => {
      for (const off of offs) off();
      progress.stop();
    };
  }, [client, progress]);

  const act = useCallback(
    async (action: () => Promise<unknown>) => {
      setError(undefined);
      try {
        await action();
        load();
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    [load],
  );
  // One function for every card, so a card's props change only when its plan does.
  const onAction = useCallback(
    (plan: string, action: PlanAction) =>
      act(() => {
        if (action === 'run') return client.call('plans.run', { plan });
        if (action === 'cancel') return client.call('plans.cancel', { plan });
        if (action === 'delete') return client.call('plans.delete', { plan });
        return client.call('plans.snooze', { plan, off: true });
      }),
    [act, client],
  );

  return (
    <section aria-labelledby="dashboard-title">
      <div className="section-head">
        <h1 id="dashboard-title">Your backups</h1>
        <PauseControl paused={status.paused} act={act} />
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
              <button type="button" onClick={() => onAction(plan.id, 'run')}>
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
          <PlanCard key={plan.id} plan={plan} progress={progress} onAction={onAction} />
        ))}
      </div>
      <p>
        <a href="#/onboarding">+ Back up another folder</a>
      </p>
    </section>
  );
}

/** A running plan's progress bar: the only part of the dashboard a progress event redraws. */
function PlanProgress({ plan, store, initial }: { plan: string; store: ProgressStore; initial: Progress | null }) {
  const subscribe = useCallback((listener: () => void) => store.subscribe(plan, listener), [store, plan]);
  const live = useSyncExternalStore(subscribe, () => store.get(plan));
  return <ProgressBar progress={live ?? initial} />;
}

/** A tick each minute while any "5 min ago" is shown. */
const minute = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: undefined as number | undefined,
  subscribe(listener: () => void): () => void {
    minute.listeners.add(listener);
    minute.timer ??= window.setInterval(() => {
      minute.now = Date.now();
      for (const each of minute.listeners) each();
    }, 60_000);
    return () => {
      minute.listeners.delete(listener);
      if (minute.listeners.size > 0) return;
      window.clearInterval(minute.timer);
      minute.timer = undefined;
    };
  },
};

/** "5 min ago", kept current: only these words are drawn again as time passes, not their cards. */
function Ago({ iso }: { iso: string }) {
  useSyncExternalStore(minute.subscribe, () => minute.now); // drawn again each minute
  return <>{timeAgo(iso)}</>;
}

/** The last backup's changes as stored (plans.list carries them); never worked out for the card. */
function ChangesLine({ runId, changes }: { runId: string; changes: PlanSummary['lastChanges'] }) {
  const run = href(`/history/${encodeURIComponent(runId)}`);
  if (!changes) {
    return (
      <a className="hint" href={run}>
        Open the run to see
      </a>
    );
  }
  return (
    <a className="run-changes-line" href={run}>
      {changes.sentence}
    </a>
  );
}

/** One plan's card; drawn again only when its plan changes (memo: `progress` and `onAction` stay the same objects). */
const PlanCard = memo(function PlanCard({
  plan,
  progress,
  onAction,
}: {
  plan: PlanSummary;
  progress: ProgressStore;
  onAction: (plan: string, action: PlanAction) => void;
}) {
  const onRun = () => onAction(plan.id, 'run');
  const onCancel = () => onAction(plan.id, 'cancel');
  const onDelete = () => onAction(plan.id, 'delete');
  const onUnsnooze = () => onAction(plan.id, 'unsnooze');
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
        {last && !plan.running ? (
          <span className="hint">
            {' '}
            · <Ago iso={last.endedAt ?? last.startedAt} />
          </span>
        ) : null}
      </p>
      <dl className="facts">
        <dt>Last backup</dt>
        <dd>{plan.lastBackup ? <Ago iso={plan.lastBackup.endedAt ?? plan.lastBackup.startedAt} /> : 'never'}</dd>
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
              <ChangesLine runId={plan.lastBackup.id} changes={plan.lastChanges} />
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
              , <Ago iso={plan.lastVerify.endedAt} />
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
      <div className="progress-slot">{plan.running ? <PlanProgress plan={plan.id} store={progress} initial={plan.progress} /> : null}</div>
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
});

/** Pausing and resuming go through the dashboard's `act`: a refusal, or no answer at all, is shown like any card's. */
function PauseControl({ paused, act }: { paused: CallOutput<'app.status'>['paused']; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const client = useClient();
  if (paused) {
    return (
      <button type="button" onClick={() => void act(() => client.call('schedule.resume', {}))}>
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
          if (choice) void act(() => client.call('schedule.pause', { choice }));
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
