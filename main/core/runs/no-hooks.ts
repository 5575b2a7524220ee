import type { HookEvent } from '../config/schema.ts';
import { UserError } from '../util/errors.ts';
import type { HookDispatcher } from './hook-dispatcher.ts';
import type { RunState } from './run-state.ts';

/**
 * The dispatcher until hooks can run: a plan without enabled hooks runs as usual, and a
 * plan that has some is refused rather than backed up without them.
 */
export class HooksNotAvailable implements HookDispatcher {
  async dispatch(event: HookEvent, run: RunState): Promise<void> {
    const bound = run.plan.hooks.filter((hook) => hook.enabled && hook.on.includes(event));
    if (bound.length > 0 && event === 'run.start') {
      throw new UserError(
        `Plan "${run.plan.id}" has hooks, and this version of Lifeboat cannot run hooks yet. Disable them ("enabled": false) to back up without them.`,
      );
    }
  }
}
