import { validateConfig } from '../config/validate.ts';
import { UserError } from '../util/errors.ts';
import { IdAllocator, type ImportDraft, isObject, type JsonObject } from './draft.ts';
import type { ImportNotes } from './import-report.ts';

export interface Merged {
  raw: JsonObject;
  /** The imported repositories and plans as they are in `raw` (ids may differ from the draft's). */
  repositories: Array<{ config: JsonObject; password?: string | undefined }>;
  plans: JsonObject[];
  reused: Array<{ repository: string; existing: string }>;
}

/**
 * Adds what was imported beside what the config has. Existing repositories, plans and hooks are
 * kept as the very same objects, so they are written back unchanged; imported ones get ids that
 * do not collide, and an imported repository at a location the config already has is that one.
 */
export function mergeImport(existing: JsonObject, draft: ImportDraft): Merged {
  const existingRepositories = Array.isArray(existing.repositories) ? existing.repositories.filter(isObject) : [];
  const existingPlans = Array.isArray(existing.plans) ? existing.plans.filter(isObject) : [];
  const repositoryIds = new IdAllocator(existingRepositories.map((repository) => String(repository.id)));
  const planIds = new IdAllocator(existingPlans.map((plan) => String(plan.id)));
  const renamed = new Map<string, string>();
  const repositories: Merged['repositories'] = [];
  const reused: Merged['reused'] = [];
  for (const repository of draft.repositories) {
    const same = existingRepositories.find((known) => known.url === repository.config.url);
    if (same) {
      renamed.set(repository.config.id, String(same.id));
      reused.push({ repository: repository.config.id, existing: String(same.id) });
      continue;
    }
    const id = repositoryIds.take(repository.config.id);
    renamed.set(repository.config.id, id);
    repositories.push({ config: { ...repository.config, id }, password: repository.password });
  }
  const plans = draft.plans.map((plan) => ({
    ...plan.config,
    id: planIds.take(plan.config.id),
    repository: renamed.get(plan.config.repository) ?? plan.config.repository,
  }));
  const raw: JsonObject = {
    ...existing,
    version: existing.version ?? 1,
    repositories: [...existingRepositories, ...repositories.map((repository) => repository.config)],
    plans: [...existingPlans, ...plans],
  };
  return { raw, repositories, plans, reused };
}

/**
 * What Lifeboat's validation refuses among the imported items is taken out and noted, so one odd
 * value (a cron shape, a relative path) does not stop the rest. What the config had is never touched.
 */
export function dropInvalid(merged: Merged, origins: Map<JsonObject, string>, notes: ImportNotes): void {
  const { raw } = merged;
  const repositories = raw.repositories as JsonObject[];
  const plans = raw.plans as JsonObject[];
  for (let round = 0; round < 50; round += 1) {
    const validation = validateConfig(raw);
    if (validation.ok) return;
    const dropRepositories = new Set<JsonObject>();
    const dropPlans = new Set<JsonObject>();
    const dropHooks = new Set<JsonObject>();
    let acted = false;
    for (const problem of validation.problems) {
      const match = /^(repositories|plans)\[(\d+)\](.*)$/.exec(problem.path);
      const list = match?.[1] === 'repositories' ? repositories : plans;
      const item = match ? list[Number(match[2])] : undefined;
      const imported = item !== undefined && (match?.[1] === 'repositories' ? merged.repositories.some((r) => r.config === item) : merged.plans.includes(item));
      if (!match || !item || !imported) {
        throw new UserError(`The imported config cannot be saved: ${problem.path ? `${problem.path}: ` : ''}${problem.message}.`, { kind: 'invalid' });
      }
      const where = origins.get(item) ?? String(item.id);
      const rest = match[3] ?? '';
      acted = true;
      if (match[1] === 'repositories') {
        dropRepositories.add(item);
        notes.notMapped(where, `${problem.message}; the repository and its plans were not imported`);
        continue;
      }
      const part = /^\.(\w+)(?:\[(\d+)\])?/.exec(rest);
      const key = part?.[1];
      const index = part?.[2] === undefined ? undefined : Number(part[2]);
      const value = key ? item[key] : undefined;
      if (key === 'hooks' && Array.isArray(value) && index !== undefined && isObject(value[index])) {
        dropHooks.add(value[index]);
        notes.notMapped(`${where} (hook ${JSON.stringify(value[index].id)})`, `${problem.message}; the hook was not imported`);
      } else if ((key === 'sources' || key === 'excludes') && Array.isArray(value) && index !== undefined) {
        notes.notMapped(`${where} (${key})`, `${problem.message}; left out`);
        value[index] = undefined;
      } else if (key === 'schedule') {
        item.schedule = null;
        notes.notMapped(`${where} (schedule)`, `${problem.message}; the plan runs by hand until you give it a schedule`);
      } else if (key === 'retention' || key === 'check') {
        delete item[key];
        notes.notMapped(`${where} (${key})`, `${problem.message}; left out`);
      } else {
        dropPlans.add(item);
        notes.notMapped(where, `${problem.message}; the plan was not imported`);
      }
    }
    if (!acted) return;
    for (const plan of plans) {
      for (const key of ['sources', 'excludes']) if (Array.isArray(plan[key])) plan[key] = (plan[key] as unknown[]).filter((entry) => entry !== undefined);
      if (Array.isArray(plan.hooks)) plan.hooks = plan.hooks.filter((hook) => !dropHooks.has(hook));
      if (Array.isArray(plan.sources) && plan.sources.length === 0 && merged.plans.includes(plan)) dropPlans.add(plan);
      const repository = repositories.find((entry) => entry.id === plan.repository);
      if (repository && dropRepositories.has(repository)) dropPlans.add(plan);
    }
    raw.repositories = repositories.filter((entry) => !dropRepositories.has(entry));
    raw.plans = plans.filter((entry) => !dropPlans.has(entry));
    repositories.splice(0, repositories.length, ...(raw.repositories as JsonObject[]));
    plans.splice(0, plans.length, ...(raw.plans as JsonObject[]));
    raw.repositories = repositories;
    raw.plans = plans;
    merged.repositories = merged.repositories.filter((entry) => !dropRepositories.has(entry.config));
    merged.plans = merged.plans.filter((entry) => !dropPlans.has(entry));
  }
}
