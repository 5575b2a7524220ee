import { isAbsolute } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import type { SchemaParts } from '../conditions/condition.ts';
import { CONDITION_TYPES, type Condition, conditionModule } from '../conditions/registry.ts';
import { commandShell, inlineShell } from '../hooks/hook-command.ts';
import { secretEnvNames } from '../hooks/hook-secrets.ts';
import { interpolationProblems } from '../hooks/placement.ts';
import { referencedVariables } from '../hooks/variables.ts';
import { normaliseMountPath } from '../schedule/mount-trigger.ts';
import { type Duration, parseDuration } from '../util/duration.ts';
import { expandHome } from '../util/paths.ts';
import * as fields from './fields.ts';
import { MAX_NAME_LENGTH } from './limits.ts';
import { formatProblem, type Problem } from './problem.ts';
import { type ConfigParsed, type HookParsed, type PlanParsed, pasteProblem, RUN_STATUSES, schemas, VERIFY_SAMPLE_DEFAULT } from './schema.ts';
import { type Config, DEFAULT_SETTINGS, type Hook, type HookScript, type Plan, type Repository } from './types.ts';
import { HOOK_DEFAULTS, HOOK_VARIABLES } from './vocabulary.ts';

export { formatProblem, type Problem } from './problem.ts';

/** What each condition's schema is built from (conditions do not load zod themselves). */
export const SCHEMA_PARTS: SchemaParts = { z, fields };

export type Validation = { ok: true; config: Config } | { ok: false; problems: Problem[] };

export interface ValidateOptions {
  home?: string;
  /**
   * Lets a 6-field cron fire every few seconds. Only for tests and demos of the scheduler
   * (`LIFEBOAT_ALLOW_FAST_SCHEDULES=1`): a real plan never needs more than one run a minute.
   */
  allowFastSchedules?: boolean;
}

