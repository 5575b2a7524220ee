import type { ErrorKind } from '../core/util/errors.ts';

/**
 * The HTTP status of each kind of UserError, the one place the API decides it.
 * 422 is "understood, and cannot be carried out": the message says why and what to change.
 */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 422,
  usage: 400,
  config: 422,
  'not-found': 404,
  refused: 422,
  conflict: 409,
  busy: 409,
  unavailable: 422,
  restic: 422,
};
