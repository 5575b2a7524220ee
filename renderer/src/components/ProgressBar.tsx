import type { Progress } from '../../../main/api/contract.ts';
import { formatBytes, formatSeconds } from '../format.ts';

/** Fixed height, so updates never move the layout. */
export function ProgressBar({ progress }: { progress: Progress | null }) {
  const percent = Math.round((progress?.percent ?? 0) * 1000) / 10;
  return (
    <div className="progress" aria-live="off">
      <div className="progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Backup progress">
        <div className="progress-fill" style={{ transform: `scaleX(${percent / 100})` }} />
      </div>
      <p className="progress-text">
        {progress
          ? `${percent.toFixed(1)} % · ${progress.filesDone}/${progress.totalFiles} files · ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.totalBytes)}${
              progress.secondsRemaining !== undefined ? ` · ${formatSeconds(progress.secondsRemaining)} left` : ''
            }`
          : 'Starting…'}
      </p>
      <p className="progress-file">{progress?.currentFile ?? '\u00a0'}</p>
    </div>
  );
}
