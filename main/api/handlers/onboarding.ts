import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addPlan, addRepository, type RawConfig, repositoryAt, uniqueId, updatePlan } from '../../core/config/edit.ts';
import { expandHome } from '../../core/util/paths.ts';
import { ApiError } from '../api-error.ts';
import type { HandlerContext, HandlersOf } from './context.ts';
import { openWith, SHORT_PASSWORD } from './repository-access.ts';

/** First setup, and "one more folder": a folder becomes a plan (or joins one), backed up at once. */
export function onboardingHandlers(context: HandlerContext): HandlersOf<'onboarding'> {
  const { engine, scheduler } = context;
  /**
   * A new plan (or a new folder) is backed up at once, so "backed up" is true before the first
   * slot. A plan that is running already gets one more run after it (triggers are coalesced).
   */
  const startFirstBackup = (plan: string): boolean => {
    scheduler.trigger(plan, 'manual');
    return true;
  };
  return {
    'onboarding.setup': async ({ folder, repositoryPath, password, cron, repository, plan }) => {
      if (folder.trim() === '') {
        throw new ApiError(422, 'invalid-input', 'Type or pick the folder to back up.', [
          { path: 'folder', message: 'is empty; type or pick the folder to back up' },
        ]);
      }
      const source = expandHome(folder);
      if (!(await stat(source).catch(() => undefined))?.isDirectory()) {
        throw new ApiError(422, 'invalid-input', `${source} is not a folder on this computer.`, [
          { path: 'folder', message: `${source} is not a folder; pick one that exists` },
        ]);
      }
      let config: RawConfig = context.rawConfig();
      if (plan) {
        // One more folder in a plan that exists: same repository, same schedule.
        const sources = engine.plan(plan).sources;
        if (sources.some((existing) => expandHome(existing) === source)) {
          throw new ApiError(409, 'exists', `Plan "${plan}" backs up ${source} already.`, [{ path: 'folder', message: 'is in that plan already' }]);
        }
        const written = config.plans?.find((entry) => entry.id === plan)?.sources ?? [];
        await context.saveConfig(updatePlan(config, plan, { sources: [...written, source] }));
        return { plan, repository: engine.plan(plan).repository, started: startFirstBackup(plan) };
      }
      let repositoryId: string;
      if (repository) {
        repositoryId = engine.repository(repository).id;
      } else {
        const url = expandHome(repositoryPath ?? join(engine.dataDir, 'repository'));
        const known = repositoryAt(config, url);
        if (known) {
          // The same place twice is the same repository: it is reused, never added again.
          const stored = engine.repository(known.id);
          if (password) await openWith(context, { url: stored.url, env: stored.env }, password, 'password');
          repositoryId = known.id;
        } else {
          if (!password) throw new ApiError(422, 'invalid-input', 'A new repository needs a password.', [{ path: 'password', message: 'is needed' }]);
          repositoryId = uniqueId(
            'local',
            (config.repositories ?? []).map((entry) => entry.id),
          );
          const probe = await openWith(context, { url, env: {} }, password, 'password');
          if (probe.state === 'missing') {
            if (password.length < 8) throw new ApiError(422, 'invalid-input', 'The password is too short.', [{ path: 'password', message: SHORT_PASSWORD }]);
            await engine.initialiseRepositoryAt({ url, env: {} }, password);
          }
          const passwordSource = await engine.storeRepositoryPassword(repositoryId, password);
          config = addRepository(config, { id: repositoryId, name: repositoryPath ? basename(url) || url : 'This computer', url, ...passwordSource });
        }
      }
      const planId = uniqueId(
        slug(basename(source)) || 'files',
        (config.plans ?? []).map((entry) => entry.id),
      );
      config = addPlan(config, {
        id: planId,
        name: basename(source) || source,
        repository: repositoryId,
        sources: [source],
        schedule: { cron: cron ?? '0 * * * *' },
        retention: { keepLast: 10, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
        check: { every: '7d', readDataSubset: '2%' },
      });
      await context.saveConfig(config);
      return { plan: planId, repository: repositoryId, started: startFirstBackup(planId) };
    },
  };
}

/** A folder's name as an id: lowercase letters, digits and dashes. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
