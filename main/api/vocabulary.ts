/** The contract's names for a UI: events, statuses, triggers (no schemas, so no zod in a bundle). */
export { HOOK_EVENTS, ON_ERROR, RUN_STATUSES, TRIGGERS } from '../core/config/vocabulary.ts';
