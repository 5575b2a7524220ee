import type { RunBrief } from '../../../main/api/contract.ts';
import { LoadFailed, StatusBadge } from '../components/common.tsx';
import { href, navigate } from '../context.ts';
import { duration, formatTime } from '../format.ts';
import { useCall } from '../use-call.ts';

const RUN_EVENTS = ['run.ended', 'run.started'] as const;

/** What a run did, in words. */
export const KIND_WORDS: Record<RunBrief['kind'], string> = {
  backup: 'Backup',
  restore: 'Restore',
  verify: 'Verify',
  copy: 'Copy',
  'hook-test': 'Hook test',
};

/** Every run, newest first; `plan` narrows it to one plan (the dashboard's History button). */
export function History({ plan }: { plan?: string | undefined }) {
  const history = useCall('history.list', { plan, limit: 100 }, RUN_EVENTS);
  const runs = history.data ?? [];
  const plans = useCall('plans.list', {}).data ?? [];
  const name = plans.find((candidate) => candidate.id === plan)?.name ?? plan;
  return (
    <section aria-labelledby="history-title">
      <div className="section-head">
        <h1 id="history-title">History{plan ? ` of ${name}` : ''}</h1>
        <label className="inline">
          Plan{' '}
          <select
            value={plan ?? ''}
            onChange={(event) => navigate(event.target.value ? `/history?plan=${encodeURIComponent(event.target.value)}` : '/history')}
          >
            <option value="">All plans</option>
            {plans.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
            {plan && !plans.some((candidate) => candidate.id === plan) ? <option value={plan}>{plan} (deleted)</option> : null}
          </select>
        </label>
      </div>
      {history.error ? <LoadFailed error={history.error} retry={history.retry} /> : null}
      {runs.length === 0 ? <p>No runs yet.</p> : null}
      <table className="table" aria-label="Runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Plan</th>
            <th scope="col">What</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Took</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                <a href={href(`/history/${run.id}`)}>{formatTime(run.startedAt)}</a>
              </td>
              <td>{run.plan}</td>
              <td>{KIND_WORDS[run.kind]}</td>
              <td>{run.trigger}</td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>{duration(run.startedAt, run.endedAt)}</td>
              <td>{run.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
