import type NodeNotifierModule from 'node-notifier';
import type { DesktopNotification } from '../notify/message.ts';
import type { Notifier } from './platform.ts';

type NotifierInstance = typeof NodeNotifierModule;

/** node-notifier and its dependencies are loaded with the first notification: most commands send none. */
let loading: Promise<NotifierInstance> | undefined;
function loadNotifier(): Promise<NotifierInstance> {
  loading ??= import('node-notifier').then((module) => module.default);
  return loading;
}

/** Headless desktop notifications: libnotify over D-Bus on Linux, the OS's own elsewhere. */
export class NodeNotifier implements Notifier {
  async notify(notification: DesktopNotification): Promise<void> {
    const notifier = await loadNotifier();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the notification service did not answer within 5 s')), 5000);
      notifier.notify(
        {
          title: notification.title,
          message: notification.body || ' ',
          urgency: notification.urgency,
          'app-name': 'Lifeboat',
          wait: false,
        } as NodeNotifierModule.Notification,
        (error) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }
}
