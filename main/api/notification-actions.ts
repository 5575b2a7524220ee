import type { NotificationChoice } from '../core/notify/message.ts';
import type { Notifier } from '../core/platform/platform.ts';
import { errorMessage, unreachable } from '../core/util/errors.ts';
import type { Api } from './router.ts';

export interface NotificationActionOptions {
  /** Shows a run's log (runId '' for a notification about no run: the dashboard). */
  openRun(runId: string, planId: string): void | Promise<void>;
  log?: ((line: string) => void) | undefined;
}

/** The UI route of a run's log, or the dashboard when there is no run. */
export function runRoute(runId: string): string {
  return runId ? `/history/${encodeURIComponent(runId)}` : '/';
}

/**
 * A person's choice on a notification goes through the same API calls as the GUI's buttons:
 * Retry now is `plans.run` with trigger retry, Back up now is `plans.run`, Snooze 1 h is
 * `plans.snooze`, Open log opens the run's page.
 */
export function connectNotificationActions(api: Api, notifier: Notifier, options: NotificationActionOptions): void {
  notifier.onChoice?.((choice) => {
    act(api, choice, options).catch((error: unknown) =>
      options.log?.(`${choice.planId}: "${choice.action}" from a notification failed: ${errorMessage(error)}`),
    );
  });
}

async function act(api: Api, choice: NotificationChoice, options: NotificationActionOptions): Promise<void> {
  options.log?.(`${choice.planId}: "${choice.action}" chosen on a notification`);
  switch (choice.action) {
    case 'retry':
      await api.call('plans.run', { plan: choice.planId, trigger: 'retry' });
      return;
    case 'back-up-now':
      await api.call('plans.run', { plan: choice.planId });
      return;
    case 'snooze':
      await api.call('plans.snooze', { plan: choice.planId });
      return;
    case 'open-log':
      await options.openRun(choice.runId, choice.planId);
      return;
    default:
      unreachable(choice.action);
  }
}
