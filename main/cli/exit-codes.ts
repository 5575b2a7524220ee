import type { RunStatus } from '../core/config/schema.ts';

/** Exit codes of the `lifeboat` command (SPEC §9). */
export const EXIT = { success: 0, failure: 1, usage: 2, skipped: 75 } as const;

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
