import type { Message as BusMessage, MessageBus } from 'dbus-next';
import { type DesktopNotification, NOTIFICATION_ACTION_LABELS, type NotificationActionId, type NotificationChoice } from '../notify/message.ts';
import { errorMessage } from '../util/errors.ts';
import type { Notifier } from './platform.ts';

type DbusModule = typeof import('dbus-next');

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
const URGENCY = { low: 0, normal: 1, critical: 2 } as const;
const CALL_TIMEOUT_MS = 5000;
/** Notifications whose buttons are still answered; older ones are forgotten first. */
const MAX_OPEN = 100;

/** dbus-next is loaded with the first notification that needs it: most commands send none. */
let loading: Promise<DbusModule> | undefined;
function loadDbus(): Promise<DbusModule> {
  loading ??= import('dbus-next').then((module) => ((module as { default?: DbusModule }).default ?? module) as DbusModule);
  return loading;
}

interface Connection {
  bus: MessageBus;
  dbus: DbusModule;
  actions: boolean;
  /** The server reads the body as markup: text from a run (a path with "<" or "&") is escaped. */
  markup: boolean;
  /** The unique bus name of the notification server: only its signals count. */
  server: string | undefined;
}

export interface DbusNotifierOptions {
  /** Where notifications go when actions cannot be shown: the plain path (node-notifier). */
  fallback: Notifier;
  env: NodeJS.ProcessEnv;
  log?: ((line: string) => void) | undefined;
}

/**
 * Desktop notifications with buttons over the freedesktop notification D-Bus interface: used once
 * someone listens for choices (the daemon, serve) and the server says it has the `actions`
 * capability. Without a session bus, without that capability, or with nobody listening, every
 * notification takes the plain path instead.
 */
export class DbusNotifier implements Notifier {
  private readonly options: DbusNotifierOptions;
  private listener: ((choice: NotificationChoice) => void) | undefined;
  private connecting: Promise<Connection | undefined> | undefined;
  private readonly open = new Map<number, DesktopNotification>();
  /** Presses heard before the answer to Notify was read (both arrive in one read from the socket). */
  private readonly early = new Map<number, string>();
  private toldPlain = false;

  constructor(options: DbusNotifierOptions) {
    this.options = options;
  }

  onChoice(listener: (choice: NotificationChoice) => void): void {
    this.listener = listener;
  }

  async notify(notification: DesktopNotification): Promise<void> {
    const connection = this.listener ? await this.connection() : undefined;
    if (!connection?.actions) {
      if (connection && !this.toldPlain) {
        this.toldPlain = true;
        this.options.log?.('the notification server shows no buttons (no "actions" capability): notifications are plain');
      }
      return this.options.fallback.notify(notification);
    }
    const { bus, dbus } = connection;
    const reply = await this.call(
      bus,
      new dbus.Message({
        destination: NAME,
        path: PATH,
        interface: NAME,
        member: 'Notify',
        signature: 'susssasa{sv}i',
        body: [
          'Lifeboat',
          0,
          '',
          notification.title,
          connection.markup ? escapeMarkup(notification.body) : notification.body,
          actionList(notification),
          { urgency: new dbus.Variant('y', URGENCY[notification.urgency]) },
          -1,
        ],
      }),
    );
    if (reply.sender) connection.server = reply.sender; // the server may have been restarted under a new name
    const id = Number(reply.body[0]);
    this.open.set(id, notification);
    if (this.open.size > MAX_OPEN) this.open.delete(this.open.keys().next().value!);
    const pressed = this.early.get(id);
    this.early.delete(id);
    if (pressed !== undefined) this.chosen(id, pressed);
  }

  async close(): Promise<void> {
    const connection = await this.connecting?.catch(() => undefined);
    this.connecting = undefined;
    connection?.bus.disconnect();
  }

  /** The session bus and what the server can do, asked once; undefined when there is no bus to ask. */
  private connection(): Promise<Connection | undefined> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.options.log?.(`the desktop notification service cannot be reached over D-Bus (${errorMessage(error)}): notifications are plain`);
      return undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<Connection | undefined> {
    const address = this.options.env.DBUS_SESSION_BUS_ADDRESS;
    if (!address) return undefined;
    const dbus = await loadDbus();
    const bus = dbus.sessionBus({ busAddress: address });
    bus.on('error', (error: unknown) => {
      this.options.log?.(`the D-Bus session bus went away (${errorMessage(error)})`);
      this.connecting = undefined;
      this.open.clear();
    });
    try {
      const capabilities = await this.call(bus, new dbus.Message({ destination: NAME, path: PATH, interface: NAME, member: 'GetCapabilities' }));
      const offered = Array.isArray(capabilities.body[0]) ? (capabilities.body[0] as unknown[]) : [];
      const connection: Connection = {
        bus,
        dbus,
        actions: offered.includes('actions'),
        markup: offered.includes('body-markup'),
        server: capabilities.sender || undefined,
      };
      if (connection.actions) {
        await this.call(
          bus,
          new dbus.Message({
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus',
            member: 'AddMatch',
            signature: 's',
            body: [`type='signal',interface='${NAME}',path='${PATH}'`],
          }),
        );
        bus.on('message', (message: BusMessage) => this.heard(connection, message));
      }
      return connection;
    } catch (error) {
      bus.disconnect();
      throw error;
    }
  }

  private heard(connection: Connection, message: BusMessage): void {
    if (message.interface !== NAME || message.type !== connection.dbus.MessageType.SIGNAL) return;
    if (connection.server && message.sender !== connection.server) return; // only the server's own signals
    const id = Number(message.body[0]);
    if (message.member === 'NotificationClosed') {
      this.open.delete(id);
      return;
    }
    if (message.member !== 'ActionInvoked') return;
    if (this.open.has(id)) {
      this.chosen(id, String(message.body[1]));
      return;
    }
    this.early.set(id, String(message.body[1]));
    if (this.early.size > MAX_OPEN) this.early.delete(this.early.keys().next().value!);
  }

  private chosen(id: number, key: string): void {
    const notification = this.open.get(id);
    const action = actionOf(key);
    if (!notification || !action) return;
    this.open.delete(id);
    this.listener?.({ action, planId: notification.planId, runId: notification.runId });
  }

  private async call(bus: MessageBus, message: BusMessage): Promise<BusMessage> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${message.member} within 5 s`)), CALL_TIMEOUT_MS);
    });
    try {
      const reply = await Promise.race([bus.call(message), timeout]);
      if (!reply) throw new Error(`no answer to ${message.member}`);
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The Notify actions list: key, label pairs; "default" (a click on the notification) opens the run. */
function actionList(notification: DesktopNotification): string[] {
  const actions = notification.actions ?? [];
  const list = actions.flatMap((action) => [action, NOTIFICATION_ACTION_LABELS[action]]);
  if (!actions.includes('open-log')) list.unshift('default', notification.runId ? 'Open log' : 'Open Lifeboat');
  return list;
}

/** The body as text in the notification spec's small markup language. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function actionOf(key: string): NotificationActionId | undefined {
  if (key === 'default') return 'open-log';
  return Object.hasOwn(NOTIFICATION_ACTION_LABELS, key) ? (key as NotificationActionId) : undefined;
}