/** Validates a parsed config file and reports every problem at once. */
export function validateConfig(raw: unknown, options: ValidateOptions = {}): Validation {
  const parsed = schemas().configSchema.safeParse(raw, { reportInput: true, error: markUnworded });
  const problems: Problem[] = parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueProblems(issue, []));
  const fastSchedules = options.allowFastSchedules ?? process.env.LIFEBOAT_ALLOW_FAST_SCHEDULES === '1';
  problems.push(...semanticProblems(raw, options.home, fastSchedules));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: dedupe(problems) };
  return { ok: true, config: normalize(parsed.data, options.home) };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${pathKey(String(key))}` : pathKey(String(key));
  }
  return text;
}

/**
 * A key as a path shows it: on one line, and cut after the longest a valid key can be (a record's
 * keys are whatever the file holds; one that long is refused anyway, and the form maps the rest by name).
 */
function pathKey(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped here
  const shown = /[\u0000-\u001f\u007f]/.test(key) ? JSON.stringify(key).slice(1, -1) : key;
  return shown.length > MAX_NAME_LENGTH ? `${shown.slice(0, MAX_NAME_LENGTH)}…` : shown;
}

function issueProblems(issue: z.core.$ZodIssue, prefix: PropertyKey[]): Problem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // A schedule whose kind is plain from its keys: that kind's own problems ("onMount" relative, …).
    const branch = scheduleBranch(path, issue);
    if (branch) return branch.flatMap((inner) => issueProblems(inner, path));
    // A schedule or a monitor: say which shapes are accepted rather than every branch's complaint.
    return [{ path: formatPath(path), message: unionSentence(path) }];
  }
  if (issue.code === 'invalid_key') {
    // A record's key (a header name, an environment variable's name): what its own schema says of it.
    return issue.issues.map((inner) => ({ path: formatPath(path), message: describeIssue(inner as z.core.$ZodIssue) }));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...path, key]),
      message: `is not a setting Lifeboat knows; remove it or check its spelling`,
    }));
  }
  return [{ path: formatPath(path), message: describeIssue(issue) }];
}

/** The issues of the schedule shape its keys name (cron, every, then onMount alone: the order of the union). */
function scheduleBranch(path: PropertyKey[], issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const input = issue.input;
  if (path[path.length - 1] !== 'schedule' || !isRecord(input)) return undefined;
  if ('cron' in input && 'every' in input) return undefined; // two kinds at once: the sentence naming the shapes says it best
  const index = 'cron' in input ? 0 : 'every' in input ? 1 : 'onMount' in input ? 2 : -1;
  const issues = issue.errors[index];
  return issues && issues.length > 0 ? issues : undefined;
}

function unionSentence(path: PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === 'schedule') return 'must be {"cron": "0 * * * *"}, {"every": "6h"}, {"onMount": "/media/me/usb"} or null (manual only)';
  if (path[path.length - 2] === 'copyTo')
    return 'must be a repository id such as "offsite", or {"repository": "offsite", "retention": {"keepLast": 10}} (retention keys as the plan\'s)';
  return 'has a shape Lifeboat does not know; see SPEC for the accepted forms';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [ … ]',
  object: 'an object { … }',
};

/**
 * The message of an issue the schema wrote no sentence for. A message written in the schema
 * wins over this, so an issue carrying it is one Lifeboat words itself, by the issue's code.
 */
const UNWORDED = '\u0000unworded';

function markUnworded(): string {
  return UNWORDED;
}

const ZOD_ENGLISH = z.locales.en();

/** zod's own wording, for an issue Lifeboat has no better sentence for. */
function zodWording(issue: z.core.$ZodIssue): string {
  const worded = ZOD_ENGLISH.localeError(issue as unknown as z.core.$ZodRawIssue);
  return (typeof worded === 'string' ? worded : worded?.message) ?? 'Invalid input';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = 'input' in issue ? issue.input : undefined;
  if (issue.message !== UNWORDED) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `is missing; add it (${TYPE_WORDS[issue.expected] ?? issue.expected})`;
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(input)}`;
    case 'invalid_value':
      return `${describeValue(input)} is not allowed; use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') return `must be at most ${issue.maximum}`;
      return zodWording(issue);
    case 'invalid_format':
      if (issue.format === 'url') return `${describeValue(input)} is not a URL (it should look like "https://example.com/path")`;
      return zodWording(issue);
    default:
      return zodWording(issue);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Rules that span several fields or need outside knowledge (cron, time zones, paths). */
function semanticProblems(raw: unknown, home: string | undefined, fastSchedules: boolean): Problem[] {
  const problems: Problem[] = [];
  if (!isRecord(raw)) {
    return [{ path: '', message: 'the config must be an object such as {"version": 1, "repositories": [], "plans": []}' }];
  }
  const repositories = Array.isArray(raw.repositories) ? raw.repositories : [];
  const plans = Array.isArray(raw.plans) ? raw.plans : [];
  duplicateIds(repositories, 'repositories', problems);
  duplicateIds(plans, 'plans', problems);
  const repositoryIds = new Set(repositories.filter(isRecord).map((r) => r.id));

  repositories.forEach((repository, index) => {
    if (!isRecord(repository)) return;
    const path = `repositories[${index}]`;
    const sources = ['passwordEnv', 'passwordFile', 'passwordCommand', 'passwordKeychain'].filter((key) => repository[key] !== undefined);
    if (sources.length === 0) {
      problems.push({
        path,
        message:
          'needs a password source: set "passwordEnv" (an environment variable), "passwordFile" or "passwordCommand" (or let the desktop app keep it in the keychain)',
      });
    } else if (sources.length > 1) {
      problems.push({ path, message: `has ${sources.join(' and ')}; keep exactly one password source` });
    }
    if (typeof repository.url === 'string' && repository.url && isLocalPath(repository.url) && !isAbsolute(expandHome(repository.url, home))) {
      problems.push({
        path: `${path}.url`,
        message: `${JSON.stringify(repository.url)} is a relative path; write the full path, e.g. "/mnt/backup/restic" or "~/restic"`,
      });
    }
  });

  plans.forEach((plan, planIndex) => {
    if (!isRecord(plan)) return;
    const path = `plans[${planIndex}]`;
    if (typeof plan.repository === 'string' && plan.repository && !repositoryIds.has(plan.repository)) {
      const known = [...repositoryIds].filter((id) => typeof id === 'string');
      problems.push({
        path: `${path}.repository`,
        message: `no repository has the id ${JSON.stringify(plan.repository)}${known.length ? ` (known: ${known.join(', ')})` : '; add it under "repositories"'}`,
      });
    }
    if (Array.isArray(plan.sources)) {
      plan.sources.forEach((source, sourceIndex) => {
        // One a paste left control characters in is told so by the schema, not also as relative.
        if (typeof source === 'string' && source && !isAbsolute(expandHome(source, home)) && !pasteProblem(source, 'sources')) {
          problems.push({
            path: `${path}.sources[${sourceIndex}]`,
            message: `${JSON.stringify(source)} is a relative path; write it from the root ("/home/me/${source}") or the home folder ("~/${source}")`,
          });
        }
      });
    }
    if (isRecord(plan.schedule) && typeof plan.schedule.cron === 'string') {
      problems.push(...scheduleProblems(plan.schedule.cron, plan.schedule.timezone, `${path}.schedule`, fastSchedules));
    }
    if (isRecord(plan.schedule) && plan.schedule.minInterval !== undefined && plan.schedule.onMount === undefined) {
      problems.push({
        path: `${path}.schedule.minInterval`,
        message: 'only goes with "onMount" (the least time between two drive-arrival runs); add "onMount" or remove it',
      });
    }
    if (Array.isArray(plan.monitors)) duplicateIds(plan.monitors, `${path}.monitors`, problems);
    if (Array.isArray(plan.copyTo)) problems.push(...copyToProblems(plan.copyTo, plan.repository, repositoryIds, `${path}.copyTo`));
    if (Array.isArray(plan.hooks)) {
      duplicateIds(plan.hooks, `${path}.hooks`, problems);
      plan.hooks.forEach((hook, hookIndex) => {
        if (isRecord(hook)) problems.push(...hookProblems(hook, `${path}.hooks[${hookIndex}]`, home));
      });
    }
  });
  problems.push(...hookEnvironmentProblems(raw, repositories, plans));
  return problems;
}

/** Each copy target names a configured repository other than the plan's own, once. */
function copyToProblems(targets: unknown[], own: unknown, repositoryIds: Set<unknown>, path: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const id = typeof target === 'string' ? target : isRecord(target) && typeof target.repository === 'string' ? target.repository : undefined;
    if (!id) return;
    const at = typeof target === 'string' ? `${path}[${index}]` : `${path}[${index}].repository`;
    const first = seen.get(id);
    if (id === own) {
      problems.push({ path: at, message: `${JSON.stringify(id)} is the plan's own repository; a second copy goes to another repository (remove it here)` });
    } else if (first !== undefined) {
      problems.push({ path: at, message: `${JSON.stringify(id)} is listed already at ${path}[${first}]; copy to each repository once` });
    } else if (!repositoryIds.has(id)) {
      const known = [...repositoryIds].filter((candidate) => typeof candidate === 'string' && candidate !== own);
      problems.push({
        path: at,
        message: `no repository has the id ${JSON.stringify(id)}${known.length ? ` (known: ${known.join(', ')})` : '; add the second repository under "repositories"'}`,
      });
    }
    if (first === undefined) seen.set(id, index);
  });
  return problems;
}

