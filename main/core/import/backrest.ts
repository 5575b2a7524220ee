import { UserError } from '../util/errors.ts';
import {
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
  stringList,
} from './draft.ts';
import { ImportNotes } from './import-report.ts';

type Place = { on: 'backup.before' | 'backup.after' | 'prune.before' | 'prune.after' | 'check.before' | 'check.after' | 'run.end'; state?: string };

/** Backrest's hook conditions and where each fires in a Lifeboat run. */
const CONDITIONS: Record<string, Place> = {
  CONDITION_SNAPSHOT_START: { on: 'backup.before' },
  CONDITION_SNAPSHOT_END: { on: 'backup.after' },
  CONDITION_SNAPSHOT_ERROR: { on: 'backup.after', state: 'failure' },
  CONDITION_SNAPSHOT_WARNING: { on: 'backup.after', state: 'warning' },
  CONDITION_SNAPSHOT_SUCCESS: { on: 'backup.after', state: 'success' },
  CONDITION_SNAPSHOT_SKIPPED: { on: 'run.end', state: 'skipped' },
  CONDITION_ANY_ERROR: { on: 'run.end', state: 'failure' },
  CONDITION_PRUNE_START: { on: 'prune.before' },
  CONDITION_FORGET_START: { on: 'prune.before' },
  CONDITION_PRUNE_ERROR: { on: 'prune.after', state: 'failure' },
  CONDITION_FORGET_ERROR: { on: 'prune.after', state: 'failure' },
  CONDITION_PRUNE_SUCCESS: { on: 'prune.after', state: 'success' },
  CONDITION_FORGET_SUCCESS: { on: 'prune.after', state: 'success' },
  CONDITION_CHECK_START: { on: 'check.before' },
  CONDITION_CHECK_ERROR: { on: 'check.after', state: 'failure' },
  CONDITION_CHECK_SUCCESS: { on: 'check.after', state: 'success' },
};
/** protojson may write an enum as its number. */
const CONDITION_NUMBERS: Record<number, string> = {
  1: 'CONDITION_ANY_ERROR',
  2: 'CONDITION_SNAPSHOT_START',
  3: 'CONDITION_SNAPSHOT_END',
  4: 'CONDITION_SNAPSHOT_ERROR',
  5: 'CONDITION_SNAPSHOT_WARNING',
  6: 'CONDITION_SNAPSHOT_SUCCESS',
  7: 'CONDITION_SNAPSHOT_SKIPPED',
  100: 'CONDITION_PRUNE_START',
  101: 'CONDITION_PRUNE_ERROR',
  102: 'CONDITION_PRUNE_SUCCESS',
  200: 'CONDITION_CHECK_START',
  201: 'CONDITION_CHECK_ERROR',
  202: 'CONDITION_CHECK_SUCCESS',
  300: 'CONDITION_FORGET_START',
  301: 'CONDITION_FORGET_ERROR',
  302: 'CONDITION_FORGET_SUCCESS',
};
const ON_ERROR: Record<string, { onError: 'fail' | 'skip' | 'ignore' | 'defer'; retryAfter?: string }> = {
  ON_ERROR_IGNORE: { onError: 'ignore' },
  ON_ERROR_CANCEL: { onError: 'skip' },
  ON_ERROR_FATAL: { onError: 'fail' },
  ON_ERROR_RETRY_1MINUTE: { onError: 'defer', retryAfter: '1m' },
  ON_ERROR_RETRY_10MINUTES: { onError: 'defer', retryAfter: '10m' },
  ON_ERROR_RETRY_EXPONENTIAL_BACKOFF: { onError: 'defer' },
};
const ON_ERROR_NUMBERS: Record<number, string> = {
  0: 'ON_ERROR_IGNORE',
  1: 'ON_ERROR_CANCEL',
  2: 'ON_ERROR_FATAL',
  100: 'ON_ERROR_RETRY_1MINUTE',
  101: 'ON_ERROR_RETRY_10MINUTES',
  103: 'ON_ERROR_RETRY_EXPONENTIAL_BACKOFF',
};
const NOTIFIERS: Record<string, string> = {
  actionWebhook: 'a webhook',
  actionDiscord: 'a Discord message',
  actionGotify: 'a Gotify message',
  actionSlack: 'a Slack message',
  actionShoutrrr: 'a shoutrrr notification',
  actionHealthchecks: 'a Healthchecks ping (add it as a "healthchecks" monitor of the plan)',
  actionTelegram: 'a Telegram message',
};

