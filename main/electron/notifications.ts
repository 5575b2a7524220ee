import { Notification } from 'electron';
import { type DesktopNotification, NOTIFICATION_ACTION_LABELS, type NotificationChoice } from '../core/notify/message.ts';
import type { Notifier } from '../core/platform/platform.ts';

/** Where Electron shows buttons on a notification (macOS, Windows); elsewhere a click opens the run. */
const SHOWS_ACTIONS: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32']);

/**
 * Native notifications from the app: a click opens that run's log in the window (the dashboard
 * for a notification about no run); on macOS and Windows its buttons (Retry now, Snooze 1 h,
 * Open log, Back up now) are heard by `onChoice`.
 */
export class ElectronNotifier implements Notifier {
  private readonly openRun: (runId: string) => void;
  private readonly platform: NodeJS.Platform;
  private listener: ((choice: NotificationChoice) => void) | undefined;
  /** Shown notifications are kept until closed: one collected early would lose its click. */
  private readonly shown = new Set<Notification>();

  constructor(openRun: (runId: string) => void, platform: NodeJS.Platform = process.platform) {
    this.openRun = openRun;
    this.platform = platform;
  }

  onChoice(listener: (choice: NotificationChoice) => void): void {
    this.listener = listener;
  }

  async notify(notification: DesktopNotification): Promise<void> {
    if (!Notification.isSupported()) throw new Error('this desktop does not support notifications');
    const actions = SHOWS_ACTIONS.has(this.platform) ? (notification.actions ?? []) : [];
    const shown = new Notification({
      title: notification.title,
      body: notification.body,
      urgency: notification.urgency,
      timeoutType: notification.urgency === 'critical' ? 'never' : 'default',
      ...(actions.length > 0 ? { actions: actions.map((action) => ({ type: 'button' as const, text: NOTIFICATION_ACTION_LABELS[action] })) } : {}),
    });
    if (notification.runId || notification.planId) shown.on('click', () => this.openRun(notification.runId));
    if (actions.length > 0) {
      shown.on('action', (details, index) => {
        const action = actions[details?.actionIndex ?? index];
        if (action) this.listener?.({ action, planId: notification.planId, runId: notification.runId });
      });
    }
    this.shown.add(shown);
    shown.on('close', () => this.shown.delete(shown));
    if (this.shown.size > 100) this.shown.delete(this.shown.values().next().value!);
    shown.show();
  }
}
