import type { HookEvent } from '../config/schema.ts';
import type { RunRecord } from './run-record.ts';
import type { RunState } from './run-state.ts';

/** Runs the hooks bound to one event of a run, recording their steps and verdicts on the run. */
export interface HookDispatcher {
  dispatch(event: HookEvent, run: RunState): Promise<void>;
}

/**
 * Async hooks never hold their run (SPEC §4): the run ends, is stored and tells its outcome
 * while they go on. Each one's step is added to the run's history record when it ends; saves
 * follow one another so the newest stored state always holds every step. Resolves when every
 * async hook of the run has ended and been saved.
 */
export function saveAsyncSteps(run: RunState, save: (record: RunRecord) => Promise<void>): Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  const saved = run.pendingAsync.map((pending) =>
    pending.then(() => {
      chain = chain.then(() => save(run.record)).catch(() => undefined); // a full disk is reported by the run's own saves
      return chain;
    }),
  );
  return Promise.allSettled(saved).then(() => undefined);
}
