import { useEffect, useState } from 'react';
import type { RunBrief } from '../../../main/api/contract.ts';
import { StatusBadge } from '../components/common.tsx';
import { href, navigate, useClient } from '../context.ts';
import { duration, formatTime } from '../format.ts';

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
  const client = useClient();
  const [runs, setRuns] = useState<RunBrief[]>([]);
  const [plans, setPlans] = useState<Array<{ id: string; name: string }>>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const load = () => void client.call('history.list', { plan, limit: 100 }).then(setRuns, (e: Error) => setError(e.message));
    load();
    const offs = [client.on('run.ended', load), client.on('run.started', load)];
    return () => {
      for (const off of offs) off();
    };
  }, [client, plan]);
  useEffect(() => {
    void client.call('plans.list', {}).then((list) => setPlans(list.map(({ id, name }) => ({ id, name }))));
  }, [client]);
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
      {error ? <p role="alert">{error}</p> : null}
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
