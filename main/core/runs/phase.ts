import type { HookEvent } from '../config/schema.ts';
import { asDiskFull, errorMessage } from '../util/errors.ts';
import type { HookDispatcher } from './hook-dispatcher.ts';
import type { RunState } from './run-state.ts';

export type Phase = 'backup' | 'prune' | 'check' | 'restore' | 'copy';

/**
 * Runs `<phase>.before` hooks, the operation, then `<phase>.after` hooks in a `finally`:
 * once a phase has begun its after-hooks always run, whatever happened in between, so
 * paired set-up and clean-up stay balanced. The operation runs only if nothing before
 * it stopped the run.
 */
export async function runPhase(phase: Phase, run: RunState, hooks: HookDispatcher, operation: () => Promise<void>): Promise<void> {
  try {
    await hooks.dispatch(`${phase}.before` as HookEvent, run);
    if (!run.stopped) await operation();
  } catch (error) {
    // A full disk while a hook's script or the summary is written is a sentence, not ENOSPC.
    run.fail(errorMessage(asDiskFull(error, run.workingDir)));
  } finally {
    await hooks.dispatch(`${phase}.after` as HookEvent, run);
  }
}
