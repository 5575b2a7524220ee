import type { HookEvent } from '../config/schema.ts';
import type { RunState } from './run-state.ts';

/** Runs the hooks bound to one event of a run, recording their steps and verdicts on the run. */
export interface HookDispatcher {
  dispatch(event: HookEvent, run: RunState): Promise<void>;
}
