import notifier from 'node-notifier';
import type { DesktopNotification } from '../notify/message.ts';
import type { Notifier } from './platform.ts';

/** Headless desktop notifications: libnotify over D-Bus on Linux, the OS's own elsewhere. */
export class NodeNotifier implements Notifier {
  notify(notification: DesktopNotification): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the notification service did not answer within 5 s')), 5000);
      notifier.notify(
        {
          title: notification.title,
          message: notification.body || ' ',
          urgency: notification.urgency,
          'app-name': 'Lifeboat',
          wait: false,
        } as notifier.Notification,
        (error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }
}
