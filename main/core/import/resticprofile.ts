import { dirname } from 'node:path';
import type { HookEvent, RunStatus } from '../config/schema.ts';
import { UserError } from '../util/errors.ts';
import { calendarToCron, calendarToEvery } from './calendar.ts';
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

const NOT_PROFILES_V1 = ['version', 'global', 'groups', 'includes'];
const NOT_PROFILES_V2 = ['version', 'global', 'groups', 'includes', 'profiles', 'mixins', 'schedules'];

/** restic commands resticprofile can configure; Lifeboat runs them itself, so their options are not plan settings. */
const OTHER_COMMANDS = [
  'snapshots',
  'forget',
  'prune',
  'copy',
  'mount',
  'restore',
  'ls',
  'find',
  'stats',
  'tag',
  'dump',
  'init',
  'unlock',
  'cat',
  'diff',
  'key',
];

const PROFILE_KEYS = [
  'inherit',
  'description',
  'repository',
  'password-file',
  'password-command',
  'env',
  'run-before',
  'run-after',
  'run-after-fail',
  'run-finally',
  'backup',
  'retention',
  'check',
  ...OTHER_COMMANDS,
];

const BACKUP_KEYS = ['source', 'exclude', 'schedule', 'run-before', 'run-after', 'run-after-fail', 'run-finally'];

/** Hooks of a profile (around the whole run) and of its backup section (around the backup). */
const HOOK_PLACES: Array<{ key: string; section: 'profile' | 'backup'; on: HookEvent; states?: RunStatus[]; onError?: 'ignore' }> = [
  { key: 'run-before', section: 'profile', on: 'run.start' },
  { key: 'run-after', section: 'profile', on: 'run.end', states: ['success', 'warning'] },
  { key: 'run-after-fail', section: 'profile', on: 'run.end', states: ['failure'], onError: 'ignore' },
  { key: 'run-finally', section: 'profile', on: 'run.end', onError: 'ignore' },
  { key: 'run-before', section: 'backup', on: 'backup.before' },
  { key: 'run-after', section: 'backup', on: 'backup.after', states: ['success', 'warning'] },
  { key: 'run-after-fail', section: 'backup', on: 'backup.after', states: ['failure'], onError: 'ignore' },
  { key: 'run-finally', section: 'backup', on: 'backup.after', onError: 'ignore' },
];

