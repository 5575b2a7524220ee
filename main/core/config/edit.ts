/**
 * Edits of a config as written (the raw form, before defaults), one typed operation each:
 * add, update or remove a plan, repository, hook or monitor by its id, or change settings.
 * Every operation returns a new config and leaves the one it was given alone; nothing here
 * writes a file (the engine saves, and validates first). Secrets follow the mask rules of
 * secrets-mask.ts: a masked value keeps what is stored for the same item, found by id, and a
 * mask that matches nothing stored is refused rather than saved as a secret.
 */
import { resolve } from 'node:path';
import { UserError } from '../util/errors.ts';
import { expandHome } from '../util/paths.ts';
import { type ConfigInput, type HookInput, type Monitor, type PlanInput, type RepositoryInput, schemas } from './schema.ts';
import { monitorIds, unmaskConfig } from './secrets-mask.ts';
import type { Problem } from './validate.ts';

export type RawConfig = ConfigInput;
export type RawPlan = PlanInput;
export type RawRepository = RepositoryInput;
export type RawHook = HookInput;
export type RawMonitor = Monitor;
export type RawSettings = NonNullable<ConfigInput['settings']>;

/** Where a repository's password comes from: exactly one of these replaces the ones stored. */
export type PasswordSource = Pick<RawRepository, 'passwordEnv' | 'passwordFile' | 'passwordCommand' | 'passwordKeychain'>;

export interface RepositoryChange {
  name?: string | undefined;
  url?: string | undefined;
  /** The credentials in full: a masked value keeps the stored one of that key, a missing key is removed. */
  env?: Record<string, string> | undefined;
  password?: PasswordSource | undefined;
  /** The server refuses deletes: Lifeboat never forgets or prunes there. */
  appendOnly?: boolean | undefined;
}

/** Why an edit was refused; the API turns it into the error code, the kind into the status. */
export type EditRefusal = 'not-found' | 'exists' | 'in-use' | 'unknown-mask';

export class ConfigEditError extends UserError {
  override name = 'ConfigEditError';
  readonly reason: EditRefusal;
  /** The fields at fault, relative to the item edited. */
  readonly problems: Problem[];

  constructor(reason: EditRefusal, message: string, problems: Problem[] = []) {
    super(message, { kind: KIND[reason] });
    this.reason = reason;
    this.problems = problems;
  }
}

const KIND = { 'not-found': 'not-found', exists: 'conflict', 'in-use': 'conflict', 'unknown-mask': 'invalid' } as const;

/** The config as written, typed; anything that is not a config is refused as a config problem. */
export function readRawConfig(raw: unknown): RawConfig {
  if (!schemas().configSchema.safeParse(raw).success)
    throw new UserError('The config in use does not read as a config; fix the file, then try again.', { kind: 'config' });
  // The text as the person wrote it, not the parsed value: parsing turns durations into numbers
  // and adds defaults, and neither may be written back into their file.
  return raw as RawConfig;
}

/** `base`, or `base-2`, `base-3`… whichever is not taken yet. */
export function uniqueId(base: string, taken: Iterable<string | undefined>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let index = 2;
  while (used.has(`${base}-${index}`)) index += 1;
  return `${base}-${index}`;
}

// ---- plans

export function addPlan(config: RawConfig, plan: RawPlan): RawConfig {
  const plans = config.plans ?? [];
  if (plans.some((candidate) => candidate.id === plan.id)) throw exists(`A plan "${plan.id}" exists already; pick another id.`);
  return { ...clone(config), plans: [...clone(plans), clone(plan)] };
}

/** Changes the fields given; `monitors` follow the mask rules (a masked secret keeps the stored monitor's, by id). */
export function updatePlan(config: RawConfig, id: string, change: Partial<Omit<RawPlan, 'id'>>): RawConfig {
  const plans = clone(config.plans ?? []);
  const index = planIndex(plans, id);
  const stored = plans[index]!;
  const next: RawPlan = { ...stored, ...clone(change), id };
  if (change.monitors !== undefined) next.monitors = keepMonitorSecrets(stored, change.monitors);
  plans[index] = next;
  return { ...clone(config), plans };
}

/** Removes one plan; every other plan keeps its hooks, monitors and secrets as they were. */
export function removePlan(config: RawConfig, id: string): RawConfig {
  const plans = config.plans ?? [];
  planIndex(plans, id);
  return { ...clone(config), plans: clone(plans.filter((plan) => plan.id !== id)) };
}

// ---- repositories

export function addRepository(config: RawConfig, repository: RawRepository): RawConfig {
  const repositories = config.repositories ?? [];
  if (repositories.some((candidate) => candidate.id === repository.id))
    throw exists(`A repository "${repository.id}" exists already; pick another id.`, [{ path: 'id', message: 'is already used' }]);
  return { ...clone(config), repositories: [...clone(repositories), clone(repository)] };
}

