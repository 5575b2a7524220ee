/**
 * The names users' configs and scripts depend on (SPEC §1, §3, §4), each with its facts and its
 * words: one list each, shared by the config schema, the engine, the API contract, the CLI and
 * the renderer. Plain data and pure functions (no Node, no zod), so a UI bundles them as they are.
 */
export { formatDuration } from '../util/duration.ts';
export { quoteStart } from '../util/quote.ts';
export { formatBytes } from '../util/size.ts';

export const RUN_STATUSES = ['success', 'warning', 'failure', 'skipped', 'cancelled'] as const;
export const TRIGGERS = ['schedule', 'catch-up', 'manual', 'retry', 'deferred', 'cli', 'mount'] as const;
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
  'copy.before',
  'copy.after',
  'run.end',
] as const;
export const ON_ERROR = ['fail', 'skip', 'ignore', 'defer'] as const;
/** What a hook's outcome does to its run (see hooks/hook-verdict.ts). */
export const HOOK_VERDICTS = ['pass', 'skip', 'defer', 'warning', 'fail', 'cancelled'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Why Lifeboat never forgets in an append-only repository: the run, the retention preview and every UI say it. */
export const APPEND_ONLY_RETENTION = "retention is applied by the server's owner";

export type HookEventName = (typeof HOOK_EVENTS)[number];

export interface HookEventFacts {
  /** The operation the event wraps; `run` is the whole run. */
  phase: 'run' | 'backup' | 'prune' | 'check' | 'restore' | 'copy';
  /**
   * `before` hooks can stop the run and stop with it; `after` hooks (and run.end) are clean-up:
   * they always run to the end, see LIFEBOAT_STATUS and LIFEBOAT_ERROR and may filter by `states`.
   */
  moment: 'before' | 'after';
  words: string;
}

/** Every hook event with its phase, its moment and its words; the type checks none is missing. */
export const HOOK_EVENT_FACTS: { readonly [E in HookEventName]: HookEventFacts } = {
  'run.start': { phase: 'run', moment: 'before', words: 'When a run starts' },
  'backup.before': { phase: 'backup', moment: 'before', words: 'Before the backup' },
  'backup.after': { phase: 'backup', moment: 'after', words: 'After the backup' },
  'prune.before': { phase: 'prune', moment: 'before', words: 'Before cleaning up old snapshots' },
  'prune.after': { phase: 'prune', moment: 'after', words: 'After cleaning up old snapshots' },
  'check.before': { phase: 'check', moment: 'before', words: 'Before checking the repository' },
  'check.after': { phase: 'check', moment: 'after', words: 'After checking the repository' },
  'restore.before': { phase: 'restore', moment: 'before', words: 'Before a restore' },
  'restore.after': { phase: 'restore', moment: 'after', words: 'After a restore' },
  'copy.before': { phase: 'copy', moment: 'before', words: 'Before copying to the second repository' },
  'copy.after': { phase: 'copy', moment: 'after', words: 'After copying to the second repository' },
  'run.end': { phase: 'run', moment: 'after', words: 'When a run ends' },
};

/** Each hook event in words, for every UI (the editor, the CLI). */
export const HOOK_EVENT_WORDS: Readonly<Record<string, string>> = Object.fromEntries(HOOK_EVENTS.map((event) => [event, HOOK_EVENT_FACTS[event].words]));

/** The event in words, or its own name when it has none. */
export function eventInWords(event: string): string {
  return HOOK_EVENT_WORDS[event] ?? event;
}

/** An after-hook (`*.after`, run.end): clean-up that always finishes and knows the run's status. */
export function isAfterEvent(event: string): boolean {
  return Object.hasOwn(HOOK_EVENT_FACTS, event) && HOOK_EVENT_FACTS[event as HookEventName].moment === 'after';
}

/** The variables every hook receives (SPEC §4), usable as `{{NAME}}` in inline and command text, each with what it holds. */
export const HOOK_VARIABLE_FACTS = [
  ['LIFEBOAT_EVENT', 'the event, e.g. backup.before'],
  ['LIFEBOAT_RUN_ID', "the run's id"],
  ['LIFEBOAT_HOOK_ID', "this hook's id (one script shared by several hooks can tell them apart)"],
  ['LIFEBOAT_TRIGGER', 'schedule, catch-up, manual, retry, deferred, cli or mount (a drive arrived)'],
  ['LIFEBOAT_PLAN_ID', "the plan's id"],
  ['LIFEBOAT_PLAN_NAME', "the plan's name"],
  ['LIFEBOAT_REPOSITORY', 'the repository URL, without credentials'],
  ['LIFEBOAT_SOURCES', 'the source folders, one per line'],
  ['LIFEBOAT_WORKING_DIR', "the run's private scratch folder"],
  ['LIFEBOAT_STATUS', 'after-hooks and run.end: the status so far'],
  ['LIFEBOAT_ERROR', 'after-hooks and run.end: what went wrong'],
  ['LIFEBOAT_SNAPSHOT_ID', 'after a backup that made a snapshot'],
  ['LIFEBOAT_SUMMARY_FILE', 'a JSON file with the run so far'],
] as const;

export type HookVariable = (typeof HOOK_VARIABLE_FACTS)[number][0];
export const HOOK_VARIABLES: readonly HookVariable[] = HOOK_VARIABLE_FACTS.map(([name]) => name);

/** What a hook is when its config leaves a field out (SPEC §4); a condition hook differs from a script hook. */
export const HOOK_DEFAULTS = {
  enabled: true,
  timeout: '5m',
  retryAfter: '10m',
  mode: 'wait',
  script: { onError: 'fail', appliesTo: 'all' },
  condition: { onError: 'skip', appliesTo: 'scheduled' },
} as const;

/** One option of a condition as the editor shows it; the condition's schema (conditions/*) decides what is valid. */
export type ConditionField =
  | { key: string; label: string; kind: 'text'; placeholder?: string }
  | { key: string; label: string; kind: 'number'; min?: number; max?: number }
  | { key: string; label: string; kind: 'flag'; fallback: boolean };

export interface ConditionFacts {
  /** The condition in words, as the editor's list names it. */
  words: string;
  /** A new condition of this type, as written into the config; it passes the type's own schema. */
  defaults: { readonly type: string } & Readonly<Record<string, string | number | boolean>>;
  fields: readonly ConditionField[];
}

/**
 * The words, defaults and editor fields of each built-in condition, for any UI. Each condition's
 * module (conditions/<type>.ts) takes its entry from here and adds its schema and `evaluate`; the
 * registry's type checks every entry has a module and every module an entry.
 */
export const CONDITION_FACTS = {
  battery: {
    words: 'battery level',
    defaults: { type: 'battery', minPercent: 30 },
    fields: [
      { key: 'minPercent', label: 'Minimum battery %', kind: 'number', min: 0, max: 100 },
      { key: 'allowOnAC', label: 'Any level on AC power', kind: 'flag', fallback: true },
    ],
  },
  acPower: { words: 'on mains power', defaults: { type: 'acPower' }, fields: [] },
  online: {
    words: 'online',
    defaults: { type: 'online', timeout: '3s' },
    fields: [
      { key: 'url', label: 'URL to ask (optional)', kind: 'text', placeholder: 'https://example.com' },
      { key: 'host', label: 'or host (optional)', kind: 'text' },
      { key: 'timeout', label: 'Timeout', kind: 'text', placeholder: '3s' },
    ],
  },
  path: {
    words: 'a path exists',
    defaults: { type: 'path', path: '/media/backup', mounted: true },
    fields: [
      { key: 'path', label: 'Path', kind: 'text' },
      { key: 'mounted', label: 'Must be a mount point', kind: 'flag', fallback: false },
      { key: 'writable', label: 'Must be writable', kind: 'flag', fallback: false },
    ],
  },
  timeWindow: {
    words: 'inside a time window',
    defaults: { type: 'timeWindow', from: '22:00', to: '06:00' },
    fields: [
      { key: 'from', label: 'From', kind: 'text', placeholder: '22:00' },
      { key: 'to', label: 'To', kind: 'text', placeholder: '06:00' },
    ],
  },
  diskSpace: {
    words: 'enough free disk space',
    defaults: { type: 'diskSpace', path: '/', minFree: '5GB' },
    fields: [
      { key: 'path', label: 'Path', kind: 'text' },
      { key: 'minFree', label: 'Minimum free', kind: 'text', placeholder: '5GB' },
    ],
  },
  networkUnmetered: { words: 'network not metered', defaults: { type: 'networkUnmetered' }, fields: [] },
  idle: {
    words: 'computer idle',
    defaults: { type: 'idle', minIdle: '5m' },
    fields: [{ key: 'minIdle', label: 'Idle for at least', kind: 'text', placeholder: '5m' }],
  },
} as const satisfies Record<string, ConditionFacts>;

export type ConditionTypeName = keyof typeof CONDITION_FACTS;
export const CONDITION_TYPES = Object.keys(CONDITION_FACTS) as ConditionTypeName[];