/** resticprofile's profiles (TOML, YAML or JSON, format version 1 or 2): each profile that backs something up becomes a plan. */
export function importResticprofile(raw: unknown, file: string): ImportDraft {
  if (!isObject(raw)) throw new UserError(`${JSON.stringify(file)} is not a resticprofile config: it should hold profiles by name.`, { kind: 'config' });
  const notes = new ImportNotes();
  const baseDir = dirname(file);
  const v2 = String(raw.version ?? '1').startsWith('2');
  const profiles: Record<string, JsonObject> = {};
  const source = v2 ? (isObject(raw.profiles) ? raw.profiles : {}) : raw;
  for (const [name, value] of Object.entries(source)) {
    if (!v2 && NOT_PROFILES_V1.includes(name)) continue;
    if (isObject(value)) profiles[name] = value;
    else notes.notMapped(keyPath(v2 ? 'profiles' : '', name), 'is not a profile (a profile is a section of settings)');
  }
  if (v2) noteUnknownKeys(raw, NOT_PROFILES_V2, '', notes, 'resticprofile');
  if (isObject(raw.global) && Object.keys(raw.global).length > 0)
    notes.notMapped('global', 'resticprofile\'s own settings (priority, default command…); Lifeboat has its own in "settings"');
  if (raw.includes !== undefined) notes.notMapped('includes', 'included files are not read; import each of them on its own');
  if (raw.mixins !== undefined) notes.notMapped('mixins', 'mixins are not expanded; their settings were not imported');
  if (raw.schedules !== undefined) notes.notMapped('schedules', 'the separate schedules section is not read; give each profile a backup.schedule');
  if (isObject(raw.groups)) {
    for (const [name, value] of Object.entries(raw.groups)) {
      const members = stringList(isObject(value) ? value.profiles : value) ?? [];
      notes.notMapped(keyPath('groups', name), `Lifeboat has no groups; its profiles (${members.join(', ')}) became plans of their own`);
    }
  }

  const parents = new Set(Object.values(profiles).flatMap((profile) => (typeof profile.inherit === 'string' ? [profile.inherit] : [])));
  const repositories = new Map<string, DraftRepository>();
  const repositoryIds = new IdAllocator();
  const planIds = new IdAllocator();
  const plans: DraftPlan[] = [];
  for (const name of Object.keys(profiles)) {
    const origin = keyPath(v2 ? 'profiles' : '', name);
    const chain = inheritanceChain(name, profiles, origin, notes);
    const profile = chain.reduceRight<JsonObject>((merged, link) => mergeProfile(merged, profiles[link]!, v2), {});
    noteUnknownKeys(profile, PROFILE_KEYS, origin, notes, 'resticprofile profile');
    const backup = isObject(profile.backup) ? profile.backup : undefined;
    const sources = stringList(backup?.source);
    if (!backup || !sources?.length) {
      if (!parents.has(name)) notes.notMapped(origin, 'backs nothing up (no backup.source), so it is not a plan');
      continue;
    }
    const repository = repositoryFor(name, chain, profile, profiles, origin, baseDir, notes, repositories, repositoryIds);
    if (!repository) continue;
    for (const command of OTHER_COMMANDS) {
      if (profile[command] !== undefined && command !== 'forget')
        notes.notMapped(keyPath(origin, command), `options of "restic ${command}" are not plan settings in Lifeboat; left out`);
    }
    noteUnknownKeys(backup, [...BACKUP_KEYS, ...Object.keys(backup).filter((key) => key.startsWith('schedule-'))], keyPath(origin, 'backup'), notes, 'backup');
    const plan: DraftPlan['config'] = {
      id: planIds.take(idFrom(name, 'profile')),
      name: displayName(typeof profile.description === 'string' && profile.description ? profile.description : name),
      repository: repository.config.id,
      sources: sources.map((path) => absolutePath(path, baseDir)),
      hooks: [],
    };
    const excludes = stringList(backup.exclude);
    if (excludes?.length) plan.excludes = excludes;
    plan.schedule = scheduleOf(backup, keyPath(origin, 'backup'), notes);
    const retention = retentionOf(profile, origin, notes);
    if (retention) plan.retention = retention;
    const check = checkOf(profile, origin, notes);
    if (check) plan.check = check;
    plan.hooks = hooksOf(profile, backup, origin, baseDir, notes);
    plans.push({ config: plan, origin });
  }
  if (plans.length === 0 && Object.keys(profiles).length === 0) notes.notMapped('', 'no profiles were found in the file');
  return { repositories: [...repositories.values()], plans, notes };
}

/** The profile and its ancestors, nearest first; a loop or a missing parent is noted and ends the chain. */
function inheritanceChain(name: string, profiles: Record<string, JsonObject>, origin: string, notes: ImportNotes): string[] {
  const chain = [name];
  let current = profiles[name];
  while (current && typeof current.inherit === 'string') {
    const parent = current.inherit;
    if (chain.includes(parent)) {
      notes.notMapped(keyPath(origin, 'inherit'), `inherits in a loop (${[...chain, parent].join(' → ')}); the loop was cut`);
      break;
    }
    if (!profiles[parent]) {
      notes.notMapped(keyPath(origin, 'inherit'), `inherits from "${parent}", which is not in the file`);
      break;
    }
    chain.push(parent);
    current = profiles[parent];
  }
  return chain;
}

/** resticprofile's merge: sections merge, values are replaced; lists merge by index in format 1, are replaced (or appended to) in format 2. */
function mergeProfile(parent: JsonObject, child: JsonObject, v2: boolean): JsonObject {
  const merged: JsonObject = { ...parent };
  for (const [rawKey, value] of Object.entries(child)) {
    const append = /^(.*?)(?:\.\.\.|__APPEND)$/.exec(rawKey)?.[1];
    const prepend = /^(?:\.\.\.)(.*)$|^(.*?)__PREPEND$/.exec(rawKey);
    const prependKey = prepend?.[1] ?? prepend?.[2];
    if (v2 && append) merged[append] = [...(stringList(merged[append]) ?? []), ...(stringList(value) ?? [])];
    else if (v2 && prependKey) merged[prependKey] = [...(stringList(value) ?? []), ...(stringList(merged[prependKey]) ?? [])];
    else if (isObject(value) && isObject(merged[rawKey])) merged[rawKey] = mergeProfile(merged[rawKey] as JsonObject, value, v2);
    else if (!v2 && Array.isArray(value) && Array.isArray(merged[rawKey])) {
      const list = [...(merged[rawKey] as unknown[])];
      value.forEach((item, index) => {
        list[index] = item;
      });
      merged[rawKey] = list;
    } else merged[rawKey] = value;
  }
  return merged;
}

