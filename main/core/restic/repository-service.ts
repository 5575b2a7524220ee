/**
 * Repository administration, apart from runs: before a repository is in the config (does a
 * place hold a restic repository, does a typed password open it, make a new one; the password
 * travels by environment only and is redacted from every text kept), and for a configured one
 * (init, unlock, check, stats), each waiting for the repository's queue like a run.
 */

import type { Repository } from '../config/types.ts';
import type { RepositoryQueue } from '../runs/repository-queue.ts';
import { UserError } from '../util/errors.ts';
import { Redactor, urlWithoutCredentials } from '../util/redactor.ts';
import { classifyResticError } from './classify.ts';
import { type ResticAccess, resticEnvironment } from './credentials.ts';
import type { ResticBinary } from './locate.ts';
import { runRestic } from './process.ts';
import { type Restic, ResticError } from './restic.ts';

export interface RepositoryPlace {
  url: string;
  /** Extra environment for the backend (cloud credentials). */
  env: Record<string, string>;
}

export type ProbeResult = { state: 'opens' } | { state: 'missing'; message: string };

export class WrongPasswordError extends UserError {
  override name = 'WrongPasswordError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, kind: 'invalid' });
  }
}

function accessWithPassword(place: RepositoryPlace, password: string): ResticAccess {
  const redactor = new Redactor().addUrl(place.url).add(password);
  const env: Record<string, string> = { RESTIC_REPOSITORY: place.url, RESTIC_PASSWORD: password };
  for (const [key, value] of Object.entries(place.env)) {
    env[key] = value;
    redactor.add(value);
  }
  return { env, redactor, displayUrl: urlWithoutCredentials(place.url), passwordSource: 'the password you typed' };
}

async function resticAs(binary: string, args: string[], access: ResticAccess, processEnv: NodeJS.ProcessEnv) {
  const invocation = await runRestic({ binary, args, env: resticEnvironment(access, processEnv), redactor: access.redactor, backendGiveUpMs: 30_000 });
  const failure =
    invocation.exitCode === 0
      ? undefined
      : classifyResticError(invocation.exitCode, invocation.stderr, {
          repository: access.displayUrl,
          passwordSource: access.passwordSource,
          command: args[0] ?? '',
        });
  return { invocation, failure };
}

/**
 * Opens the repository at `place` with `password` (`restic cat config` reads the one file that
 * needs the key): it opens, or there is no repository there yet. A wrong password is a
 * `WrongPasswordError`; any other trouble (network, permissions) a `UserError`.
 */
export function probeRepository(binary: string, place: RepositoryPlace, password: string, processEnv: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  return probeWithAccess(binary, accessWithPassword(place, password), processEnv);
}

/** The same check with a repository's own password source (file, command, environment, keychain). */
export async function probeWithAccess(binary: string, access: ResticAccess, processEnv: NodeJS.ProcessEnv = process.env): Promise<ProbeResult> {
  const { failure } = await resticAs(binary, ['cat', 'config', '--no-lock'], access, processEnv);
  if (!failure) return { state: 'opens' };
  const shown = access.displayUrl;
  if (failure.kind === 'wrong-password') {
    throw new WrongPasswordError(`The password does not open the repository at ${shown}; nothing was saved. Type the password this repository was made with.`);
  }
  if (failure.kind === 'repository-missing') {
    return { state: 'missing', message: `There is no restic repository at ${shown} yet. Tick "Initialise" to make a new one there.` };
  }
  throw new UserError(failure.message, { kind: 'restic' });
}

/** Makes a new, empty repository at `place` with `password`. */
export async function initialiseRepository(
  binary: string,
  place: RepositoryPlace,
  password: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { failure } = await resticAs(binary, ['init'], accessWithPassword(place, password), processEnv);
  if (failure) throw new UserError(`restic could not make a repository at ${urlWithoutCredentials(place.url)}: ${failure.message}`, { kind: 'restic' });
}

export interface RepositoryServiceOptions {
  /** restic for a configured repository, with its own password source (or `access` given). */
  restic: (repository: Repository, access?: ResticAccess) => Promise<Restic>;
  /** The restic program in use. */
  binary: () => Promise<ResticBinary>;
  access: (repository: Repository) => Promise<ResticAccess>;
  /** The queue runs wait in: administration never runs against a repository at the same time as a run. */
  queue: RepositoryQueue;
  env: NodeJS.ProcessEnv;
}

/** The administration of repositories: what the Repositories view and `lifeboat init` do. */
export class RepositoryService {
  private readonly options: RepositoryServiceOptions;

  constructor(options: RepositoryServiceOptions) {
    this.options = options;
  }

  /** `restic init`; `chunkerFrom` (a second copy's source) gives the new repository its chunker parameters. */
  async init(repository: Repository, chunkerFrom?: ResticAccess): Promise<{ output: string }> {
    const restic = await this.options.restic(repository);
    const result = await this.options.queue.enqueue(repository.id, () => restic.init({ chunkerFrom }));
    return { output: result.invocations.map((invocation) => invocation.output).join('') };
  }

  /** `restic check`: a failed check is an answer (ok false, with restic's words), not an error. */
  async check(repository: Repository): Promise<{ ok: boolean; output: string }> {
    const restic = await this.options.restic(repository);
    try {
      const result = await this.options.queue.enqueue(repository.id, () => restic.check());
      return { ok: true, output: result.invocations.map((invocation) => invocation.output).join('') };
    } catch (error) {
      if (error instanceof ResticError) return { ok: false, output: `${error.message}\n${error.invocations.map((invocation) => invocation.output).join('')}` };
      throw error;
    }
  }

  async unlock(repository: Repository): Promise<void> {
    const restic = await this.options.restic(repository);
    await this.options.queue.enqueue(repository.id, () => restic.unlock());
  }

  /** restic's own statistics of the repository (`stats --json`). */
  async stats(repository: Repository): Promise<Record<string, unknown>> {
    const restic = await this.options.restic(repository);
    return this.options.queue.enqueue(repository.id, () => restic.stats());
  }

  /** Does `password` open the repository at `place`, or is there none yet (before it is in the config). */
  async probe(place: RepositoryPlace, password: string): Promise<ProbeResult> {
    return probeRepository((await this.options.binary()).path, place, password, this.options.env);
  }

  /** Does a configured repository's own password open `place` (its URL or credentials being edited)? */
  async probeAs(repository: Repository, place: RepositoryPlace): Promise<ProbeResult> {
    const access = await this.options.access({ ...repository, ...place });
    return probeWithAccess((await this.options.binary()).path, access, this.options.env);
  }

  async initialiseAt(place: RepositoryPlace, password: string): Promise<void> {
    await initialiseRepository((await this.options.binary()).path, place, password, this.options.env);
  }
}
