import type { NotifyStatus } from '../config/types.ts';
import { shortSnapshotId } from '../restic/snapshot-id.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { formatBytes } from '../util/size.ts';

export interface DesktopNotification {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  /** The run a click opens in the app. */
  runId: string;
  planId: string;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A failed run that is not a backup: what failed, by its kind. */
export function failureNotification(planName: string, run: RunRecord): DesktopNotification {
  const kind = run.kind ?? 'backup';
  const what = kind === 'verify' ? 'Restore check failed' : `${kind.charAt(0).toUpperCase()}${kind.slice(1)} failed`;
  return { runId: run.id, planId: run.plan, title: `${what} — ${planName}`, body: run.reason ?? '', urgency: 'critical' };
}

/** A title and a body a person understands at a glance. */
export function notificationFor(kind: NotifyStatus, planName: string, run: RunRecord): DesktopNotification {
  const base = { runId: run.id, planId: run.plan };
  const reason = run.reason ?? '';
  switch (kind) {
    case 'failure':
      return { ...base, title: `Backup failed — ${planName}`, body: reason, urgency: 'critical' };
    case 'warning':
      return { ...base, title: `Backup finished with a warning — ${planName}`, body: reason, urgency: 'normal' };
    case 'skipped':
      return { ...base, title: `Backup skipped — ${planName}`, body: `Skipped: ${lowerFirst(reason)}`, urgency: 'low' };
    case 'recovery':
      return { ...base, title: `Backups work again — ${planName}`, body: 'The last backup succeeded after earlier failures.', urgency: 'normal' };
    case 'cancelled':
      return { ...base, title: `Backup cancelled — ${planName}`, body: reason, urgency: 'low' };
    default: {
      const summary = run.summary;
      const detail = summary ? `: ${summary.total_files_processed} files, ${formatBytes(summary.data_added)} added` : '';
      return { ...base, title: `Backup done — ${planName}`, body: `Snapshot ${shortSnapshotId(run.snapshotId ?? '')}${detail}`.trim(), urgency: 'low' };
    }
  }
}
