import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type NodeNotifierModule from 'node-notifier';
import type { DesktopNotification } from '../notify/message.ts';
import { xdgDir } from '../util/paths.ts';
import type { Notifier } from './platform.ts';

type NotifierInstance = typeof NodeNotifierModule;

/** node-notifier and its dependencies are loaded with the first notification: most commands send none. */
let loading: Promise<NotifierInstance> | undefined;
function loadNotifier(): Promise<NotifierInstance> {
  loading ??= import('node-notifier').then((module) => module.default);
  return loading;
}

/**
 * Why a desktop notification cannot be shown from here, if it cannot: on Linux, no session bus
 * (its address, or the socket in the runtime folder that libnotify looks for) and no display, as
 * on a server or under cron. Known without starting notify-send, which would only fail.
 */
export function noDesktopSession(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  if (env.DBUS_SESSION_BUS_ADDRESS || env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const runtime = xdgDir(env, 'XDG_RUNTIME_DIR') ?? (uid === undefined ? undefined : `/run/user/${uid}`);
  if (runtime && existsSync(join(runtime, 'bus'))) return undefined;
  return 'there is no desktop session here (no D-Bus session bus, no DISPLAY): run Lifeboat in a desktop session, or use monitors to be told';
}

/** Headless desktop notifications: libnotify over D-Bus on Linux, the OS's own elsewhere. */
export class NodeNotifier implements Notifier {
  private readonly env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.env = env;
  }

  async notify(notification: DesktopNotification): Promise<void> {
    const nowhere = noDesktopSession(this.env);
    if (nowhere) throw new Error(nowhere);
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