function repositoryFor(
  name: string,
  chain: string[],
  profile: JsonObject,
  profiles: Record<string, JsonObject>,
  origin: string,
  baseDir: string,
  notes: ImportNotes,
  repositories: Map<string, DraftRepository>,
  ids: IdAllocator,
): DraftRepository | undefined {
  if (typeof profile.repository !== 'string' || profile.repository.trim() === '') {
    notes.notMapped(origin, 'has no "repository" (a repository-file is not read), so it was not imported');
    return undefined;
  }
  const location = profile.repository.replace(/^local:/, '');
  const url = /^[a-z0-9]+:/i.test(location) && !/^[a-z]:[\\/]/i.test(location) ? location : absolutePath(location, baseDir);
  const env: Record<string, string> = {};
  const credentials: JsonObject = {};
  let password: string | undefined;
  if (typeof profile['password-file'] === 'string') credentials.passwordFile = absolutePath(profile['password-file'], baseDir);
  else if (typeof profile['password-command'] === 'string') credentials.passwordCommand = profile['password-command'];
  for (const [key, value] of Object.entries(isObject(profile.env) ? profile.env : {})) {
    const upper = key.toUpperCase();
    if (typeof value !== 'string' && typeof value !== 'number') {
      notes.notMapped(keyPath(origin, 'env', key), 'is not a text value');
    } else if (upper === 'RESTIC_PASSWORD') {
      if (Object.keys(credentials).length === 0) password = String(value);
    } else if (upper === 'RESTIC_PASSWORD_FILE') {
      if (Object.keys(credentials).length === 0 && password === undefined) credentials.passwordFile = absolutePath(String(value), baseDir);
    } else if (upper === 'RESTIC_PASSWORD_COMMAND') {
      if (Object.keys(credentials).length === 0 && password === undefined) credentials.passwordCommand = String(value);
    } else if (upper === 'RESTIC_REPOSITORY' || upper === 'RESTIC_REPOSITORY_FILE') {
      notes.notMapped(keyPath(origin, 'env', key), 'the repository comes from "repository"');
    } else env[upper] = String(value);
  }
  if (Object.keys(credentials).length === 0 && password === undefined) {
    credentials.passwordEnv = 'RESTIC_PASSWORD';
    notes.notMapped(
      keyPath(origin, 'password-file'),
      'no password is set in the profile; Lifeboat reads it from the RESTIC_PASSWORD environment variable, as restic does',
    );
  }
  const key = JSON.stringify([url, credentials, password ?? null, env]);
  const known = repositories.get(key);
  if (known) return known;
  // The repository is named after the profile that declares it (the base profile, when inherited).
  const definer = chain.find((link) => profiles[link]?.repository !== undefined) ?? name;
  const repository: DraftRepository = {
    config: { id: ids.take(idFrom(definer, 'repository')), name: displayName(definer), url, ...credentials, ...(Object.keys(env).length ? { env } : {}) },
    password,
    origin: keyPath(origin, 'repository'),
  };
  repositories.set(key, repository);
  return repository;
}

function scheduleOf(backup: JsonObject, origin: string, notes: ImportNotes): JsonObject | null {
  const conditions = ['schedule-ignore-on-battery', 'schedule-ignore-on-battery-less-than'];
  for (const key of Object.keys(backup).filter((name) => name.startsWith('schedule-') && !conditions.includes(name))) {
    notes.notMapped(keyPath(origin, key), 'Lifeboat runs schedules itself (no systemd, cron or launchd job); this setting has no counterpart');
  }
  const value = isObject(backup.schedule) ? backup.schedule.at : backup.schedule;
  const calendars = stringList(value) ?? [];
  if (calendars.length === 0) {
    if (backup.schedule !== undefined) notes.notMapped(keyPath(origin, 'schedule'), 'is not a calendar expression; the plan runs by hand');
    return null;
  }
  if (calendars.length > 1) notes.notMapped(keyPath(origin, 'schedule'), `has ${calendars.length} times; Lifeboat took the first ("${calendars[0]}")`);
  const cron = calendarToCron(calendars[0]!);
  if (cron) return { cron, timezone: 'local' };
  notes.notMapped(
    keyPath(origin, 'schedule'),
    `"${calendars[0]}" is a calendar shape Lifeboat cannot turn into cron; the plan runs by hand until you give it a schedule`,
  );
  return null;
}

