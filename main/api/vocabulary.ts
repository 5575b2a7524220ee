/**
 * The engine's names and facts for a UI: events (phase, moment, words), statuses, triggers,
 * verdicts, hook variables and defaults, the condition catalogue, and formatting in words.
 * No schemas, no Node: a renderer bundles this as it is.
 */

/** The rules of a webhook header the plan editor checks as it is typed, the same as the config's. */
export { HEADER_LINE_BREAK, HEADER_NAME_PATTERN, MAX_NAME_LENGTH } from '../core/config/limits.ts';
export {
  APPEND_ONLY_RETENTION,
  CONDITION_FACTS,
  CONDITION_TYPES,
  type ConditionFacts,
  type ConditionField,
  type ConditionTypeName,
  eventInWords,
  formatBytes,
  formatDuration,
  HOOK_DEFAULTS,
  HOOK_EVENT_FACTS,
  HOOK_EVENT_WORDS,
  HOOK_EVENTS,
  HOOK_VARIABLE_FACTS,
  HOOK_VARIABLES,
  HOOK_VERDICTS,
  type HookEventName,
  isAfterEvent,
  ON_ERROR,
  quoteStart,
  RUN_STATUSES,
  TRIGGERS,
  WEEKDAYS,
} from '../core/config/vocabulary.ts';
