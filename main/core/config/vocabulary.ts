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
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
