/**
 * The engine's names and facts for a UI: events (phase, moment, words), statuses, triggers,
 * verdicts, hook variables and defaults, the condition catalogue, and formatting in words.
 * No schemas, no Node: a renderer bundles this as it is.
 */
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
  RUN_STATUSES,
  TRIGGERS,
  WEEKDAYS,
} from '../core/config/vocabulary.ts';