const REPO_KEYS = [
  'id',
  'uri',
  'guid',
  'password',
  'env',
  'flags',
  'prunePolicy',
  'checkPolicy',
  'hooks',
  'autoUnlock',
  'autoInitialize',
  'commandPrefix',
  'forgetPolicy',
  'shared',
  'originInstanceId',
];
const PLAN_KEYS = ['id', 'repo', 'paths', 'excludes', 'iexcludes', 'schedule', 'retention', 'hooks', 'backup_flags', 'skipIfUnchanged'];

/** Backrest's config.json: its repos and plans, their schedules, retention and command hooks. */
export function importBackrest(raw: unknown, file: string): ImportDraft {
  if (!isObject(raw)) throw new UserError(`${JSON.stringify(file)} is not a Backrest config: it should have "repos" and "plans".`, { kind: 'config' });
  const notes = new ImportNotes();
  noteUnknownKeys(raw, ['modno', 'version', 'instance', 'repos', 'plans', 'auth', 'sync'], '', notes, 'Backrest');
  if (raw.auth !== undefined) notes.notMapped('auth', "Backrest's web login has no counterpart: Lifeboat's browser UI is guarded by its own token");
  if (raw.sync !== undefined) notes.notMapped('sync', 'syncing between Backrest instances has no counterpart');
  const repositories = new Map<string, { draft: DraftRepository; repo: JsonObject; origin: string }>();
  const repositoryIds = new IdAllocator();
  const repos = Array.isArray(raw.repos) ? raw.repos : [];
  repos.forEach((repo, index) => {
    const origin = keyPath('repos', index);
    if (!isObject(repo) || typeof repo.id !== 'string' || typeof repo.uri !== 'string' || !repo.uri) {
      notes.notMapped(origin, 'has no "id" and "uri", so it was not imported');
      return;
    }
    noteUnknownKeys(repo, REPO_KEYS, origin, notes, 'Backrest repo');
    for (const key of ['flags', 'commandPrefix'])
      if (repo[key] !== undefined) notes.notMapped(keyPath(origin, key), 'extra restic flags and nice levels have no counterpart in Lifeboat; left out');
    if (repo.autoInitialize === true)
      notes.notMapped(keyPath(origin, 'autoInitialize'), 'Lifeboat does not create repositories on its own; run "lifeboat init <repository>" once');
    if (repo.prunePolicy !== undefined)
      notes.notMapped(keyPath(origin, 'prunePolicy'), 'Lifeboat prunes right after each retention run; a separate prune schedule has no counterpart');
    const env: Record<string, string> = {};
    const credentials: JsonObject = {};
    let password = typeof repo.password === 'string' && repo.password ? repo.password : undefined;
    for (const [entryIndex, entry] of (stringList(repo.env) ?? []).entries()) {
      const separator = entry.indexOf('=');
      if (separator <= 0) {
        notes.notMapped(keyPath(origin, 'env', entryIndex), 'is not NAME=value');
        continue;
      }
      const name = entry.slice(0, separator);
      const value = entry.slice(separator + 1);
      if (name === 'RESTIC_PASSWORD') password ??= value;
      else if (name === 'RESTIC_PASSWORD_FILE') credentials.passwordFile = value;
      else if (name === 'RESTIC_PASSWORD_COMMAND') credentials.passwordCommand = value;
      else env[name] = value;
    }
    if (password !== undefined) for (const key of Object.keys(credentials)) delete credentials[key];
    else if (Object.keys(credentials).length > 1) delete credentials.passwordCommand;
    if (password === undefined && Object.keys(credentials).length === 0) {
      credentials.passwordEnv = 'RESTIC_PASSWORD';
      notes.notMapped(keyPath(origin, 'password'), 'is empty; Lifeboat reads the password from the RESTIC_PASSWORD environment variable');
    }
    const draft: DraftRepository = {
      config: {
        id: repositoryIds.take(idFrom(repo.id, 'repository')),
        name: displayName(repo.id),
        url: repo.uri,
        ...credentials,
        ...(Object.keys(env).length ? { env } : {}),
      },
      password,
      origin,
    };
    repositories.set(repo.id, { draft, repo, origin });
  });

  const plans: DraftPlan[] = [];
  const planIds = new IdAllocator();
  const plansRaw = Array.isArray(raw.plans) ? raw.plans : [];
  plansRaw.forEach((entry, index) => {
    const origin = keyPath('plans', index);
    if (!isObject(entry) || typeof entry.id !== 'string') {
      notes.notMapped(origin, 'has no "id", so it was not imported');
      return;
    }
    noteUnknownKeys(entry, PLAN_KEYS, origin, notes, 'Backrest plan');
    const repository = typeof entry.repo === 'string' ? repositories.get(entry.repo) : undefined;
    const sources = stringList(entry.paths) ?? [];
    if (!repository) {
      notes.notMapped(keyPath(origin, 'repo'), `names the repo ${JSON.stringify(entry.repo)}, which is not imported, so the plan was not imported`);
      return;
    }
    if (sources.length === 0) {
      notes.notMapped(keyPath(origin, 'paths'), 'is empty, so the plan was not imported');
      return;
    }
    for (const key of ['iexcludes', 'backup_flags', 'skipIfUnchanged'])
      if (entry[key] !== undefined) notes.notMapped(keyPath(origin, key), 'has no counterpart in a Lifeboat plan; left out');
    const plan: DraftPlan['config'] = {
      id: planIds.take(idFrom(entry.id, 'plan')),
      name: displayName(entry.id),
      repository: repository.draft.config.id,
      sources,
      hooks: [],
    };
    const excludes = stringList(entry.excludes);
    if (excludes?.length) plan.excludes = excludes;
    plan.schedule = scheduleOf(entry.schedule, keyPath(origin, 'schedule'), notes);
    const forgetPolicy = isObject(repository.repo.forgetPolicy) ? repository.repo.forgetPolicy : undefined;
    const retention = forgetPolicy
      ? retentionOf(forgetPolicy.retention, keyPath(repository.origin, 'forgetPolicy', 'retention'), notes)
      : retentionOf(entry.retention, keyPath(origin, 'retention'), notes);
    if (retention) plan.retention = retention;
    const check = checkOf(repository.repo.checkPolicy, keyPath(repository.origin, 'checkPolicy'), notes);
    if (check) plan.check = check;
    const ids = new IdAllocator();
    plan.hooks = [
      ...hooksOf(entry.hooks, keyPath(origin, 'hooks'), ids, notes),
      ...hooksOf(repository.repo.hooks, keyPath(repository.origin, 'hooks'), ids, notes, 'repo-hook'),
    ];
    plans.push({ config: plan, origin });
  });
  return {
    repositories: [...repositories.values()].map((entry) => entry.draft).filter((draft) => plans.some((plan) => plan.config.repository === draft.config.id)),
    plans,
    notes,
  };
}

