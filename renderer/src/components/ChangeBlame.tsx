import type { RunChangesView } from '../../../main/api/contract.ts';
import { formatBytes, plural } from '../format.ts';
import { ExcludeButton } from './ExcludeButton.tsx';

const CHANGE_WORDS = { added: 'new', changed: 'changed', removed: 'removed' } as const;

/** Size blame: the folders that grew the most (each with Exclude…) and the largest files added or grown. */
export function ChangeBlame({ changes }: { changes: Pick<RunChangesView, 'plan' | 'topFolders' | 'topPaths'> }) {
  if (changes.topFolders.length === 0 && changes.topPaths.length === 0) return <p className="hint">Nothing grew.</p>;
  return (
    <div className="blame">
      {changes.topFolders.length > 0 ? (
        <>
          <h3>Folders that grew the most</h3>
          <ul className="list blame-list" aria-label="Folders that grew the most">
            {changes.topFolders.map((folder) => (
              <li key={folder.path}>
                <span className="blame-size">+{formatBytes(folder.bytes)}</span> <span className="mono">{folder.path}</span>{' '}
                <span className="hint">{plural(folder.files, 'file')}</span>{' '}
                {/* A plan's own folder is not excluded: it would be removed from the plan instead. */}
                {folder.excludable ? <ExcludeButton plan={changes.plan} path={folder.path} /> : null}
                {folder.excluded ? <span className="badge">left out of the next backups</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {changes.topPaths.length > 0 ? (
        <>
          <h3>Largest files added or grown</h3>
          <ul className="list blame-list" aria-label="Largest files added or grown">
            {changes.topPaths.map((entry) => (
              <li key={entry.path}>
                <span className="blame-size">+{formatBytes(entry.bytes)}</span> <span className="mono">{entry.path}</span>{' '}
                <span className="hint">
                  {CHANGE_WORDS[entry.change]}, {formatBytes(entry.size)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
