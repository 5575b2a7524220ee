import { dirname } from 'node:path';
import type { HookEvent, RunStatus } from '../config/schema.ts';
import { UserError } from '../util/errors.ts';
import {
  absolutePath,
  type DraftPlan,
  type DraftRepository,
  displayName,
  IdAllocator,
  type ImportDraft,
  idFrom,
  importedHook,
  isObject,
  type JsonObject,
  keyPath,
  noteUnknownKeys,
  retentionFromFlags,
  stringList,
} from './draft.ts';
import { ImportNotes } from './import-report.ts';

const URL_TYPES = ['b2', 'azure', 'gs', 's3', 'sftp', 'rclone'];

/** autorestic's hook lists, in the order it runs them, and where each goes in a Lifeboat run. */
const HOOKS: Array<{ key: string; on: HookEvent; states?: RunStatus[] }> = [
  { key: 'prevalidate', on: 'run.start' },
  { key: 'before', on: 'backup.before' },
  { key: 'after', on: 'backup.after' },
  { key: 'success', on: 'run.end', states: ['success', 'warning'] },
  { key: 'failure', on: 'run.end', states: ['failure'] },
];

/** An `.autorestic.yml`: each backend becomes a repository, each location × backend a plan. */
export function importAutorestic(raw: unknown, file: string): ImportDraft {
  if (!isObject(raw))
    throw new UserError(`${JSON.stringify(file)} is not an autorestic config: it should have "locations" and "backends".`, { kind: 'config' });
  const notes = new ImportNotes();
  const baseDir = dirname(file);
  noteUnknownKeys(raw, ['version', 'extras', 'locations', 'backends', 'global'], '', notes, 'autorestic');
  if (raw.version !== undefined && String(raw.version) !== '2')
    notes.notMapped('version', `is ${JSON.stringify(raw.version)}; this reads autorestic's format 2 (run "autorestic upgrade" first if something is missing)`);
  const global = isObject(raw.global) ? raw.global : {};
  const repositories = new Map<string, DraftRepository>();
  const repositoryIds = new IdAllocator();
  const backendOptions = new Map<string, JsonObject>();
  for (const [name, backend] of Object.entries(isObject(raw.backends) ? raw.backends : {})) {
    const origin = keyPath('backends', name);
    if (!isObject(backend)) {
      notes.notMapped(origin, 'is not a backend (a section with "type" and "path")');
      continue;
    }
    const repository = repositoryOf(name, backend, origin, baseDir, notes, repositoryIds);
    if (repository) repositories.set(name, repository);
    if (isObject(backend.options)) backendOptions.set(name, backend.options);
  }

  const plans: DraftPlan[] = [];
  const planIds = new IdAllocator();
  for (const [name, location] of Object.entries(isObject(raw.locations) ? raw.locations : {})) {
    const origin = keyPath('locations', name);
    if (!isObject(location)) {
      notes.notMapped(origin, 'is not a location (a section with "from" and "to")');
      continue;
    }
    noteUnknownKeys(location, ['from', 'to', 'type', 'hooks', 'cron', 'options', 'forget', 'copy'], origin, notes, 'location');
    if (location.type === 'volume') {
      notes.notMapped(origin, "backs up a Docker volume; Lifeboat backs up folders, so it was not imported (back up the volume's folder instead)");
      continue;
    }
    const sources = stringList(location.from);
    const targets = stringList(location.to) ?? [];
    if (!sources?.length) {
      notes.notMapped(keyPath(origin, 'from'), 'is missing, so the location was not imported');
      continue;
    }
    if (location.copy !== undefined)
      notes.notMapped(keyPath(origin, 'copy'), 'copies between backends are not imported; the location gets a plan for each backend in "to" instead');
    if (targets.length > 1) notes.notMapped(keyPath(origin, 'to'), `has ${targets.length} backends; Lifeboat made one plan for each (${targets.join(', ')})`);
    for (const target of targets) {
      const repository = repositories.get(target);
      if (!repository) {
        notes.notMapped(keyPath(origin, 'to'), `names the backend "${target}", which is not imported (missing or not usable)`);
        continue;
      }
      const options = [isObject(global) ? global : {}, backendOptions.get(target) ?? {}, isObject(location.options) ? location.options : {}];
      const absoluteSources = sources.map((path) => absolutePath(path, baseDir));
      const plan: DraftPlan['config'] = {
        id: planIds.take(idFrom(targets.length > 1 ? `${name}-${target}` : name, 'location')),
        name: displayName(targets.length > 1 ? `${name} → ${target}` : name),
        repository: repository.config.id,
        sources: absoluteSources,
        hooks: [],
      };
      const backup = mergedOptions(options, 'backup');
      const excludes = stringList(backup.exclude);
      if (excludes?.length) plan.excludes = excludes;
      for (const key of Object.keys(backup).filter((key) => key !== 'exclude'))
        notes.notMapped(keyPath(origin, 'options', 'backup', key), `restic backup's --${key} is not a plan setting in Lifeboat; left out`);
      for (const key of Object.keys(mergedOptions(options, 'all')))
        notes.notMapped(keyPath(origin, 'options', 'all', key), `restic's --${key} is not a plan setting in Lifeboat; left out`);
      plan.schedule = typeof location.cron === 'string' && location.cron.trim() ? { cron: location.cron.trim(), timezone: 'local' } : null;
      const retention = retentionOf(location, mergedOptions(options, 'forget'), origin, notes);
      if (retention) plan.retention = retention;
      plan.hooks = hooksOf(location, origin, baseDir, absoluteSources[0]!, notes);
      plans.push({ config: plan, origin: targets.length > 1 ? keyPath(origin, 'to', target) : origin });
    }
  }
  return {
    repositories: [...repositories.values()].filter((repository) => plans.some((plan) => plan.config.repository === repository.config.id)),
    plans,
    notes,
  };
}

