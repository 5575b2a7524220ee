import { references } from './placement.ts';

/** The variables every hook receives (SPEC §4), usable as `{{NAME}}` in inline and command text. */
export const HOOK_VARIABLES = [
  'LIFEBOAT_EVENT',
  'LIFEBOAT_RUN_ID',
  'LIFEBOAT_TRIGGER',
  'LIFEBOAT_PLAN_ID',
  'LIFEBOAT_PLAN_NAME',
  'LIFEBOAT_REPOSITORY',
  'LIFEBOAT_SOURCES',
  'LIFEBOAT_WORKING_DIR',
  'LIFEBOAT_STATUS',
  'LIFEBOAT_ERROR',
  'LIFEBOAT_SNAPSHOT_ID',
  'LIFEBOAT_SUMMARY_FILE',
] as const;

export type HookVariable = (typeof HOOK_VARIABLES)[number];

/** Names used as `{{NAME}}` in a text; `\{{` is an escaped literal and is not a reference. */
export function referencedVariables(text: string): string[] {
  return references(text).map((reference) => reference.name);
}
