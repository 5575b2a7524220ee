import { href } from '../context.ts';
import { formatTime } from '../format.ts';
import { useCall } from '../use-call.ts';
import { ChangeBlame } from './ChangeBlame.tsx';
import { LoadFailed } from './common.tsx';

const WORKING = 'Working out what changed…';

/** On a run's page: what it changed, where the growth came from, and Exclude… on each folder. */
export function RunChangesPanel({ runId }: { runId: string }) {
  const { data, error, retry } = useCall('runs.changes', { runId });
  return (
    <section className="card run-changes" aria-labelledby="run-changes-title">
      <h2 id="run-changes-title">What changed</h2>
      {error ? (
        <LoadFailed error={error} retry={retry} />
      ) : data === undefined ? (
        <p className="hint" role="status">
          {WORKING}
        </p>
      ) : data === null ? (
        <p className="hint">This run made no snapshot, so it changed nothing.</p>
      ) : (
        <>
          <p className="run-changes-line">{data.sentence}</p>
          <p className="hint">
            {data.from ? `Against ${data.from.shortId} (${formatTime(data.from.time)}): ` : 'The first backup of this plan: '}
            {data.files.added} new, {data.files.changed} changed, {data.files.removed} removed files · {data.dirs.added} new and {data.dirs.removed} removed
            folders. {data.from ? <a href={href('/compare', { plan: data.plan, from: data.from.id, to: data.to.id })}>Every changed path</a> : null}
          </p>
          <ChangeBlame changes={data} />
        </>
      )}
    </section>
  );
}