export function updateRepository(config: RawConfig, id: string, change: RepositoryChange): RawConfig {
  const repositories = clone(config.repositories ?? []);
  const index = repositoryIndex(repositories, id);
  const stored = repositories[index]!;
  let next: RawRepository = { ...stored };
  if (change.name !== undefined) next.name = change.name;
  if (change.url !== undefined) next.url = change.url;
  if (change.appendOnly === true) next.appendOnly = true;
  else if (change.appendOnly === false) delete next.appendOnly;
  if (change.env !== undefined) {
    if (Object.keys(change.env).length) next.env = { ...change.env };
    else delete next.env;
  }
  if (change.url !== undefined || change.env !== undefined) {
    const kept = unmaskConfig({ repositories: [next] }, { repositories: [stored] });
    if (!kept.ok) throw unknownMask(kept.problems, 'repositories[0].');
    next = kept.config.repositories[0]!;
  }
  if (change.password !== undefined) {
    const { passwordEnv: _env, passwordFile: _file, passwordCommand: _command, passwordKeychain: _keychain, ...rest } = next;
    next = { ...rest, ...change.password };
  }
  repositories[index] = next;
  return { ...clone(config), repositories };
}

/** Removes a repository from the config (its data stays); refused while a plan uses it. */
export function removeRepository(config: RawConfig, id: string): RawConfig {
  const repositories = config.repositories ?? [];
  repositoryIndex(repositories, id);
  const copiesThere = (plan: RawPlan) => (plan.copyTo ?? []).some((target) => (typeof target === 'string' ? target : target.repository) === id);
  const users = (config.plans ?? []).filter((plan) => plan.repository === id || copiesThere(plan)).map((plan) => `"${plan.name ?? plan.id}"`);
  if (users.length) {
    const one = users.length === 1;
    throw new ConfigEditError(
      'in-use',
      `Repository "${id}" is used by ${one ? 'the plan' : 'the plans'} ${users.join(', ')}; move or delete ${one ? 'that plan' : 'those plans'} first.`,
    );
  }
  return { ...clone(config), repositories: clone(repositories.filter((repository) => repository.id !== id)) };
}

/** Two repository addresses name the same place: the same folder, or the same URL. */
export function samePlace(a: string, b: string): boolean {
  const normal = (url: string) => {
    const expanded = expandHome(url.trim());
    return /^[a-z0-9]+:/i.test(expanded) && !/^[a-z]:[\\/]/i.test(expanded) ? expanded.replace(/\/+$/, '') : resolve(expanded.replace(/^local:/, ''));
  };
  return normal(a) === normal(b);
}

/** The repository at the same place as `url`, other than the one with the id `except`: the same place twice is one repository. */
export function repositoryAt(config: RawConfig, url: string, except?: string): RawRepository | undefined {
  return (config.repositories ?? []).find((repository) => repository.id !== except && samePlace(repository.url, url));
}

// ---- hooks (by id, within their plan)

export function addHook(config: RawConfig, planId: string, hook: RawHook): RawConfig {
  return withPlan(config, planId, (plan) => {
    const hooks = plan.hooks ?? [];
    if (hooks.some((candidate) => candidate.id === hook.id)) throw exists(`A hook "${hook.id}" exists already in plan "${planId}"; pick another id.`);
    return { ...plan, hooks: [...hooks, clone(hook)] };
  });
}

/** Replaces a hook in its place; a new id in `hook` renames it, unless another hook of the plan has that id. */
export function updateHook(config: RawConfig, planId: string, hookId: string, hook: RawHook): RawConfig {
  return withPlan(config, planId, (plan) => {
    const hooks = [...(plan.hooks ?? [])];
    const index = hookIndex(plan, hookId);
    if (hook.id !== hookId && hooks.some((candidate) => candidate.id === hook.id))
      throw exists(`A hook "${hook.id}" exists already in plan "${planId}"; pick another id.`, [{ path: 'id', message: 'is already used' }]);
    hooks[index] = clone(hook);
    return { ...plan, hooks };
  });
}

export function removeHook(config: RawConfig, planId: string, hookId: string): RawConfig {
  return withPlan(config, planId, (plan) => {
    hookIndex(plan, hookId);
    return { ...plan, hooks: (plan.hooks ?? []).filter((hook) => hook.id !== hookId) };
  });
}

// ---- monitors (by id within their plan; one written without an id has a stable derived one)

export function addMonitor(config: RawConfig, planId: string, monitor: RawMonitor): RawConfig {
  return withPlan(config, planId, (plan) => {
    const monitors = plan.monitors ?? [];
    if (monitor.id !== undefined && monitorIds(monitors).includes(monitor.id))
      throw exists(`A monitor "${monitor.id}" exists already in plan "${planId}"; pick another id.`);
    return { ...plan, monitors: [...monitors, ...keepMonitorSecrets({ ...plan, monitors: [] }, [monitor])] };
  });
}

