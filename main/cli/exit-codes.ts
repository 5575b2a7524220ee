import type { RunStatus } from '../core/config/schema.ts';
import type { ErrorKind } from '../core/util/errors.ts';

/** Exit codes of the `lifeboat` command (SPEC §9). */
export const EXIT = { success: 0, failure: 1, usage: 2, skipped: 75 } as const;

/**
 * The exit code of each kind of UserError, the one place the CLI decides it: `2` when the
 * command line or config asked for something wrong or missing, `1` when it could not be done.
 */
export const EXIT_CODE: Record<ErrorKind, number> = {
  invalid: EXIT.failure,
  usage: EXIT.usage,
  config: EXIT.usage,
  'not-found': EXIT.usage,
  refused: EXIT.usage,
  conflict: EXIT.failure,
  busy: EXIT.failure,
  unavailable: EXIT.failure,
  restic: EXIT.failure,
};

export function exitCodeForStatus(status: RunStatus | 'running'): number {
  switch (status) {
    case 'success':
    case 'warning':
      return EXIT.success;
    case 'skipped':
      return EXIT.skipped;
    default:
      return EXIT.failure;
  }
}