/**
 * A secret's name in a hook's `inheritEnv` or `settings.hookInheritEnv`, a bare `*`, or a hook
 * `env` key starting with RESTIC_ (SPEC §4). Prefixes are filtered at run time instead: a
 * secret never reaches a hook whatever pattern names it.
 */
function hookEnvironmentProblems(raw: Record<string, unknown>, repositories: unknown[], plans: unknown[]): Problem[] {
  const problems: Problem[] = [];
  const isSecret = secretEnvNames(repositories.filter(isRecord).map((r) => ({ passwordEnv: r.passwordEnv, env: r.env })));
  const check = (list: unknown, path: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((name, index) => {
      if (typeof name !== 'string') return;
      if (name === '*') {
        problems.push({
          path: `${path}[${index}]`,
          message: '"*" would hand every variable to hooks; list the names they need (a prefix such as "MYAPP_*" is fine)',
        });
      } else if (!name.endsWith('*') && isSecret(name)) {
        problems.push({
          path: `${path}[${index}]`,
          message: `${name} holds a secret (a repository password, cloud credential, restic setting or the serve token) and never reaches a hook; remove it, and give the hook what it needs in its own "env"`,
        });
      }
    });
  };
  if (isRecord(raw.settings)) check(raw.settings.hookInheritEnv, 'settings.hookInheritEnv');
  plans.forEach((plan, planIndex) => {
    if (!isRecord(plan) || !Array.isArray(plan.hooks)) return;
    plan.hooks.forEach((hook, hookIndex) => {
      if (!isRecord(hook)) return;
      const path = `plans[${planIndex}].hooks[${hookIndex}]`;
      check(hook.inheritEnv, `${path}.inheritEnv`);
      if (!isRecord(hook.env)) return;
      for (const key of Object.keys(hook.env)) {
        if (key.toUpperCase().startsWith('RESTIC_'))
          problems.push({ path: `${path}.env.${key}`, message: `${key}: RESTIC_ variables are restic's own settings and never reach a hook; rename it` });
      }
    });
  });
  return problems;
}

