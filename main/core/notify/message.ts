import type { NotifyStatus } from '../config/types.ts';
import { shortSnapshotId } from '../restic/snapshot-id.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { formatBytes } from '../util/size.ts';
import { type Staleness, staleAge } from './staleness.ts';

/** What a person can do from a notification itself; each maps to the same API call as the GUI's button. */
export type NotificationActionId = 'retry' | 'snooze' | 'open-log' | 'back-up-now';

export const NOTIFICATION_ACTION_LABELS: Record<NotificationActionId, string> = {
  retry: 'Retry now',
  snooze: 'Snooze 1 h',
  'open-log': 'Open log',
  'back-up-now': 'Back up now',
};

export interface DesktopNotification {
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  /** The run a click opens in the app ('' when it is about no run, such as a staleness alarm). */
  runId: string;
  planId: string;
  /** Buttons, where the desktop shows them (in this order); a click on the notification opens the run. */
  actions?: NotificationActionId[] | undefined;
}

/** A person's choice on a notification, as a notifier hears it back. */
export interface NotificationChoice {
  action: NotificationActionId;
  planId: string;
  runId: string;
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
      return { ...base, title: `Backup failed — ${planName}`, body: reason, urgency: 'critical', actions: ['retry', 'snooze', 'open-log'] };
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

/** The staleness alarm: "Documents: no backup for 4 days", the last run in the body, and Back up now. */
export function staleNotification(planId: string, planName: string, stale: Staleness, now: Date): DesktopNotification {
  return {
    title: `${planName}: no backup for ${staleAge(stale.since, now)}`,
    body: `Last: ${stale.lastReason}`,
    urgency: 'critical',
    runId: '',
    planId,
    actions: ['back-up-now'],
  };
}
