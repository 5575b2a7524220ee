/**
 * The plan editor's one draft. Every list item (source, exclude, hook) carries a uid of its own,
 * so React keys, problems, warnings and test output follow the item, never its position. The
 * plan JSON to save is derived from the draft; nothing about an item lives outside it.
 */
import type { Problem } from '../../../main/api/contract.ts';
import type { ConfigInput, HookInput, PlanInput } from '../../../main/core/config/schema.ts';

/** The config, a plan and a hook as a person writes them: the schema's input types (durations are text). */
export type ConfigJson = ConfigInput;
export type PlanJson = PlanInput;
export type HookJson = HookInput;
/** A condition as written; its options are checked by the engine against its type's schema. */
export type ConditionJson = NonNullable<HookInput['condition']>;

export interface Row {
  uid: string;
  value: string;
}

export interface HookItem {
  uid: string;
  hook: HookJson;
  /** Script hooks: the env as KEY=value lines, kept exactly as typed. Condition hooks have no env box. */
  envText: string;
  /** Script hooks: the names passed on from Lifeboat's environment (`inheritEnv`), kept exactly as typed. */
  inheritText: string;
}

export interface PlanDraft {
  /** The plan as loaded; its lists are replaced by the ones below when it is saved. */
  plan: PlanJson;
  sources: Row[];
  excludes: Row[];
  hooks: HookItem[];
}

export function newUid(): string {
  return crypto.randomUUID();
}

export const isScriptHook = (hook: HookJson): boolean => hook.condition === undefined;

export function envToText(env: unknown): string {
  if (!env || typeof env !== 'object') return '';
  return Object.entries(env as Record<string, unknown>)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n');
}

/** KEY=value lines → variables; blank lines are skipped, a line without "=" is a problem. */
export function parseEnv(text: string): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals).trim() : '';
    if (!key) {
      problems.push(`line ${index + 1} (${JSON.stringify(line.slice(0, 40))}) is not KEY=value; write it as NAME=value or remove it`);
      return;
    }
    env[key] = line.slice(equals + 1);
  });
  return { env, problems };
}

/** `inheritEnv` as a person reads it: the names, one after another. */
export function namesToText(names: unknown): string {
  return Array.isArray(names) ? names.map(String).join(' ') : '';
}

/** The names typed in the box: separated by spaces, commas or new lines; nothing else is changed. */
export function parseNames(text: string): string[] {
  return text.split(/[\s,]+/).filter((name) => name !== '');
}

/** A hook as an item of the draft, with its own uid and its text boxes filled from the hook. */
export function hookItem(hook: HookJson): HookItem {
  const script = isScriptHook(hook);
  return { uid: newUid(), hook, envText: script ? envToText(hook.env) : '', inheritText: script ? namesToText(hook.inheritEnv) : '' };
}

export const rowsOf = (values: unknown): Row[] => (Array.isArray(values) ? values.map((value) => ({ uid: newUid(), value: String(value) })) : []);

/** A row counts once it has something in it; its text is kept exactly, spaces and all. */
export const keptRows = (rows: Row[]): Row[] => rows.filter((row) => row.value.trim() !== '');

export function draftFromPlan(plan: PlanJson): PlanDraft {
  const hooks = Array.isArray(plan.hooks) ? plan.hooks : [];
  return {
    plan,
    sources: rowsOf(plan.sources),
    excludes: rowsOf(plan.excludes),
    hooks: hooks.map(hookItem),
  };
}

export function hookToJson(item: HookItem): HookJson {
  if (!isScriptHook(item.hook)) return item.hook;
  const next: HookJson = { ...item.hook };
  const { env } = parseEnv(item.envText);
  if (Object.keys(env).length) next.env = env;
  else delete next.env;
  const names = parseNames(item.inheritText);
  if (names.length) next.inheritEnv = names;
  else delete next.inheritEnv;
  return next;
}