function scheduleProblems(cron: string, timezone: unknown, path: string, fastSchedules: boolean): Problem[] {
  const problems: Problem[] = [];
  // An empty one is told by the schema ("must not be empty"), once.
  if (cron.trim() === '') return problems;
  const fields = cron.trim().split(/\s+/).length;
  if (cron.trim().startsWith('@')) {
    problems.push({
      path: `${path}.cron`,
      message: `${JSON.stringify(cron)} is a shorthand Lifeboat does not read; write the five fields, e.g. "0 0 * * *" for daily or "0 * * * *" for hourly`,
    });
  } else if (fields !== 5 && fields !== 6) {
    problems.push({
      path: `${path}.cron`,
      message: `${JSON.stringify(cron)} has ${fields} field${fields === 1 ? '' : 's'}; a cron expression has 5 ("0 * * * *") or 6 with seconds first`,
    });
  } else {
    let parsed: Cron | undefined;
    try {
      parsed = new Cron(cron, { paused: true });
    } catch (error) {
      problems.push({
        path: `${path}.cron`,
        message: `${JSON.stringify(cron)} is not a valid cron expression (${(error as Error).message}); e.g. "0 * * * *" is every hour`,
      });
    }
    if (parsed && parsed.nextRun() === null) {
      problems.push({ path: `${path}.cron`, message: `${JSON.stringify(cron)} never fires (no such date); check the day and the month` });
    } else if (parsed && fields === 6 && !/^\d{1,2}$/.test(cron.trim().split(/\s+/)[0]!) && !fastSchedules) {
      problems.push({
        path: `${path}.cron`,
        message: `${JSON.stringify(cron)} fires more often than once a minute; give the seconds field one value (e.g. "0 */5 * * * *") or use 5 fields`,
      });
    }
  }
  if (typeof timezone === 'string' && timezone !== 'local' && !isTimeZone(timezone)) {
    problems.push({ path: `${path}.timezone`, message: `${JSON.stringify(timezone)} is not a time zone; use "local" or an IANA name such as "Europe/Berlin"` });
  }
  return problems;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false; // RangeError: the runtime does not know this zone
  }
}

/**
 * A hook's script file and working folder, written from the root or the home folder: a relative one
 * would be read from wherever Lifeboat was started (and a bare name looked up on PATH by the OS).
 */
function hookPathProblems(hook: Record<string, unknown>, path: string, home: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const relative = (value: unknown, at: string) => {
    if (typeof value !== 'string' || value === '' || isAbsolute(expandHome(value, home))) return;
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    const below = shown.replace(/^(\.\/)+/, '');
    problems.push({
      path: at,
      message: `${JSON.stringify(shown)} is a relative path; write it from the root (${JSON.stringify(`/home/me/${below}`)}) or the home folder (${JSON.stringify(`~/${below}`)})`,
    });
  };
  if (isRecord(hook.script)) relative(hook.script.path, `${path}.script.path`);
  relative(hook.cwd, `${path}.cwd`);
  return problems;
}

