import { references } from './placement.ts';

export { HOOK_VARIABLES, type HookVariable } from '../config/vocabulary.ts';

/** Names used as `{{NAME}}` in a text; `\{{` is an escaped literal and is not a reference. */
export function referencedVariables(text: string): string[] {
  return references(text).map((reference) => reference.name);
}