function retentionOf(profile: JsonObject, origin: string, notes: ImportNotes): JsonObject | undefined {
  if (profile.forget !== undefined)
    notes.notMapped(keyPath(origin, 'forget'), 'a separate forget command is not a plan setting; use "retention" (after-backup) instead');
  if (!isObject(profile.retention)) return undefined;
  const retention = profile.retention;
  const path = keyPath(origin, 'retention');
  if (retention['after-backup'] !== true && retention['before-backup'] !== true) {
    notes.notMapped(path, 'runs neither before nor after the backup; Lifeboat would apply it after every backup, so it was left out');
    return undefined;
  }
  if (retention.prune === false) notes.notMapped(keyPath(path, 'prune'), 'Lifeboat always prunes what retention forgets (restic forget --prune)');
  for (const key of ['host', 'tag', 'path', 'group-by', 'keep-tag', 'compact'])
    if (retention[key] !== undefined)
      notes.notMapped(keyPath(path, key), "Lifeboat applies retention to the plan's own snapshots; this filter has no counterpart");
  return retentionFromFlags(retention, path, notes, ['after-backup', 'before-backup', 'prune', 'host', 'tag', 'path', 'group-by', 'keep-tag', 'compact']);
}

function checkOf(profile: JsonObject, origin: string, notes: ImportNotes): JsonObject | undefined {
  if (!isObject(profile.check)) return undefined;
  const check = profile.check;
  const path = keyPath(origin, 'check');
  const calendars = stringList(isObject(check.schedule) ? check.schedule.at : check.schedule) ?? [];
  const every = calendars[0] ? calendarToEvery(calendars[0]) : undefined;
  noteUnknownKeys(check, ['schedule', 'read-data-subset'], path, notes, 'check');
  if (!every) {
    notes.notMapped(
      keyPath(path, 'schedule'),
      'Lifeboat checks at an interval ("every"); this schedule is not hourly, daily, weekly, monthly or yearly, so checks were left out',
    );
    return undefined;
  }
  const subset = typeof check['read-data-subset'] === 'string' ? check['read-data-subset'] : undefined;
  return { every, ...(subset ? { readDataSubset: subset } : {}) };
}

function hooksOf(profile: JsonObject, backup: JsonObject, origin: string, baseDir: string, notes: ImportNotes): Array<Record<string, unknown>> {
  const hooks: Array<Record<string, unknown>> = [];
  const ids = new IdAllocator();
  for (const place of HOOK_PLACES) {
    const section = place.section === 'profile' ? profile : backup;
    const path = place.section === 'profile' ? keyPath(origin, place.key) : keyPath(origin, 'backup', place.key);
    const commands = stringList(section[place.key]);
    if (section[place.key] !== undefined && !commands) notes.notMapped(path, 'is not a command or a list of commands');
    if (!commands?.length) continue;
    const id = ids.take(place.section === 'profile' ? place.key : `backup-${place.key}`);
    const { hook, templated } = importedHook(id, `${place.section === 'profile' ? 'Profile' : 'Backup'} ${place.key}`, commands, [place.on], {
      ...(place.states ? { states: place.states } : {}),
      ...(place.onError ? { onError: place.onError } : {}),
      cwd: baseDir,
    });
    if (templated) notes.notMapped(path, 'uses a resticprofile template ({{ … }}), which Lifeboat does not expand; it is kept as text');
    hooks.push(hook);
  }
  const battery = backup['schedule-ignore-on-battery-less-than'];
  if (typeof battery === 'number' && battery > 0 && battery <= 100) {
    hooks.push({ id: ids.take('battery'), name: 'Battery check', enabled: false, on: ['run.start'], condition: { type: 'battery', minPercent: battery } });
  } else if (backup['schedule-ignore-on-battery'] === true) {
    hooks.push({ id: ids.take('on-ac-power'), name: 'On mains power', enabled: false, on: ['run.start'], condition: { type: 'acPower' } });
  }
  return hooks;
}
