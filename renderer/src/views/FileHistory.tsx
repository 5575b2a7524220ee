import { useState } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { ErrorBanner } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { formatBytes, formatTime, plural } from '../format.ts';
import { useCall } from '../use-call.ts';

type Version = CallOutput<'files.versions'>['versions'][number];
type Mode = 'beside' | 'in-place';

function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "unchanged in 300 snapshots, 1 Oct 2026 – 20 Nov 2026", or "in 1 snapshot". */
export function versionRange(version: Version): string {
  if (version.snapshots === 1) return `in 1 snapshot (${version.firstSnapshot.shortId})`;
  const from = day(version.firstSnapshot.time);
  const to = day(version.lastSnapshot.time);
  return `unchanged in ${version.snapshots} snapshots, ${from === to ? from : `${from} – ${to}`}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every stored version of one file, newest first, each restorable beside the live file or in its place (asked once more). */
export function FileHistory({ plan, path, onClose }: { plan: string; path: string; onClose: () => void }) {
  const client = useClient();
  const versions = useCall('files.versions', { plan, path });
  const [asking, setAsking] = useState<{ version: Version; mode: Mode }>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const name = baseName(path);

  const restore = async (version: Version, mode: Mode) => {
    setAsking(undefined);
    setBusy(true);
    setError(undefined);
    setMessage('Restoring…');
    try {
      const done = await client.call('files.restoreVersion', { plan, path, snapshot: version.lastSnapshot.id, mode });
      const kept = done.keptLiveAs ? ` The file as it was is kept as ${done.keptLiveAs}.` : '';
      setMessage(`Restored the version of ${formatTime(version.lastSnapshot.time)} to ${done.restoredTo}.${kept}`);
    } catch (failure) {
      setMessage(undefined);
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const answer = versions.data;
  return (
    <section className="card file-history" aria-labelledby="file-history-title">
      <div className="section-head">
        <h2 id="file-history-title">History of {name}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="mono hint">{path}</p>
      <ErrorBanner error={error} />
      {error ? null : <ErrorBanner error={versions.error?.message} retry={versions.retry} />}
      {versions.loading && !answer ? <p className="hint">Looking through the snapshots…</p> : null}
      {answer ? (
        <p className="hint">
          {plural(answer.versions.length, 'version')} in {plural(answer.searched, 'snapshot')}, newest first.
        </p>
      ) : null}
      <ol className="list" aria-label="Versions">
        {(answer?.versions ?? []).map((version) => {
          const label = formatTime(version.lastSnapshot.time);
          const isAsking = asking?.version.firstSnapshot.id === version.firstSnapshot.id ? asking.mode : undefined;
          return (
            <li key={version.firstSnapshot.id} aria-label={`Version of ${label}`}>
              <div>
                <strong>{label}</strong> · {formatBytes(version.size)}{' '}
                {version.differsFromPrevious ? <span className="badge badge-running">changed</span> : null}
              </div>
              <p className="hint">{versionRange(version)}</p>
              {isAsking ? (
                <fieldset className="confirm">
                  <legend>
                    {isAsking === 'beside'
                      ? `Put this version beside ${name}, under a dated name? The file itself stays as it is.`
                      : `Replace ${name} with this version? What is there now is kept beside it under a new name.`}
                  </legend>
                  <button type="button" className="primary" onClick={() => void restore(version, isAsking)}>
                    {isAsking === 'beside' ? 'Restore beside' : 'Replace it'}
                  </button>{' '}
                  <button type="button" onClick={() => setAsking(undefined)}>
                    Cancel
                  </button>
                </fieldset>
              ) : (
                <div>
                  <button type="button" disabled={busy} onClick={() => setAsking({ version, mode: 'beside' })}>
                    Restore beside
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => setAsking({ version, mode: 'in-place' })}>
                    Restore in place
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}
