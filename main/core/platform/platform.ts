import type { DesktopNotification, NotificationChoice } from '../notify/message.ts';

/** What the engine needs from the machine, answered by the OS or by the desktop app. */

export interface BatteryState {
  name: string;
  percent: number;
  /** As the OS says it: Charging, Discharging, Full, Not charging, Unknown. */
  status: string;
}

export interface PowerState {
  batteries: BatteryState[];
  /** On mains power (a machine without a battery counts as on mains). */
  onAC: boolean;
}

export type Unsupported = { unsupported: string };

export function isUnsupported(value: unknown): value is Unsupported {
  return typeof value === 'object' && value !== null && 'unsupported' in value;
}

export interface PowerSource {
  read(): Promise<PowerState | Unsupported>;
}

export interface IdleSource {
  /** Seconds since the person last used keyboard or mouse. */
  idleSeconds(): Promise<number | Unsupported>;
}

export interface MeteredSource {
  /** Whether the active connection is metered; `unknown` with a note when nobody can tell. */
  metered(): Promise<boolean | { unknown: string }>;
}

/** Shows a desktop notification; resolves once it was handed to the OS (or failed, said in the error). */
export interface Notifier {
  notify(notification: DesktopNotification): Promise<void>;
  /**
   * Who hears a person's choice on a notification (Retry now, Snooze 1 h, Open log, Back up now).
   * Only a long-lived process sets one; a notifier that cannot show actions never calls it.
   */
  onChoice?(listener: (choice: NotificationChoice) => void): void;
  /** Lets go of what it holds (a D-Bus connection), so the process can exit. */
  close?(): Promise<void>;
}

/** What keeps the machine from sleeping during a run, as the run's history names it. */
export type AwakeVia = 'systemd-inhibit' | 'electron' | `unavailable: ${string}`;

/** A hold on the machine's sleep: released once, whatever ended the run. */
export interface AwakeHold {
  via: AwakeVia;
  release(): Promise<void>;
}

export interface KeepAwake {
  /** Keeps the machine awake until the hold is released; never throws (a machine that cannot is "unavailable: why"). */
  keepAwake(reason: string): Promise<AwakeHold>;
}

/** The null object: nothing keeps the machine awake here, and the hold says why. */
export function awakeUnavailable(why: string): KeepAwake {
  return { keepAwake: async () => ({ via: `unavailable: ${why}`, release: async () => undefined }) };
}

export interface Platform {
  power: PowerSource;
  idle: IdleSource;
  network: MeteredSource;
  notifier: Notifier;
  /** Missing: nothing keeps the machine awake during runs. */
  awake?: KeepAwake | undefined;
}