/** Each event a hook's `on` names again, by name, pointing at where it was named first. */
function repeatedEvents(on: unknown, path: string): Problem[] {
  if (!Array.isArray(on)) return [];
  const problems: Problem[] = [];
  const first = new Map<string, number>();
  on.forEach((event, index) => {
    if (typeof event !== 'string') return;
    const seen = first.get(event);
    if (seen === undefined) first.set(event, index);
    else problems.push({ path: `${path}[${index}]`, message: `${JSON.stringify(event)} is listed twice (see on[${seen}]); list each event once` });
  });
  return problems;
}

function hookProblems(hook: Record<string, unknown>, path: string, home: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const condition = hook.condition;
  if (isRecord(condition) && typeof condition.type === 'string') {
    const schema = conditionModule(condition.type)?.schema(SCHEMA_PARTS);
    if (!schema) {
      problems.push({
        path: `${path}.condition.type`,
        message: `${JSON.stringify(condition.type)} is not a condition type; use one of ${CONDITION_TYPES.join(', ')}`,
      });
    } else {
      const result = schema.safeParse(condition, { reportInput: true, error: markUnworded });
      if (!result.success)
        problems.push(...result.error.issues.flatMap((issue) => issueProblems(issue, [])).map((p) => ({ ...p, path: `${path}.condition.${p.path}` })));
    }
  }
  problems.push(...hookPathProblems(hook, path, home), ...repeatedEvents(hook.on, `${path}.on`));
  const script = hook.script;
  const known = new Set<string>([...HOOK_VARIABLES, ...(isRecord(hook.env) ? Object.keys(hook.env) : [])]);
  if (isRecord(script)) {
    for (const key of ['inline', 'command'] as const) {
      const text = script[key];
      if (typeof text !== 'string') continue;
      if (key === 'inline' && referencedVariables(text).length > 0 && inlineShell(text) === undefined) {
        problems.push({
          path: `${path}.script.inline`,
          message:
            '{{…}} is quoted for shells only, and this script runs another interpreter; read the value from the environment instead (e.g. os.environ["LIFEBOAT_PLAN_NAME"])',
        });
        continue;
      }
      const shell = key === 'inline' ? inlineShell(text) : commandShell();
      if (shell === undefined) continue;
      for (const message of interpolationProblems(text, shell, known)) problems.push({ path: `${path}.script.${key}`, message });
    }
  }
  return problems;
}

function duplicateIds(items: unknown[], path: string, problems: Problem[]): void {
  const seen = new Map<unknown, number>();
  items.forEach((item, index) => {
    if (!isRecord(item) || typeof item.id !== 'string') return;
    const first = seen.get(item.id);
    if (first === undefined) seen.set(item.id, index);
    else problems.push({ path: `${path}[${index}].id`, message: `${JSON.stringify(item.id)} is already used by ${path}[${first}]; ids must be unique` });
  });
}