function scheduleOf(schedule: unknown, origin: string, notes: ImportNotes): JsonObject | null {
  if (!isObject(schedule) || schedule.disabled === true) return null;
  const utc = schedule.clock === 'CLOCK_UTC' || schedule.clock === 2;
  if (schedule.clock === 'CLOCK_LAST_RUN_TIME' || schedule.clock === 3) {
    if (typeof schedule.cron === 'string')
      notes.notMapped(keyPath(origin, 'clock'), 'counting from the last run applies to intervals in Lifeboat; the cron schedule runs by the clock');
  }
  if (typeof schedule.cron === 'string' && schedule.cron.trim()) return { cron: schedule.cron.trim(), timezone: utc ? 'UTC' : 'local' };
  if (typeof schedule.maxFrequencyDays === 'number' && schedule.maxFrequencyDays > 0) return { every: `${schedule.maxFrequencyDays}d` };
  if (typeof schedule.maxFrequencyHours === 'number' && schedule.maxFrequencyHours > 0) return { every: `${schedule.maxFrequencyHours}h` };
  return null;
}

function retentionOf(policy: unknown, origin: string, notes: ImportNotes): JsonObject | undefined {
  if (!isObject(policy) || policy.policyKeepAll === true) return undefined;
  const retention: JsonObject = {};
  const put = (key: string, value: unknown) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) retention[key] = value;
  };
  put('keepLast', policy.policyKeepLastN);
  if (isObject(policy.policyTimeBucketed)) {
    const buckets = policy.policyTimeBucketed;
    put('keepLast', buckets.keepLastN);
    put('keepHourly', buckets.hourly);
    put('keepDaily', buckets.daily);
    put('keepWeekly', buckets.weekly);
    put('keepMonthly', buckets.monthly);
    put('keepYearly', buckets.yearly);
  }
  if (Object.keys(retention).length === 0) {
    notes.notMapped(origin, 'keeps nothing by count; left out (Lifeboat keeps every snapshot without a retention)');
    return undefined;
  }
  return retention;
}

