import type { HOOK_VERDICTS, ON_ERROR } from '../config/vocabulary.ts';
import { unreachable } from '../util/errors.ts';

/** What one hook call came to, before `onError` decides what it means for the run. */
export type HookOutcome =
  | { kind: 'pass'; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; reason: string }
  | { kind: 'cancelled'; reason: string };

export type HookVerdictKind = (typeof HOOK_VERDICTS)[number];

/** What a hook's outcome does to its run, in words: the one answer for a run, `lifeboat hooks test` and the editor's Test run. */
export interface HookVerdict {
  kind: HookVerdictKind;
  text: string;
}

export function hookVerdict(outcome: HookOutcome, onError: (typeof ON_ERROR)[number]): HookVerdict {
  switch (outcome.kind) {
    case 'pass':
      return { kind: 'pass', text: `passed: ${outcome.reason}` };
    case 'skip':
      return { kind: 'skip', text: `would skip the run: ${outcome.reason}` };
    case 'cancelled':
      return { kind: 'cancelled', text: outcome.reason };
    case 'error':
      switch (onError) {
        case 'fail':
          return { kind: 'fail', text: `would fail the run: ${outcome.reason}` };
        case 'skip':
          return { kind: 'skip', text: `would skip the run (onError "skip"): ${outcome.reason}` };
        case 'ignore':
          return { kind: 'warning', text: `failed, and the run would go on with a warning (onError "ignore"): ${outcome.reason}` };
        case 'defer':
          return { kind: 'defer', text: `would postpone the run (onError "defer"): ${outcome.reason}` };
        default:
          return unreachable(onError);
      }
    default:
      return unreachable(outcome);
  }
}