/** The plan to save: empty rows dropped, empty optional lists left out. */
export function planFromDraft(draft: PlanDraft): PlanJson {
  const plan: PlanJson = { ...draft.plan, sources: keptRows(draft.sources).map((row) => row.value) };
  const excludes = keptRows(draft.excludes).map((row) => row.value);
  if (excludes.length) plan.excludes = excludes;
  else delete plan.excludes;
  const hooks = draft.hooks.map(hookToJson);
  if (hooks.length) plan.hooks = hooks;
  else delete plan.hooks;
  return plan;
}

/** Everything a person can see in the form, without uids: equal fingerprints mean nothing to save or discard. */
export function fingerprint(draft: PlanDraft): string {
  return JSON.stringify({
    plan: planFromDraft(draft),
    sources: draft.sources.map((row) => row.value),
    excludes: draft.excludes.map((row) => row.value),
    // The text boxes count by what they say (the variables, and lines that are not KEY=value), not by their
    // blank lines and separators: an Enter after the last line is no change, so a save leaves nothing unsaved.
    env: draft.hooks.map((item) => parseEnv(item.envText)),
  });
}

/** Problems the form finds itself (before asking the engine), with uid paths. */
export function localProblems(draft: PlanDraft): Problem[] {
  return draft.hooks.flatMap((item) =>
    isScriptHook(item.hook) ? parseEnv(item.envText).problems.map((message) => ({ path: `hooks#${item.uid}.env`, message })) : [],
  );
}

/**
 * The engine's problems for plan `planIndex`, with list positions turned into item uids
 * (`plans[0].hooks[1].timeout` → `hooks#<uid>.timeout`), using the draft the problems were found in.
 * Problems elsewhere in the config keep their full path and are marked `outside`.
 */
export function problemsForDraft(problems: Problem[], planIndex: number, draft: PlanDraft): { inPlan: Problem[]; outside: Problem[] } {
  const prefix = `plans[${planIndex}]`;
  const lists: Record<string, string[]> = {
    sources: keptRows(draft.sources).map((row) => row.uid),
    excludes: keptRows(draft.excludes).map((row) => row.uid),
    hooks: draft.hooks.map((item) => item.uid),
  };
  const inPlan: Problem[] = [];
  const outside: Problem[] = [];
  for (const problem of problems) {
    if (problem.path !== prefix && !problem.path.startsWith(`${prefix}.`) && !problem.path.startsWith(`${prefix}[`)) {
      outside.push(problem);
      continue;
    }
    let path = problem.path.slice(prefix.length).replace(/^\./, '');
    const item = /^(sources|excludes|hooks)\[(\d+)\]/.exec(path);
    if (item) {
      const uid = lists[item[1]!]?.[Number(item[2])];
      if (uid) path = `${item[1]}#${uid}${path.slice(item[0].length)}`;
    }
    inPlan.push({ path, message: problem.message });
  }
  return { inPlan, outside };
}

/** The problems under one path, with paths relative to it (`hooks#u.timeout` under `hooks#u` → `timeout`). */
export function problemsUnder(problems: Problem[], path: string): Problem[] {
  return problems
    .filter((problem) => problem.path === path || problem.path.startsWith(`${path}.`) || problem.path.startsWith(`${path}[`))
    .map((problem) => ({ ...problem, path: problem.path.slice(path.length).replace(/^\./, '') }));
}

/** The group a hook is listed (and reordered) in: its first event. */
export const hookGroup = (hook: HookJson): string => (Array.isArray(hook.on) && typeof hook.on[0] === 'string' ? hook.on[0] : 'run.start');

/** Moves a hook one place up or down among the hooks of its own event group; other hooks stay where they are. */
export function moveInGroup(hooks: HookItem[], uid: string, by: -1 | 1): HookItem[] {
  const from = hooks.findIndex((item) => item.uid === uid);
  if (from === -1) return hooks;
  const group = hookGroup(hooks[from]!.hook);
  let to = from + by;
  while (to >= 0 && to < hooks.length && hookGroup(hooks[to]!.hook) !== group) to += by;
  if (to < 0 || to >= hooks.length) return hooks;
  const next = [...hooks];
  next[from] = hooks[to]!;
  next[to] = hooks[from]!;
  return next;
}

export function canMoveInGroup(hooks: HookItem[], uid: string, by: -1 | 1): boolean {
  return moveInGroup(hooks, uid, by) !== hooks;
}