function checkOf(policy: unknown, origin: string, notes: ImportNotes): JsonObject | undefined {
  if (!isObject(policy) || !isObject(policy.schedule) || policy.schedule.disabled === true) return undefined;
  const days = policy.schedule.maxFrequencyDays;
  const hours = policy.schedule.maxFrequencyHours;
  const every = typeof days === 'number' && days > 0 ? `${days}d` : typeof hours === 'number' && hours > 0 ? `${hours}h` : undefined;
  if (!every) {
    notes.notMapped(keyPath(origin, 'schedule'), 'Lifeboat checks at an interval ("every"); a cron check schedule was left out');
    return undefined;
  }
  const percent = policy.readDataSubsetPercent;
  return { every, ...(typeof percent === 'number' && percent > 0 && percent <= 100 ? { readDataSubset: `${percent}%` } : {}) };
}

function hooksOf(list: unknown, origin: string, ids: IdAllocator, notes: ImportNotes, prefix = 'hook'): Array<Record<string, unknown>> {
  if (!Array.isArray(list)) return [];
  const hooks: Array<Record<string, unknown>> = [];
  for (const [index, hook] of list.entries()) {
    const path = keyPath(origin, index);
    if (!isObject(hook)) {
      notes.notMapped(path, 'is not a hook');
      continue;
    }
    const notifier = Object.keys(NOTIFIERS).find((key) => hook[key] !== undefined);
    if (notifier) {
      notes.notMapped(path, `sends ${NOTIFIERS[notifier]}; Lifeboat hooks run commands, so it was left out`);
      continue;
    }
    const command = isObject(hook.actionCommand) && typeof hook.actionCommand.command === 'string' ? hook.actionCommand.command : undefined;
    if (!command?.trim()) {
      notes.notMapped(path, 'has no command to run');
      continue;
    }
    const conditions = (Array.isArray(hook.conditions) ? hook.conditions : []).map((c) => (typeof c === 'number' ? CONDITION_NUMBERS[c] : c));
    const byEvent = new Map<string, Set<string>>();
    for (const condition of conditions) {
      const place = typeof condition === 'string' ? CONDITIONS[condition] : undefined;
      if (!place) {
        notes.notMapped(keyPath(path, 'conditions'), `${JSON.stringify(condition)} has no counterpart among Lifeboat's events; left out`);
        continue;
      }
      const states = byEvent.get(place.on) ?? new Set<string>();
      states.add(place.state ?? 'any');
      byEvent.set(place.on, states);
    }
    if (byEvent.size === 0) {
      notes.notMapped(path, 'fires on no condition Lifeboat knows, so it was left out');
      continue;
    }
    const onErrorName = typeof hook.onError === 'number' ? ON_ERROR_NUMBERS[hook.onError] : (hook.onError ?? 'ON_ERROR_IGNORE');
    const onError = ON_ERROR[String(onErrorName)] ?? ON_ERROR.ON_ERROR_IGNORE!;
    let templated = false;
    for (const [event, stateSet] of byEvent) {
      const states =
        stateSet.has('any') || !(event.endsWith('.after') || event === 'run.end')
          ? undefined
          : ([...stateSet] as Array<'success' | 'warning' | 'failure' | 'skipped'>);
      const made = importedHook(ids.take(`${prefix}-${index + 1}`), `Backrest hook ${index + 1}`, [command], [event as Place['on']], {
        ...(states ? { states } : {}),
        onError: event.endsWith('.before') || onError.onError !== 'defer' ? onError.onError : 'ignore',
        ...(onError.retryAfter && event.endsWith('.before') ? { retryAfter: onError.retryAfter } : {}),
      });
      templated ||= made.templated;
      hooks.push(made.hook);
    }
    if (templated)
      notes.notMapped(
        keyPath(path, 'actionCommand', 'command'),
        "uses a Backrest template ({{ … }}), which Lifeboat does not expand; it is kept as text (Lifeboat's variables are $LIFEBOAT_*)",
      );
  }
  return hooks;
}
