import type { BackupProgress } from '../core/restic/messages.ts';
import { shortSnapshotId } from '../core/restic/snapshot-id.ts';
import type { RunRecord } from '../core/runs/run-record.ts';
import { formatDuration } from '../core/util/duration.ts';
import { formatBytes } from '../core/util/size.ts';

const MARKS: Record<string, string> = { success: '✔', warning: '⚠', failure: '✘', skipped: '⏭', cancelled: '■', running: '…' };

export function statusMark(status: string): string {
  return MARKS[status] ?? '?';
}

export function describeRun(run: RunRecord, planName: string): string {
  const took = run.endedAt ? ` in ${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))}` : '';
  const head = `${statusMark(run.status)} ${planName}: ${run.status}${took}`;
  const lines = [head];
  if (run.reason) lines.push(`  ${run.reason}`);
  if (run.snapshotId) {
    const summary = run.summary;
    const detail = summary
      ? ` (${summary.total_files_processed} files, ${formatBytes(summary.total_bytes_processed)} read, ${formatBytes(summary.data_added)} added)`
      : '';
    lines.push(`  snapshot ${shortSnapshotId(run.snapshotId)}${detail}`);
  }
  return `${lines.join('\n')}\n`;
}

export function describeProgress(progress: BackupProgress): string {
  const percent = `${(progress.percent * 100).toFixed(1).padStart(5)} %`;
  const files = `${progress.filesDone}/${progress.totalFiles} files`;
  const bytes = `${formatBytes(progress.bytesDone)}/${formatBytes(progress.totalBytes)}`;
  const eta = progress.secondsRemaining !== undefined ? ` · ETA ${formatDuration(progress.secondsRemaining * 1000)}` : '';
  const file = progress.currentFile ? ` · ${shorten(progress.currentFile, 40)}` : '';
  return `${percent} · ${files} · ${bytes}${eta}${file}`;
}

export function timeAgo(iso: string, now = new Date()): string {
  const seconds = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `…${text.slice(text.length - length + 1)}`;
}

/** A path on one line: one with a newline or other control character is shown quoted and escaped. */
export function shownPath(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}
