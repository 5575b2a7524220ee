import { ConfigEditError } from '../core/config/edit.ts';
import { ConfigConflictError, ConfigInvalidError } from '../core/config/store.ts';
import type { Problem } from '../core/config/validate.ts';
import { UserError } from '../core/util/errors.ts';
import { HTTP_STATUS } from './error-status.ts';

/** A refusal as a UI receives it: a status, a code, a sentence, and the fields at fault if any. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Problem[] | undefined;

  constructor(status: number, code: string, message: string, problems?: Problem[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

/**
 * What an error thrown by a handler becomes, decided by its class and kind (never its wording).
 * Errors that are not the person's to fix are returned as they are: the transport logs them.
 */
export function asApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof ConfigInvalidError)
    return new ApiError(HTTP_STATUS[error.kind], 'invalid-config', 'The config has problems; nothing was saved.', error.problems);
  if (error instanceof ConfigConflictError) return new ApiError(HTTP_STATUS[error.kind], 'conflict', error.message);
  if (error instanceof ConfigEditError)
    return new ApiError(HTTP_STATUS[error.kind], error.reason, error.message, error.problems.length ? error.problems : undefined);
  if (error instanceof UserError) return new ApiError(HTTP_STATUS[error.kind], 'refused', error.message);
  return error;
}
