import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { ErrorBanner, Field } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { formatBytes, formatTime } from '../format.ts';

type Snapshot = CallOutput<'snapshots.list'>[number];
type Entry = CallOutput<'snapshots.browse'>[number];

export function Snapshots() {
  const client = useClient();
  const [plans, setPlans] = useState<CallOutput<'plans.list'>>([]);
  const [plan, setPlan] = useState('');
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [path, setPath] = useState<string>();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [selected, setSelected] = useState<string>();
  const [target, setTarget] = useState('~/Restored');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    void client.call('plans.list', {}).then((list) => {
      setPlans(list);
      setPlan((current) => current || list[0]?.id || '');
    });
  }, [client]);
  useEffect(() => {
    if (!plan) return;
    setSnapshot(undefined);
    void client.call('snapshots.list', { plan }).then(
      (list) => setSnapshots([...list].reverse()),
      (e: Error) => setError(e.message),
    );
  }, [client, plan]);
  useEffect(() => {
    if (!snapshot) return;
    const root = path ?? snapshot.paths[0] ?? '/';
    void client.call('snapshots.browse', { plan, snapshot: snapshot.id, path: root }).then(
      (list) => setEntries(list.filter((entry) => entry.path !== root && entry.path.slice(0, entry.path.lastIndexOf('/')) === root)),
      (e: Error) => setError(e.message),
    );
  }, [client, plan, snapshot, path]);

  const restore = async () => {
    if (!snapshot || !selected) return;
    setMessage('Restoring…');
    setError(undefined);
    try {
      const result = await client.call('snapshots.restore', { plan, snapshot: snapshot.id, target, include: [selected] });
      setMessage(result.status === 'success' ? `Restored ${selected} into ${target} (under its original path).` : undefined);
      if (result.status !== 'success') setError(result.reason ?? 'The restore failed.');
    } catch (failure) {
      setMessage(undefined);
      setError((failure as Error).message);
    }
  };

  const current = path ?? snapshot?.paths[0];
  return (
    <section aria-labelledby="snapshots-title">
      <h1 id="snapshots-title">Snapshots</h1>
      <ErrorBanner error={error} />
      <Field label="Plan">
        {(id) => (
          <select id={id} value={plan} onChange={(e) => setPlan(e.target.value)}>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="columns">
        <ul className="list" aria-label="Snapshots">
          {snapshots.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                aria-pressed={snapshot?.id === s.id}
                onClick={() => {
                  setSnapshot(s);
                  setPath(undefined);
                  setSelected(undefined);
                }}
              >
                {formatTime(s.time)} · {s.shortId}
              </button>
            </li>
          ))}
        </ul>
        {snapshot ? (
          <div className="card browser">
            <p className="mono">
              {current}
              {current && current !== snapshot.paths[0] ? (
                <button type="button" onClick={() => setPath(current.slice(0, current.lastIndexOf('/')) || '/')}>
                  Up
                </button>
              ) : null}
            </p>
            <ul className="list" aria-label="Files in the snapshot">
              {entries.map((entry) => (
                <li key={entry.path}>
                  <label className="inline">
                    <input
                      type="radio"
                      name="selected"
                      checked={selected === entry.path}
                      onChange={() => setSelected(entry.path)}
                      aria-label={`Select ${entry.name}`}
                    />
                    {entry.type === 'dir' ? (
                      <button type="button" className="link" onClick={() => setPath(entry.path)}>
                        {entry.name}/
                      </button>
                    ) : (
                      <span>
                        {entry.name} <span className="hint">{entry.size !== undefined ? formatBytes(entry.size) : ''}</span>
                      </span>
                    )}
                  </label>
                </li>
              ))}
            </ul>
            <Field label="Restore into">{(id) => <input id={id} value={target} onChange={(e) => setTarget(e.target.value)} />}</Field>
            <button type="button" className="primary" onClick={restore} disabled={!selected}>
              Restore selected
            </button>
            {message ? <p role="status">{message}</p> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
