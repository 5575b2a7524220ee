/**
 * What kind of trouble a UserError is. The API turns a kind into an HTTP status
 * (main/api/error-status.ts) and the CLI into an exit code (main/cli/exit-codes.ts); nothing
 * decides by an error's wording. A new kind goes here and into both tables.
 */
export const ERROR_KINDS = ['invalid', 'usage', 'config', 'not-found', 'refused', 'conflict', 'busy', 'unavailable', 'restic'] as const;

/**
 * - `invalid`: a value the person gave, or a file the config points at, does not work (the default).
 * - `usage`: the command line is wrong (an unknown option, a missing argument).
 * - `config`: the config file cannot be parsed or has problems.
 * - `not-found`: a named plan, repository or hook does not exist.
 * - `refused`: Lifeboat will not do what was asked, because it could harm data or cannot fit together.
 * - `conflict`: what was edited changed underneath (a stale save).
 * - `busy`: another process holds what is needed (a lock, a port).
 * - `unavailable`: something outside Lifeboat is missing or not working (restic, the disk, the keychain, a server).
 * - `restic`: restic ran and failed.
 */
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface UserErrorOptions {
  kind?: ErrorKind | undefined;
  cause?: unknown;
}

/** An error whose message is a sentence a person can act on; its `kind` decides status and exit code. */
export class UserError extends Error {
  override name = 'UserError';
  readonly kind: ErrorKind;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind ?? 'invalid';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** For the default branch of a switch that must handle every case: the compiler refuses a missed one. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** A full disk or quota is a sentence, not a stack trace: what is full and that nothing was lost. */
export function asDiskFull(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new UserError(`The disk holding ${path} is full, so Lifeboat could not write it. Free some space there; what was written before is intact.`, {
    kind: 'unavailable',
    cause: error,
  });
}
