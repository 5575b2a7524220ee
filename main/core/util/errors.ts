/** An error whose message is a sentence a person can act on. */
export class UserError extends Error {
  override name = 'UserError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A full disk or quota is a sentence, not a stack trace: what is full and that nothing was lost. */
export function asDiskFull(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new UserError(`The disk holding ${path} is full, so Lifeboat could not write it. Free some space there; what was written before is intact.`, {
    cause: error,
  });
}
