import { useMemo } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { ChangeBlame } from '../components/ChangeBlame.tsx';
import { Field, LoadFailed } from '../components/common.tsx';
import { href, navigate } from '../context.ts';
import { formatBytes, formatTime } from '../format.ts';
import { useCall } from '../use-call.ts';

type Snapshot = CallOutput<'snapshots.list'>[number];

const CHANGE_MARKS = { added: '+', removed: '−', changed: '~' } as const;

function label(snapshot: Snapshot): string {
  return `${snapshot.shortId} · ${formatTime(snapshot.time)}`;
}

/** The older of two snapshots goes first, so growth reads as growth. */
function compareHref(plan: string, a: Snapshot, b: Snapshot): string {
  const [from, to] = Date.parse(a.time) <= Date.parse(b.time) ? [a, b] : [b, a];
  return href('/compare', { plan, from: from.id, to: to.id });
}

/** "Compare with…" beside a snapshot in the Snapshots view: pick any other snapshot of the plan. */
export function CompareWith({ plan, snapshot, snapshots }: { plan: string; snapshot: Snapshot; snapshots: Snapshot[] }) {
  const others = snapshots.filter((candidate) => candidate.id !== snapshot.id);
  if (others.length === 0) return null;
  return (
    <label className="inline compare-with">
      Compare with…{' '}
      <select
        value=""
        aria-label={`Compare ${snapshot.shortId} with`}
        onChange={(event) => {
          const other = others.find((candidate) => candidate.id === event.target.value);
          if (other) navigate(compareHref(plan, snapshot, other).slice(1));
        }}
      >
        <option value="">another snapshot</option>
        {others.map((other) => (
          <option key={other.id} value={other.id}>
            {label(other)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What changed between two snapshots of a plan: the sentence, the counts, the size blame and every changed path (bounded). */
export function SnapshotDiff({ plan, from, to }: { plan: string; from?: string | undefined; to?: string | undefined }) {
  const list = useCall('snapshots.list', { plan });
  const snapshots = useMemo(() => [...(list.data ?? [])].reverse(), [list.data]);
  const diff = useCall('snapshots.diff', { plan, from, to });
  const pick = (which: 'from' | 'to', id: string) =>
    navigate(href('/compare', { plan, from: which === 'from' ? id : from, to: which === 'to' ? id : to }).slice(1));
  const data = diff.data;
  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">Compare snapshots of {plan}</h1>
      <p>
        <a href={href('/snapshots', { plan })}>Back to the snapshots</a>
      </p>
      {list.error ? <LoadFailed error={list.error} retry={list.retry} /> : null}
      <div className="grid compare-pick">
        {(['from', 'to'] as const).map((which) => (
          <Field key={which} label={which === 'from' ? 'Older snapshot' : 'Newer snapshot'}>
            {(id) => (
              <select
                id={id}
                value={(which === 'from' ? (data?.from?.id ?? from) : (data?.to.id ?? to)) ?? ''}
                onChange={(event) => pick(which, event.target.value)}
              >
                {which === 'from' ? <option value="">the one before</option> : <option value="">the latest</option>}
                {snapshots.map((snapshot) => (
                  <option key={snapshot.id} value={snapshot.id}>
                    {label(snapshot)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      {diff.error ? (
        <LoadFailed error={diff.error} retry={diff.retry} />
      ) : !data ? (
        <p className="hint" role="status">
          Comparing…
        </p>
      ) : (
        <div className="card snapshot-diff">
          <p className="run-changes-line">{data.sentence}</p>
          <p className="hint">
            {data.from ? `${data.from.shortId} (${formatTime(data.from.time)})` : 'nothing'} → {data.to.shortId} ({formatTime(data.to.time)}):{' '}
            {data.files.added} new, {data.files.changed} changed, {data.files.removed} removed files · {data.dirs.added} new and {data.dirs.removed} removed
            folders · +{formatBytes(data.bytes.added)} / −{formatBytes(data.bytes.removed)}
          </p>
          <ChangeBlame changes={data} />
          <h3>Every changed path</h3>
          <ul className="list changed-paths" aria-label="Changed paths">
            {data.changes.map((change) => (
              <li key={`${change.type}:${change.path}`} className={`change-${change.change}`}>
                <span className="change-mark" title={change.change}>
                  {CHANGE_MARKS[change.change]}
                </span>{' '}
                <span className="mono">
                  {change.path}
                  {change.type === 'dir' ? '/' : ''}
                </span>{' '}
                {change.type === 'file' && change.bytes !== 0 ? (
                  <span className="hint">
                    {change.bytes > 0 ? '+' : '−'}
                    {formatBytes(Math.abs(change.bytes))}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
          {data.moreChanges > 0 ? <p className="hint">… and {data.moreChanges} more changed paths.</p> : null}
        </div>
      )}
    </section>
  );
}
