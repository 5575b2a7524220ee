/**
 * The names users' configs and scripts depend on (SPEC §1, §3, §4): one list each, shared by the
 * config schema, the API contract and the renderer. Plain constants, so a UI can import them
 * without the engine.
 */
export const RUN_STATUSES = ['success', 'warning', 'failure', 'skipped', 'cancelled'] as const;
export const TRIGGERS = ['schedule', 'catch-up', 'manual', 'retry', 'deferred', 'cli'] as const;
export const HOOK_EVENTS = [
  'run.start',
  'backup.before',
  'backup.after',
  'prune.before',
  'prune.after',
  'check.before',
  'check.after',
  'restore.before',
  'restore.after',
  'run.end',
] as const;
export const ON_ERROR = ['fail', 'skip', 'ignore', 'defer'] as const;
/** What a hook's outcome does to its run (see hooks/hook-verdict.ts). */
export const HOOK_VERDICTS = ['pass', 'skip', 'defer', 'warning', 'fail', 'cancelled'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Each hook event in words, for every UI (the editor, the CLI). `copy.*` is listed for when copies run hooks. */
export const HOOK_EVENT_WORDS: Readonly<Record<string, string>> = {
  'run.start': 'When a run starts',
  'backup.before': 'Before the backup',
  'backup.after': 'After the backup',
  'prune.before': 'Before cleaning up old snapshots',
  'prune.after': 'After cleaning up old snapshots',
  'check.before': 'Before checking the repository',
  'check.after': 'After checking the repository',
  'copy.before': 'Before copying to the second repository',
  'copy.after': 'After copying to the second repository',
  'restore.before': 'Before a restore',
  'restore.after': 'After a restore',
  'run.end': 'When a run ends',
};

/** The event in words, or its own name when it has none. */
export function eventInWords(event: string): string {
  return HOOK_EVENT_WORDS[event] ?? event;
}
