import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { ErrorBanner, Field } from '../components/common.tsx';
import { useClient } from '../context.ts';
import { formatBytes, formatTime, plural } from '../format.ts';
import { useCall } from '../use-call.ts';
import { FileHistory } from './FileHistory.tsx';
import { type Overwrite, OverwriteField, previewSentence, RestorePreview } from './RestorePreview.tsx';
import { CompareWith } from './SnapshotDiff.tsx';

type Snapshot = CallOutput<'snapshots.list'>[number];
type Preview = CallOutput<'snapshots.restorePreview'>;

/**
 * Browse a plan's snapshots; pick files and folders (several, across folders) and restore them,
 * into a folder or (after a preview) to the original location; open any file's history.
 */
export function Snapshots({ initialPlan }: { initialPlan?: string | undefined }) {
  const client = useClient();
  const planList = useCall('plans.list', {});
  const plans = planList.data ?? [];
  const [chosenPlan, setPlan] = useState(initialPlan ?? '');
  const plan = chosenPlan || plans[0]?.id || '';
  const [picked, setSnapshot] = useState<Snapshot>();
  const [path, setPath] = useState<string>();
  const [selected, setSelected] = useState<string[]>([]);
  const [destination, setDestination] = useState<'folder' | 'original'>('folder');
  const [target, setTarget] = useState('~/Restored');
  const [overwrite, setOverwrite] = useState<Overwrite>('never');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [previewing, setPreviewing] = useState(false);
  const [historyPath, setHistoryPath] = useState<string>();
  const [search, setSearch] = useState('');

  const snapshotList = useCall('snapshots.list', plan ? { plan } : null);
  const snapshots = useMemo(() => [...(snapshotList.data ?? [])].reverse(), [snapshotList.data]);
  // A snapshot picked in another plan's list is never browsed with this plan.
  const snapshot = picked && snapshots.some((candidate) => candidate.id === picked.id) ? picked : undefined;
  // Another plan: what was picked in the one before goes.
  useEffect(() => {
    if (!plan) return;
    setSnapshot(undefined);
    setSelected([]);
    setError(undefined);
    setPreviewing(false);
    setHistoryPath(undefined);
  }, [plan]);
  const root = snapshot ? (path ?? snapshot.paths[0] ?? '/') : undefined;
  const listing = useCall('snapshots.browse', snapshot && root !== undefined ? { plan, snapshot: snapshot.id, path: root } : null);
  const entries = useMemo(
    () => (listing.data ?? []).filter((entry) => entry.path !== root && entry.path.slice(0, entry.path.lastIndexOf('/')) === root),
    [listing.data, root],
  );
  const loadFailure = snapshotList.error ?? listing.error;
  const retryLoad = snapshotList.error ? snapshotList.retry : listing.retry;

  const toggle = (entryPath: string, on: boolean) =>
    setSelected((current) => (on ? [...current.filter((item) => item !== entryPath), entryPath] : current.filter((item) => item !== entryPath)));

  const itemCount = selected.length;
  const previewLoaded = useCallback((preview: Preview) => setMessage(previewSentence(preview, itemCount)), [itemCount]);

  const restore = async () => {
    if (!snapshot || selected.length === 0) return;
    setBusy(true);
    setMessage('Restoring…');
    setError(undefined);
    const where = destination === 'original' ? { inPlace: true, overwrite } : { target };
    try {
      const result = await client.call('snapshots.restore', { plan, snapshot: snapshot.id, include: selected, ...where });
      const what = plural(selected.length, 'item');
      if (result.status === 'success' || result.status === 'warning') {
        setPreviewing(false);
        setMessage(
          destination === 'original'
            ? `Restored ${what} to the original location (overwrite: ${overwrite}).${result.reason ? ` ${result.reason}` : ''}`
            : `Restored ${what} into ${target} (under the original paths).${result.reason ? ` ${result.reason}` : ''}`,
        );
      } else {
        setMessage(undefined);
        setError(result.reason ?? 'The restore failed.');
      }
    } catch (failure) {
      setMessage(undefined);
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const current = path ?? snapshot?.paths[0];
  return (
    <section aria-labelledby="snapshots-title">
      <h1 id="snapshots-title">Snapshots</h1>
      <ErrorBanner error={error} />
      {error ? null : <ErrorBanner error={loadFailure?.message} retry={retryLoad} />}
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
      <form
        className="history-search"
        onSubmit={(e) => {
          e.preventDefault();
          if (search.trim()) setHistoryPath(search.trim());
        }}
      >
        <Field label="Find a file's history" hint="The file's full path, as it was backed up: every stored version, and a way to put one back.">
          {(id) => (
            <div className="history-search-row">
              <input id={id} value={search} placeholder="/home/me/Documents/report.odt" onChange={(e) => setSearch(e.target.value)} />
              <button type="submit" disabled={!plan || !search.trim()}>
                Show history
              </button>
            </div>
          )}
        </Field>
      </form>
      {historyPath && plan ? <FileHistory key={`${plan} ${historyPath}`} plan={plan} path={historyPath} onClose={() => setHistoryPath(undefined)} /> : null}
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
                  setSelected([]);
                  setMessage(undefined);
                  setPreviewing(false);
                }}
              >
                {formatTime(s.time)} · {s.shortId}
              </button>
            </li>
          ))}
        </ul>
        {snapshot ? (
          <div className="card browser">
            <CompareWith plan={plan} snapshot={snapshot} snapshots={snapshots} />
            <p className="mono">
              {current}
              {current && !snapshot.paths.includes(current) ? (
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
                      type="checkbox"
                      checked={selected.includes(entry.path)}
                      onChange={(e) => toggle(entry.path, e.target.checked)}
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
                  {entry.type === 'file' ? (
                    <button type="button" className="link" aria-label={`History of ${entry.name}`} onClick={() => setHistoryPath(entry.path)}>
                      History
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
            <div className="restore-selection">
              <h2>Selected ({selected.length})</h2>
              {selected.length === 0 ? <p className="hint">Tick files and folders, in any folder of the snapshot.</p> : null}
              <ul className="list" aria-label="Selected for restore">
                {selected.map((item) => (
                  <li key={item} className="mono">
                    {item}{' '}
                    <button type="button" className="link" aria-label={`Unselect ${item}`} onClick={() => toggle(item, false)}>
                      ✕
                    </button>
                  </li>
                ))}
              </ul>
            </div>
            <fieldset>
              <legend>Restore to</legend>
              <label className="choice">
                <input type="radio" name="destination" checked={destination === 'folder'} onChange={() => setDestination('folder')} /> A folder (the original
                paths are recreated inside it)
              </label>
              {destination === 'folder' ? (
                <Field label="Restore into">{(id) => <input id={id} value={target} onChange={(e) => setTarget(e.target.value)} />}</Field>
              ) : null}
              <label className="choice">
                <input type="radio" name="destination" checked={destination === 'original'} onChange={() => setDestination('original')} /> The original location
              </label>
              {destination === 'original' && !previewing ? (
                <OverwriteField value={overwrite} onChange={setOverwrite} hint="Restore selected shows first what would be created, overwritten and kept." />
              ) : null}
            </fieldset>
            <button
              type="button"
              className="primary"
              onClick={destination === 'original' ? () => setPreviewing(true) : restore}
              disabled={selected.length === 0 || busy || (destination === 'original' && previewing)}
            >
              Restore selected
            </button>
            {destination === 'original' && previewing && selected.length > 0 ? (
              <RestorePreview
                plan={plan}
                snapshot={snapshot.id}
                include={selected}
                overwrite={overwrite}
                busy={busy}
                onOverwrite={setOverwrite}
                onLoaded={previewLoaded}
                onRestore={() => void restore()}
                onCancel={() => {
                  setPreviewing(false);
                  setMessage(undefined);
                }}
              />
            ) : null}
            {message ? <p role="status">{message}</p> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