/** Replaces a monitor; a masked URL, token or header keeps the one stored for this monitor. */
export function updateMonitor(config: RawConfig, planId: string, monitorId: string, monitor: RawMonitor): RawConfig {
  return withPlan(config, planId, (plan) => {
    const monitors = [...(plan.monitors ?? [])];
    const index = monitorIndex(plan, monitorId);
    // Matched under the id the monitor is known by; it keeps the id it was written with (none, if none).
    const next = { ...keepMonitorSecrets(plan, [{ ...monitor, id: monitorId }])[0]! };
    const id = monitor.id ?? monitors[index]!.id;
    if (id === undefined) delete next.id;
    else next.id = id;
    monitors[index] = next;
    return { ...plan, monitors };
  });
}

export function removeMonitor(config: RawConfig, planId: string, monitorId: string): RawConfig {
  return withPlan(config, planId, (plan) => {
    const index = monitorIndex(plan, monitorId);
    return { ...plan, monitors: (plan.monitors ?? []).filter((_monitor, at) => at !== index) };
  });
}

// ---- settings

export function updateSettings(config: RawConfig, change: Partial<RawSettings>): RawConfig {
  return { ...clone(config), settings: { ...clone(config.settings ?? {}), ...clone(change) } };
}

// ---- helpers

function clone<T>(value: T): T {
  return structuredClone(value);
}

function exists(message: string, problems: Problem[] = []): ConfigEditError {
  return new ConfigEditError('exists', message, problems);
}

function notFound(what: string, id: string, known: string[], where: string): ConfigEditError {
  const listed = known.length ? `${where}: ${known.join(', ')}; use one of those` : `There are no ${what}s yet; add one first`;
  return new ConfigEditError('not-found', `There is no ${what} "${id}". ${listed}.`);
}

function unknownMask(problems: Problem[], prefix: string): ConfigEditError {
  const relative = problems.map((problem) => ({ ...problem, path: problem.path.startsWith(prefix) ? problem.path.slice(prefix.length) : problem.path }));
  const first = relative[0]!;
  return new ConfigEditError('unknown-mask', `${first.path} ${first.message}; nothing was saved.`, relative);
}

function planIndex(plans: RawPlan[], id: string): number {
  const index = plans.findIndex((plan) => plan.id === id);
  if (index === -1) {
    const known = plans.map((plan) => plan.id);
    if (!known.length) throw new ConfigEditError('not-found', `There is no plan "${id}". There are no plans yet; add one first.`);
    throw notFound('plan', id, known, 'Plans');
  }
  return index;
}

function repositoryIndex(repositories: RawRepository[], id: string): number {
  const index = repositories.findIndex((repository) => repository.id === id);
  if (index === -1)
    throw notFound(
      'repository',
      id,
      repositories.map((repository) => repository.id),
      'Repositories',
    );
  return index;
}

function hookIndex(plan: RawPlan, hookId: string): number {
  const hooks = plan.hooks ?? [];
  const index = hooks.findIndex((hook) => hook.id === hookId);
  if (index === -1) {
    const known = hooks.map((hook) => hook.id);
    throw new ConfigEditError(
      'not-found',
      `Plan "${plan.id}" has no hook "${hookId}". ${known.length ? `Its hooks: ${known.join(', ')}; use one of those.` : 'It has no hooks yet; add one first.'}`,
    );
  }
  return index;
}

function monitorIndex(plan: RawPlan, monitorId: string): number {
  const ids = monitorIds(plan.monitors ?? []).filter((id): id is string => id !== undefined);
  const index = ids.indexOf(monitorId);
  if (index === -1)
    throw new ConfigEditError(
      'not-found',
      `Plan "${plan.id}" has no monitor "${monitorId}". ${ids.length ? `Its monitors: ${ids.join(', ')}; use one of those.` : 'It has no monitors yet; add one first.'}`,
    );
  return index;
}

function withPlan(config: RawConfig, planId: string, edit: (plan: RawPlan) => RawPlan): RawConfig {
  const plans = clone(config.plans ?? []);
  const index = planIndex(plans, planId);
  plans[index] = edit(plans[index]!);
  return { ...clone(config), plans };
}

/** Monitors for `stored`'s plan with every masked secret put back from the stored monitor of the same id. */
function keepMonitorSecrets(stored: RawPlan, monitors: RawMonitor[]): RawMonitor[] {
  const kept = unmaskConfig({ plans: [{ ...stored, monitors }] }, { plans: [stored] });
  if (!kept.ok) throw unknownMask(kept.problems, 'plans[0].');
  return kept.config.plans[0]!.monitors ?? [];
}
