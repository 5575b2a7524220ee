import { Notification } from 'electron';
import type { DesktopNotification } from '../core/notify/message.ts';
import type { Notifier } from '../core/platform/platform.ts';

/** Native notifications from the app; a click opens that run's log in the window. */
export class ElectronNotifier implements Notifier {
  private readonly openRun: (runId: string) => void;

  constructor(openRun: (runId: string) => void) {
    this.openRun = openRun;
  }

  async notify(notification: DesktopNotification): Promise<void> {
    if (!Notification.isSupported()) throw new Error('this desktop does not support notifications');
    const shown = new Notification({
      title: notification.title,
      body: notification.body,
      urgency: notification.urgency,
      timeoutType: notification.urgency === 'critical' ? 'never' : 'default',
    });
    if (notification.runId) shown.on('click', () => this.openRun(notification.runId));
    shown.show();
  }
}
