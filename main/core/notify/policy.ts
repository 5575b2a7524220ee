import type { RunStatus } from '../config/schema.ts';
import type { NotifyStatus, Plan, Settings } from '../config/types.ts';

/** What is remembered per plan between runs, so a person is told once and told right. */
export interface NotifyMemory {
  /** The last outcome that counts for recovery (skipped and cancelled runs do not). */
  lastOutcome?: RunStatus | undefined;
  lastNotified?: { kind: NotifyStatus; reason: string | null; at: string } | undefined;
}

export interface NotifyDecision {
  notify: boolean;
  kind: NotifyStatus;
  memory: NotifyMemory;
}

export const REPEAT_AFTER_MS = 24 * 3_600_000;

/**
 * Whether a finished run is worth a desktop notification: the plan's chosen statuses, a
 * recovery after failures, and no spam — the same failure (or warning, or skip) for the
 * same reason is told once, then again after 24 h or when the reason changes.
 */
export function decideNotification(
  plan: Plan,
  settings: Settings,
  run: { status: RunStatus; reason: string | null },
  memory: NotifyMemory,
  now: Date,
): NotifyDecision {
  const wanted = new Set<NotifyStatus>(plan.notifications.desktop);
  const counts = run.status !== 'skipped' && run.status !== 'cancelled';
  const recovered = (run.status === 'success' || run.status === 'warning') && memory.lastOutcome === 'failure';
  const next: NotifyMemory = { ...memory, lastOutcome: counts ? run.status : memory.lastOutcome };
  let kind: NotifyStatus = run.status;
  if (recovered && wanted.has('recovery') && !(run.status === 'warning' && wanted.has('warning'))) kind = 'recovery';
  const enabled = settings.notifications && plan.notifications.enabled && run.status !== 'cancelled' && wanted.has(kind);
  if (!enabled) return { notify: false, kind, memory: next };
  const last = memory.lastNotified;
  const repeated =
    (kind === 'failure' || kind === 'warning' || kind === 'skipped') &&
    last?.kind === kind &&
    last.reason === run.reason &&
    now.getTime() - Date.parse(last.at) < REPEAT_AFTER_MS;
  if (repeated) return { notify: false, kind, memory: next };
  return { notify: true, kind, memory: { ...next, lastNotified: { kind, reason: run.reason, at: now.toISOString() } } };
}
