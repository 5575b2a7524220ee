import type { ProbeResult, RepositoryPlace } from '../../core/restic/repository-service.ts';
import { WrongPasswordError } from '../../core/restic/repository-service.ts';
import { ApiError } from '../api-error.ts';
import { HTTP_STATUS } from '../error-status.ts';
import type { HandlerContext } from './context.ts';

export const SHORT_PASSWORD = 'must be at least 8 characters (a passphrase you can remember is best)';

/** Opens a repository with a typed password; a wrong one is refused as a problem of that field. */
export async function openWith({ engine }: HandlerContext, place: RepositoryPlace, password: string, field: string): Promise<ProbeResult> {
  try {
    return await engine.probeRepository(place, password);
  } catch (error) {
    if (error instanceof WrongPasswordError)
      throw new ApiError(HTTP_STATUS[error.kind], 'wrong-password', error.message, [{ path: field, message: 'does not open this repository' }]);
    throw error;
  }
}

/** A repository's credentials are environment variables for its backend; the repository and its password have their own fields. */
export function checkCredentialNames(env: Record<string, string>): void {
  for (const key of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new ApiError(422, 'invalid-input', `"${key}" is not an environment variable name (letters, digits and _).`, [
        { path: `env.${key}`, message: 'is not a variable name' },
      ]);
    }
    if (/^RESTIC_(REPOSITORY|PASSWORD)/.test(key)) {
      throw new ApiError(422, 'invalid-input', `${key} cannot be a credential: the repository's address and password have their own fields.`, [
        { path: `env.${key}`, message: 'has its own field' },
      ]);
    }
  }
}
