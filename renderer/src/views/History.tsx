import { useEffect, useState } from 'react';
import type { RunBrief } from '../../../main/api/contract.ts';
import { StatusBadge } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { duration, formatTime } from '../format.ts';

export function History() {
  const client = useClient();
  const plan = new URLSearchParams(window.location.hash.split('?')[1] ?? '').get('plan') ?? undefined;
  const [runs, setRuns] = useState<RunBrief[]>([]);
  useEffect(() => {
    const load = () => void client.call('history.list', { plan, limit: 100 }).then(setRuns);
    load();
    return client.on('run.ended', load);
  }, [client, plan]);
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History{plan ? ` of ${plan}` : ''}</h1>
      {runs.length === 0 ? <p>No runs yet.</p> : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Plan</th>
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
                <a href={`#/history/${run.id}`}>{formatTime(run.startedAt)}</a>
              </td>
              <td>{run.plan}</td>
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