function isLocalPath(url: string): boolean {
  if (/^[a-zA-Z]:[\\/]/.test(url)) return true; // a Windows drive letter, not a backend
  return !/^(sftp|rest|s3|b2|azure|gs|rclone|swift|local):/.test(url);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function normalize(input: ConfigParsed, home?: string): Config {
  const settings = { ...DEFAULT_SETTINGS, ...input.settings };
  return {
    version: input.version,
    repositories: (input.repositories ?? []).map(
      (repository): Repository => ({
        id: repository.id,
        name: repository.name ?? repository.id,
        url: isLocalPath(repository.url) ? expandHome(repository.url, home) : repository.url,
        passwordEnv: repository.passwordEnv,
        passwordFile: repository.passwordFile === undefined ? undefined : expandHome(repository.passwordFile, home),
        passwordCommand: repository.passwordCommand,
        passwordKeychain: repository.passwordKeychain ?? false,
        env: repository.env ?? {},
        appendOnly: repository.appendOnly ?? false,
      }),
    ),
    plans: (input.plans ?? []).map((plan) => normalizePlan(plan, home)),
    settings: {
      ...settings,
      resticPath: settings.resticPath ? expandHome(settings.resticPath, home) : null,
      metrics: {
        textfile: settings.metrics.textfile === undefined ? undefined : expandHome(settings.metrics.textfile, home),
        pushgateway: settings.metrics.pushgateway,
        loopbackWithoutToken: settings.metrics.loopbackWithoutToken ?? false,
      },
    },
  };
}

function normalizePlan(plan: PlanParsed, home?: string): Plan {
  return {
    id: plan.id,
    name: plan.name ?? plan.id,
    enabled: plan.enabled ?? true,
    repository: plan.repository,
    sources: plan.sources.map((source) => expandHome(source, home)),
    excludes: plan.excludes ?? [],
    schedule: normalizeSchedule(plan.schedule ?? null, home),
    catchUp: plan.catchUp ?? true,
    retention: plan.retention,
    check: plan.check,
    verify: plan.verify ? { every: plan.verify.every, sample: plan.verify.sample ?? VERIFY_SAMPLE_DEFAULT } : undefined,
    hooks: (plan.hooks ?? []).map((hook) => normalizeHook(hook, home)),
    notifications: {
      desktop: plan.notifications?.desktop ?? ['failure', 'warning', 'recovery'],
      enabled: plan.notifications?.enabled ?? true,
    },
    monitors: plan.monitors ?? [],
    copyTo: (plan.copyTo ?? []).map((target) => (typeof target === 'string' ? { repository: target } : target)),
    alertAfter: plan.alertAfter,
  };
}

/** The drive-arrival folder as findmnt names a mount target: `~` expanded, no trailing slash; minInterval filled in. */
function normalizeSchedule(schedule: Plan['schedule'], home?: string): Plan['schedule'] {
  if (!schedule || schedule.onMount === undefined) return schedule;
  return { ...schedule, onMount: normaliseMountPath(expandHome(schedule.onMount, home)), minInterval: schedule.minInterval ?? defaultDuration('1h') };
}

export function normalizeHook(hook: HookParsed, home?: string): Hook {
  const isCondition = hook.condition !== undefined;
  let script: HookScript | undefined;
  if (hook.script?.inline !== undefined) script = { inline: hook.script.inline };
  else if (hook.script?.path !== undefined) script = { path: expandHome(hook.script.path, home), args: hook.script.args ?? [] };
  else if (hook.script?.command !== undefined) script = { command: hook.script.command };
  return {
    id: hook.id,
    name: hook.name ?? hook.id,
    enabled: hook.enabled ?? HOOK_DEFAULTS.enabled,
    on: hook.on,
    states: hook.states ?? [...RUN_STATUSES],
    script,
    condition: hook.condition === undefined ? undefined : parsedCondition(hook.condition),
    onError: hook.onError ?? HOOK_DEFAULTS[isCondition ? 'condition' : 'script'].onError,
    retryAfter: hook.retryAfter ?? defaultDuration(HOOK_DEFAULTS.retryAfter),
    mode: hook.mode ?? HOOK_DEFAULTS.mode,
    timeout: hook.timeout ?? defaultDuration(HOOK_DEFAULTS.timeout),
    cwd: hook.cwd ? expandHome(hook.cwd, home) : null,
    env: hook.env ?? {},
    inheritEnv: hook.inheritEnv ?? [],
    appliesTo: hook.appliesTo ?? HOOK_DEFAULTS[isCondition ? 'condition' : 'script'].appliesTo,
  };
}

/** A condition checked already (hookProblems), now with its durations parsed by its own schema. */
function parsedCondition(condition: { type: string }): Condition {
  const module = conditionModule(condition.type);
  if (!module) throw new Error(`${JSON.stringify(condition.type)} is not a condition type; validateConfig reports it first`);
  return module.schema(SCHEMA_PARTS).parse(condition) as Condition;
}

function defaultDuration(text: string): Duration {
  const result = parseDuration(text);
  if (!result.ok) throw new Error(`The default duration ${text} does not parse: ${result.message}`);
  return { ms: result.ms, text };
}
