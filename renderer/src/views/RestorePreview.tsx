import { useEffect } from 'react';
import type { CallOutput } from '../../../main/api/contract.ts';
import { ErrorBanner, Field } from '../components/common.tsx';
import { formatBytes, formatTime, plural } from '../format.ts';
import { useCall } from '../use-call.ts';

export type Overwrite = 'never' | 'if-newer' | 'always';
type Preview = CallOutput<'snapshots.restorePreview'>;
type PreviewList = Preview['created'];

export const OVERWRITE: Array<[Overwrite, string]> = [
  ['never', 'Never: keep every file that is there'],
  ['if-newer', 'Only where the backup is newer'],
  ['always', 'Always: the backup replaces what is there'],
];

/** How many paths of each list are shown; the count says how many there are. */
const SHOWN = 50;

/** The preview in one sentence, for the status line. */
export function previewSentence(preview: Preview, items: number): string {
  const newer =
    preview.newerOnDisk.count > 0
      ? ` ${plural(preview.newerOnDisk.count, 'file')} on disk ${preview.newerOnDisk.count === 1 ? 'is' : 'are'} newer than the backup.`
      : '';
  return `Restoring ${plural(items, 'item')} to the original location would create ${plural(preview.created.count, 'file')}, overwrite ${preview.overwritten.count} and keep ${preview.kept.count}.${newer}`;
}

function PathList({ title, list, times }: { title: string; list: PreviewList; times?: boolean }) {
  if (list.count === 0) return null;
  const more = list.count - Math.min(list.files.length, SHOWN);
  return (
    <details open={list.count <= 10}>
      <summary>
        {title} ({list.count}) <span className="hint">{formatBytes(list.bytes)}</span>
      </summary>
      <ul className="list" aria-label={title}>
        {list.files.slice(0, SHOWN).map((file) => (
          <li key={file.path} className="mono">
            {file.path}
            {times && file.disk ? (
              <span className="hint">
                {' '}
                on disk {formatTime(file.disk.mtime)}, in the backup {formatTime(file.mtime)}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="hint">… and {more} more</p> : null}
    </details>
  );
}

/**
 * What restoring the selection to the original location would do, for the chosen policy
 * (asked again when it changes); the restore starts only from here.
 */
export function RestorePreview({
  plan,
  snapshot,
  include,
  overwrite,
  busy,
  onOverwrite,
  onLoaded,
  onRestore,
  onCancel,
}: {
  plan: string;
  snapshot: string;
  include: string[];
  overwrite: Overwrite;
  busy: boolean;
  onOverwrite: (overwrite: Overwrite) => void;
  onLoaded: (preview: Preview) => void;
  onRestore: () => void;
  onCancel: () => void;
}) {
  const preview = useCall('snapshots.restorePreview', { plan, snapshot, inPlace: true, overwrite, include });
  const answer = preview.data;
  useEffect(() => {
    if (answer) onLoaded(answer);
  }, [answer, onLoaded]);
  return (
    <section className="card restore-preview" aria-labelledby="restore-preview-title">
      <h2 id="restore-preview-title">Restore to the original location</h2>
      <OverwriteField value={overwrite} onChange={onOverwrite} />
      <ErrorBanner error={preview.error?.message} retry={preview.retry} />
      {preview.loading ? <p className="hint">Comparing the backup with the files on disk…</p> : null}
      {answer && !preview.loading ? (
        <>
          <ul className="preview-counts" aria-label="What the restore would do">
            <li>
              <strong>{answer.created.count}</strong> created
            </li>
            <li>
              <strong>{answer.overwritten.count}</strong> overwritten
            </li>
            <li>
              <strong>{answer.kept.count}</strong> kept as they are
            </li>
            <li>
              <strong>{answer.unchanged.count}</strong> already as in the backup
            </li>
          </ul>
          {answer.newerOnDisk.count > 0 ? (
            <p className={`banner ${overwrite === 'always' ? 'banner-error' : 'banner-warning'}`} role="note">
              {plural(answer.newerOnDisk.count, 'file')} on disk {answer.newerOnDisk.count === 1 ? 'is' : 'are'} newer than the backup
              {overwrite === 'always' ? ' and would be overwritten.' : '; this policy keeps them.'}
            </p>
          ) : null}
          <PathList title="Newer on disk" list={answer.newerOnDisk} times />
          <PathList title="Created" list={answer.created} />
          <PathList title="Overwritten" list={answer.overwritten} times />
          <PathList title="Kept" list={answer.kept} times />
        </>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" disabled={!answer || preview.loading || busy} onClick={onRestore}>
          Restore now
        </button>{' '}
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** The in-place overwrite policy, one choice: the restore form and the preview both ask it this way. */
export function OverwriteField({ value, onChange, hint }: { value: Overwrite; onChange: (value: Overwrite) => void; hint?: string }) {
  return (
    <Field label="Files that are there already" hint={hint}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as Overwrite)}>
          {OVERWRITE.map(([choice, label]) => (
            <option key={choice} value={choice}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
