import { readFileSync } from 'node:fs';
import type { Repository } from '../config/types.ts';
import { UserError } from '../util/errors.ts';
import { Redactor, urlWithoutCredentials } from '../util/redactor.ts';

export interface ResticAccess {
  /** Environment for restic: the repository, its password source and extra credentials. */
  env: Record<string, string>;
  /** Knows every secret in `env`, to scrub any text before it is kept or shown. */
  redactor: Redactor;
  /** The repository as it may be shown. */
  displayUrl: string;
  passwordSource: string;
}

/** Secrets go to restic by environment only: never argv, never logs. */
export function resticAccess(repository: Repository, processEnv: NodeJS.ProcessEnv = process.env, keychainPassword?: string): ResticAccess {
  const redactor = new Redactor().addUrl(repository.url);
  const env: Record<string, string> = { RESTIC_REPOSITORY: repository.url };
  let passwordSource: string;
  if (repository.passwordEnv) {
    const password = processEnv[repository.passwordEnv];
    passwordSource = `the environment variable ${repository.passwordEnv}`;
    if (password === undefined || password === '') {
      throw new UserError(
        `The password for repository "${repository.id}" is read from ${repository.passwordEnv}, which is not set. Set it (export ${repository.passwordEnv}=…) or change passwordEnv.`,
        { kind: 'invalid' },
      );
    }
    env.RESTIC_PASSWORD = password;
    redactor.add(password);
  } else if (repository.passwordKeychain) {
    passwordSource = 'the password kept in the keychain';
    if (keychainPassword === undefined) {
      throw new UserError(
        `The password of repository "${repository.id}" is kept in the desktop app's keychain, which this process cannot read. Use the desktop app, or give the repository a passwordFile, passwordEnv or passwordCommand.`,
        { kind: 'unavailable' },
      );
    }
    env.RESTIC_PASSWORD = keychainPassword;
    redactor.add(keychainPassword);
  } else if (repository.passwordFile) {
    env.RESTIC_PASSWORD_FILE = repository.passwordFile;
    passwordSource = `the password file ${repository.passwordFile}`;
    redactor.add(readPasswordFile(repository.passwordFile));
  } else if (repository.passwordCommand) {
    env.RESTIC_PASSWORD_COMMAND = repository.passwordCommand;
    passwordSource = 'the password command';
  } else {
    throw new UserError(`Repository "${repository.id}" has no password source. Set passwordEnv, passwordFile or passwordCommand.`, { kind: 'invalid' });
  }
  for (const [key, value] of Object.entries(repository.env)) {
    env[key] = value;
    redactor.add(value);
  }
  return { env, redactor, displayUrl: urlWithoutCredentials(repository.url), passwordSource };
}

/**
 * restic settings of the app's environment that restic still gets: where its cache is, which
 * names no repository and holds no secret. Every other RESTIC_ variable (another repository's
 * address or password) stays out.
 */
const PASSED_RESTIC_SETTINGS = new Set(['RESTIC_CACHE_DIR']);

/** The environment restic runs in: the app's, minus any other restic settings, plus this repository's. */
export function resticEnvironment(access: ResticAccess, processEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined && (!key.startsWith('RESTIC_') || PASSED_RESTIC_SETTINGS.has(key))) env[key] = value;
  }
  return { ...env, ...access.env };
}

function readPasswordFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined; // restic itself reports an unreadable password file, in its own words
  }
}
