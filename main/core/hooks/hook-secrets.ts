import { readFileSync } from 'node:fs';
import { Redactor } from '../util/redactor.ts';

/** The serve command's API token: a secret of Lifeboat itself. */
export const SERVE_TOKEN_ENV = 'LIFEBOAT_SERVE_TOKEN';

/**
 * Credentials restic reads from Lifeboat's own environment for its backends: repository
 * secrets even when no repository's `env` names them.
 */
export const BACKEND_SECRET_ENV = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'B2_ACCOUNT_KEY',
  'AZURE_ACCOUNT_KEY',
  'AZURE_ACCOUNT_SAS',
  'GOOGLE_ACCESS_TOKEN',
  'OS_PASSWORD',
  'ST_KEY',
] as const;

interface RepositorySecrets {
  passwordEnv?: unknown;
  passwordFile?: unknown;
  url?: unknown;
  env?: unknown;
}

/** Whether an environment name carries a secret: never inherited by a hook, whatever pattern names it. */
export function secretEnvNames(repositories: readonly RepositorySecrets[]): (name: string) => boolean {
  const names = new Set<string>([SERVE_TOKEN_ENV, ...BACKEND_SECRET_ENV]);
  for (const repository of repositories) {
    if (typeof repository.passwordEnv === 'string') names.add(repository.passwordEnv);
    if (typeof repository.env === 'object' && repository.env !== null) for (const key of Object.keys(repository.env)) names.add(key);
  }
  const upper = new Set([...names].map((name) => name.toUpperCase()));
  // Environment names are case-insensitive on Windows: compare without case everywhere.
  return (name) => name.toUpperCase().startsWith('RESTIC_') || upper.has(name.toUpperCase());
}

/**
 * Every secret value Lifeboat knows, for scrubbing what hooks print: each repository's
 * password (from its variable or file), its `env` values and URL password, the backend
 * credentials and the serve token in Lifeboat's environment, and restic's own variables.
 */
export function hookRedactor(repositories: readonly RepositorySecrets[], env: NodeJS.ProcessEnv, base?: Redactor): Redactor {
  const redactor = new Redactor();
  if (base) redactor.merge(base);
  const isSecret = secretEnvNames(repositories);
  for (const [name, value] of Object.entries(env)) {
    // RESTIC_* holds settings too (a cache folder): only its password is a secret value.
    if (name.toUpperCase() === 'RESTIC_PASSWORD' || (isSecret(name) && !name.toUpperCase().startsWith('RESTIC_'))) redactor.add(value);
  }
  for (const repository of repositories) {
    if (typeof repository.url === 'string') redactor.addUrl(repository.url);
    if (typeof repository.passwordFile === 'string') redactor.add(readQuietly(repository.passwordFile));
    if (typeof repository.env === 'object' && repository.env !== null) {
      for (const value of Object.values(repository.env)) if (typeof value === 'string') redactor.add(value);
    }
  }
  return redactor;
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined; // an unreadable password file holds nothing a hook could print
  }
}
