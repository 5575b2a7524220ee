import { addRepository, removeRepository, repositoryAt, updateRepository } from '../../core/config/edit.ts';
import { MASK } from '../../core/config/secrets-mask.ts';
import { WrongPasswordError } from '../../core/restic/repository-service.ts';
import { expandHome } from '../../core/util/paths.ts';
import { urlWithoutCredentials } from '../../core/util/redactor.ts';
import { ApiError } from '../api-error.ts';
import { HTTP_STATUS } from '../error-status.ts';
import type { HandlerContext, HandlersOf } from './context.ts';
import { checkCredentialNames, openWith, SHORT_PASSWORD } from './repository-access.ts';

/** Repositories: listed without secrets; added, edited and removed only when the password opens them. */
export function repositoryHandlers(context: HandlerContext): HandlersOf<'repositories'> {
  const { engine } = context;
  return {
    'repositories.list': async () =>
      engine.config.repositories.map((repository) => ({
        id: repository.id,
        name: repository.name,
        url: urlWithoutCredentials(repository.url),
        passwordSource: repository.passwordEnv
          ? `environment variable ${repository.passwordEnv}`
          : repository.passwordKeychain
            ? 'the keychain'
            : repository.passwordFile
              ? 'a password file'
              : 'a password command',
        env: Object.fromEntries(Object.keys(repository.env).map((key) => [key, MASK])),
        usedBy: engine.config.plans.filter((plan) => plan.repository === repository.id).map((plan) => plan.id),
        appendOnly: repository.appendOnly === true,
        copiedBy: engine.config.plans.filter((plan) => (plan.copyTo ?? []).some((target) => target.repository === repository.id)).map((plan) => plan.id),
      })),
    'repositories.create': async ({ id: newId, name, url, password, initialise, env, appendOnly }) => {
      const place = { url: expandHome(url), env: env ?? {} };
      // The id is checked before anything is touched; the password source is filled in once it is stored.
      const draft = addRepository(context.rawConfig(), {
        id: newId,
        name,
        url: place.url,
        ...(env && Object.keys(env).length ? { env } : {}),
        ...(appendOnly ? { appendOnly: true } : {}),
      });
      const same = repositoryAt(context.rawConfig(), url);
      if (same) {
        throw new ApiError(409, 'exists', `Repository "${same.id}" is at ${urlWithoutCredentials(url)} already; use it instead of adding it twice.`, [
          { path: 'url', message: `is repository "${same.id}" already` },
        ]);
      }
      if (env) checkCredentialNames(env);
      const probe = await openWith(context, place, password, 'password');
      if (probe.state === 'missing') {
        if (!initialise) throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        if (password.length < 8) throw new ApiError(422, 'invalid-input', 'The password is too short.', [{ path: 'password', message: SHORT_PASSWORD }]);
        await engine.initialiseRepositoryAt(place, password);
      }
      // An existing repository that the password opens is simply added: "Initialise" never touches it.
      await context.saveConfig(updateRepository(draft, newId, { password: await engine.storeRepositoryPassword(newId, password) }));
      return { ok: true };
    },
    'repositories.update': async ({ id: repositoryId, name, url, env, password, appendOnly }) => {
      const current = engine.repository(repositoryId);
      if (url !== undefined) {
        const other = repositoryAt(context.rawConfig(), url, repositoryId);
        if (other)
          throw new ApiError(409, 'exists', `Repository "${other.id}" is at ${urlWithoutCredentials(url)} already.`, [
            { path: 'url', message: `is repository "${other.id}"` },
          ]);
      }
      if (env !== undefined) checkCredentialNames(env);
      // Write-only secrets: a masked credential keeps the stored value, a new value replaces it, a missing key is removed.
      let config = updateRepository(context.rawConfig(), repositoryId, { name, url: url === undefined ? undefined : expandHome(url), env, appendOnly });
      const edited = config.repositories?.find((repository) => repository.id === repositoryId);
      const place = { url: edited?.url ?? current.url, env: edited?.env ?? {} };
      if (password === undefined && url !== undefined && expandHome(url) !== current.url) {
        // A new address must hold this repository: the stored password is tried there first.
        try {
          const probe = await engine.probeRepositoryAs(repositoryId, place);
          if (probe.state === 'missing') throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        } catch (error) {
          if (error instanceof WrongPasswordError)
            throw new ApiError(
              HTTP_STATUS[error.kind],
              'wrong-password',
              `The repository's password does not open ${urlWithoutCredentials(url)}; nothing was saved.`,
              [{ path: 'url', message: 'holds another repository' }],
            );
          throw error;
        }
      }
      if (password !== undefined) {
        const probe = await openWith(context, place, password, 'password');
        if (probe.state === 'missing') throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        config = updateRepository(config, repositoryId, { password: await engine.storeRepositoryPassword(repositoryId, password) });
      }
      await context.saveConfig(config);
      return { ok: true };
    },
    'repositories.remove': async ({ id: repositoryId }) => {
      engine.repository(repositoryId);
      await context.saveConfig(removeRepository(context.rawConfig(), repositoryId));
      return { ok: true };
    },
    'repositories.check': async ({ id: repositoryId }) => engine.checkRepository(repositoryId),
    'repositories.unlock': async ({ id: repositoryId }) => {
      await engine.unlockRepository(repositoryId);
      return { ok: true };
    },
  };
}