/** Options merge location > backend > global, per restic command. */
function mergedOptions(levels: JsonObject[], command: string): JsonObject {
  return Object.assign({}, ...levels.map((level) => (isObject(level[command]) ? level[command] : {})));
}

function repositoryOf(name: string, backend: JsonObject, origin: string, baseDir: string, notes: ImportNotes, ids: IdAllocator): DraftRepository | undefined {
  noteUnknownKeys(backend, ['type', 'path', 'key', 'env', 'rest', 'options', 'requireKey'], origin, notes, 'backend');
  const type = typeof backend.type === 'string' ? backend.type : '';
  const path = typeof backend.path === 'string' ? backend.path : '';
  if (!path) {
    notes.notMapped(keyPath(origin, 'path'), 'is missing, so the backend was not imported');
    return undefined;
  }
  let url: string;
  if (type === 'local') url = absolutePath(path, baseDir);
  else if (URL_TYPES.includes(type)) url = `${type}:${path}`;
  else if (type === 'rest') {
    const rest = isObject(backend.rest) ? backend.rest : {};
    url = `rest:${withUser(path, rest.user, rest.password)}`;
  } else {
    notes.notMapped(keyPath(origin, 'type'), `${JSON.stringify(backend.type)} is not a backend type autorestic knows, so the backend was not imported`);
    return undefined;
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(isObject(backend.env) ? backend.env : {})) {
    if (typeof value === 'string' || typeof value === 'number') env[key.toUpperCase()] = String(value);
    else notes.notMapped(keyPath(origin, 'env', key), 'is not a text value');
  }
  const id = ids.take(idFrom(name, 'backend'));
  const password = typeof backend.key === 'string' && backend.key ? backend.key : undefined;
  const envName = `AUTORESTIC_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_RESTIC_PASSWORD`;
  if (!password)
    notes.notMapped(
      keyPath(origin, 'key'),
      `is not in the file; Lifeboat reads the password from ${envName}, as autorestic does (.autorestic.env is not read)`,
    );
  return {
    config: { id, name: displayName(name), url, ...(password ? {} : { passwordEnv: envName }), ...(Object.keys(env).length ? { env } : {}) },
    password,
    origin,
  };
}

/** `rest.user`/`rest.password` go into the URL, as autorestic does (Lifeboat never shows them). */
function withUser(path: string, user: unknown, password: unknown): string {
  if (typeof user !== 'string' || !user) return path;
  try {
    const url = new URL(path);
    url.username = user;
    if (typeof password === 'string') url.password = password;
    return url.toString();
  } catch {
    return path;
  }
}

function retentionOf(location: JsonObject, forget: JsonObject, origin: string, notes: ImportNotes): JsonObject | undefined {
  const mode = location.forget === true ? 'yes' : location.forget;
  if (Object.keys(forget).length === 0) return undefined;
  if (mode !== 'yes' && mode !== 'prune') {
    notes.notMapped(
      keyPath(origin, 'options', 'forget'),
      'autorestic applies it only when you run "autorestic forget"; Lifeboat would apply it after every backup, so it was left out (set forget: prune to take it)',
    );
    return undefined;
  }
  if (mode === 'yes') notes.notMapped(keyPath(origin, 'forget'), '"yes" forgets without pruning; Lifeboat always prunes what it forgets');
  return retentionFromFlags(forget, keyPath(origin, 'options', 'forget'), notes);
}

function hooksOf(location: JsonObject, origin: string, baseDir: string, firstSource: string, notes: ImportNotes): Array<Record<string, unknown>> {
  if (location.hooks === undefined) return [];
  const path = keyPath(origin, 'hooks');
  if (!isObject(location.hooks)) {
    notes.notMapped(path, 'is not a section of hook lists');
    return [];
  }
  const hooks = location.hooks;
  noteUnknownKeys(hooks, ['dir', ...HOOKS.map((hook) => hook.key)], path, notes, 'hooks');
  // autorestic runs hooks in the location's folder unless `dir` says otherwise.
  const cwd = typeof hooks.dir === 'string' ? absolutePath(hooks.dir, baseDir) : firstSource;
  const result: Array<Record<string, unknown>> = [];
  for (const place of HOOKS) {
    const commands = stringList(hooks[place.key]);
    if (hooks[place.key] !== undefined && !commands) notes.notMapped(keyPath(path, place.key), 'is not a list of commands');
    if (!commands?.length) continue;
    const { hook } = importedHook(place.key, `autorestic ${place.key}`, commands, [place.on], {
      ...(place.states ? { states: place.states } : {}),
      cwd,
    });
    result.push(hook);
  }
  if (result.some((hook) => JSON.stringify(hook).includes('AUTORESTIC_')))
    notes.notMapped(
      path,
      'the hooks read AUTORESTIC_* variables, which Lifeboat does not set; use LIFEBOAT_PLAN_ID, LIFEBOAT_SNAPSHOT_ID and the others (SPEC §4)',
    );
  return result;
}
