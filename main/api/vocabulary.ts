/** The contract's names for a UI: events, statuses, triggers (no schemas, so no zod in a bundle). */
export { eventInWords, HOOK_EVENT_WORDS, HOOK_EVENTS, ON_ERROR, RUN_STATUSES, TRIGGERS } from '../core/config/vocabulary.ts';
