import type { Plan, Settings } from '../config/types.ts';
import type { Notifier } from '../platform/platform.ts';
import type { PlanStateStore } from '../runs/plan-state.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { errorMessage } from '../util/errors.ts';
import { type DesktopNotification, failureNotification, notificationFor, staleNotification } from './message.ts';
import { decideNotification } from './policy.ts';
import type { Staleness } from './staleness.ts';

export interface NotificationCenterOptions {
  notifier: Notifier;
  state: PlanStateStore;
  settings: () => Settings;
  now: () => Date;
  log?: ((line: string) => void) | undefined;
  /** A snoozed plan's notifications are kept quiet until the snooze ends. */
  silenced?: ((planId: string) => boolean) | undefined;
}

/** Decides, remembers and shows desktop notifications for finished runs. */
export class NotificationCenter {
  private readonly options: NotificationCenterOptions;

  constructor(options: NotificationCenterOptions) {
    this.options = options;
  }

  /** Returns the notification shown, if any. A notification that cannot be shown never fails the run. */
  async afterRun(plan: Plan, run: RunRecord): Promise<DesktopNotification | undefined> {
    if (run.status === 'running') return undefined;
    const state = await this.options.state.get(plan.id);
    const decision = decideNotification(plan, this.options.settings(), { status: run.status, reason: run.reason }, state.notify ?? {}, this.options.now());
    await this.options.state.update(plan.id, { notify: decision.memory }, { durable: false });
    if (!decision.notify || this.options.silenced?.(plan.id)) return undefined;
    const notification = notificationFor(decision.kind, plan.name, run);
    await this.show(notification);
    return notification;
  }

  /**
   * A failed run that is not a backup (a restore check): told when the plan wants failures told,
   * without touching what the backups' notifications remember (recovery, no repeats).
   */
  async afterFailure(plan: Plan, run: RunRecord): Promise<DesktopNotification | undefined> {
    if (run.status !== 'failure') return undefined;
    if (
      !this.options.settings().notifications ||
      !plan.notifications.enabled ||
      !plan.notifications.desktop.includes('failure') ||
      this.options.silenced?.(plan.id)
    )
      return undefined;
    const notification = failureNotification(plan.name, run);
    await this.show(notification);
    return notification;
  }

  /** The staleness alarm on the desktop, unless notifications are off for the plan or it is snoozed. */
  async staleAlarm(plan: Plan, stale: Staleness): Promise<DesktopNotification | undefined> {
    if (!this.options.settings().notifications || !plan.notifications.enabled || this.options.silenced?.(plan.id)) return undefined;
    const notification = staleNotification(plan.id, plan.name, stale, this.options.now());
    await this.show(notification);
    return notification;
  }

  /** "Send test notification": proves the path to the desktop works. */
  async test(): Promise<void> {
    await this.options.notifier.notify({
      title: 'Lifeboat test notification',
      body: 'Notifications reach you. Backups will say here when they need you.',
      urgency: 'normal',
      runId: '',
      planId: '',
    });
  }

  private async show(notification: DesktopNotification): Promise<void> {
    try {
      await this.options.notifier.notify(notification);
    } catch (error) {
      this.options.log?.(`desktop notification not shown (${errorMessage(error)}): ${notification.title}`);
    }
  }
}
