/**
 * The plan editor's one draft. Every list item (source, exclude, hook, monitor header) carries a uid
 * of its own, and a monitor its id,
 * so React keys, problems, warnings and test output follow the item, never its position. The
 * plan JSON to save is derived from the draft; nothing about an item lives outside it.
 */
import type { Problem } from '../../../main/api/contract.ts';
import { HEADER_LINE_BREAK, HEADER_NAME_PATTERN, MAX_NAME_LENGTH, quoteStart } from '../../../main/api/vocabulary.ts';
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

/** The mask the API puts in place of a stored secret (MASK of core/config/secrets-mask.ts); sent back, it keeps the stored value. */
export const MASKED = '••••••••';

export type MonitorJson = NonNullable<PlanInput['monitors']>[number];
export const MONITOR_TYPES = [
  ['healthchecks', 'Healthchecks'],
  ['ntfy', 'ntfy'],
  ['webhook', 'Webhook'],
] as const;

export interface HeaderRow {
  uid: string;
  name: string;
  value: string;
  /** The name a masked value was stored under: the stored value belongs to that name only. */
  storedName?: string | undefined;
}

/**
 * A monitor as the form edits it, named by its id (the one stored, or a new `monitor-<hex>`):
 * a masked secret sent back is matched to the stored monitor by this id, never by position.
 */
export interface MonitorItem {
  id: string;
  type: string;
  url: string;
  /** The ntfy token; empty means none. */
  token: string;
  headers: HeaderRow[];
}

export interface PlanDraft {
  /** The plan as loaded; its lists are replaced by the ones below when it is saved. */
  plan: PlanJson;
  sources: Row[];
  excludes: Row[];
  hooks: HookItem[];
  monitors: MonitorItem[];
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
      problems.push(`line ${index + 1} (${quoteStart(line)}) is not KEY=value; write it as NAME=value or remove it`);
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

/** A new monitor's id: the id rules of the config (lowercase, digits, "-"), and none the plan has yet. */
export function newMonitorId(taken: MonitorItem[]): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(5));
    const id = `monitor-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
    if (!taken.some((item) => item.id === id)) return id;
  }
}

function monitorItem(monitor: unknown, index: number): MonitorItem {
  const json = (monitor && typeof monitor === 'object' ? monitor : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const headers = json.headers && typeof json.headers === 'object' ? Object.entries(json.headers as Record<string, unknown>) : [];
  return {
    // The API gives every stored monitor an id; one without (never from it) gets one that stays the same on every read.
    id: text(json.id) || `monitor-unsaved-${index + 1}`,
    type: text(json.type) || 'healthchecks',
    url: text(json.url),
    token: text(json.token),
    headers: headers.map(([name, value]) => ({ uid: newUid(), name, value: text(value), ...(value === MASKED ? { storedName: name } : {}) })),
  };
}

export const newMonitor = (taken: MonitorItem[]): MonitorItem => ({ id: newMonitorId(taken), type: 'healthchecks', url: '', token: '', headers: [] });

/** A header row counts once it has a name or a value. */
export const keptHeaders = (rows: HeaderRow[]): HeaderRow[] => rows.filter((row) => row.name !== '' || row.value !== '');

/** The monitor to save: only the fields its type has (a type changed to healthchecks keeps no token). */
export function monitorToJson(item: MonitorItem): MonitorJson {
  const json: Record<string, unknown> = { id: item.id, type: item.type, url: item.url };
  if (item.type === 'ntfy' && item.token !== '') json.token = item.token;
  const headers = keptHeaders(item.headers);
  if (item.type === 'webhook' && headers.length) json.headers = Object.fromEntries(headers.map((row) => [row.name, row.value]));
  return json as MonitorJson;
}

/** The draft with the rows that are not saved (only spaces) left out, every other row keeping its uid. */
export const withoutBlankRows = (draft: PlanDraft): PlanDraft => ({ ...draft, sources: keptRows(draft.sources), excludes: keptRows(draft.excludes) });

export function draftFromPlan(plan: PlanJson): PlanDraft {
  const hooks = Array.isArray(plan.hooks) ? plan.hooks : [];
  return {
    plan,
    sources: rowsOf(plan.sources),
    excludes: rowsOf(plan.excludes),
    hooks: hooks.map(hookItem),
    monitors: (Array.isArray(plan.monitors) ? plan.monitors : []).map(monitorItem),
  };
}

/** A saved plan as the API would give it back: every monitor secret replaced by the mask. */
export function maskedPlan(plan: PlanJson): PlanJson {
  if (!Array.isArray(plan.monitors)) return plan;
  const monitors = plan.monitors.map((monitor) => {
    const json: Record<string, unknown> = { ...monitor };
    if (typeof json.url === 'string') json.url = MASKED;
    if (typeof json.token === 'string') json.token = MASKED;
    if (json.headers && typeof json.headers === 'object') json.headers = Object.fromEntries(Object.keys(json.headers).map((name) => [name, MASKED]));
    return json as MonitorJson;
  });
  return { ...plan, monitors };
}

/**
 * The plan as the tab keeps it for a reload: each monitor secret typed and not saved is left out
 * (empty), so it never reaches the browser's session storage, which a browser may write to disk.
 * A stored secret stays the mask; `dropped` says whether anything typed was left out.
 */
export function withoutTypedSecrets(plan: PlanJson): { plan: PlanJson; dropped: boolean } {
  if (!Array.isArray(plan.monitors)) return { plan, dropped: false };
  let dropped = false;
  const typed = (value: unknown) => typeof value === 'string' && value !== '' && value !== MASKED;
  const monitors = plan.monitors.map((monitor) => {
    const json: Record<string, unknown> = { ...monitor };
    for (const key of ['url', 'token'] as const) {
      if (typed(json[key])) {
        json[key] = '';
        dropped = true;
      }
    }
    if (json.headers && typeof json.headers === 'object') {
      json.headers = Object.fromEntries(
        Object.entries(json.headers as Record<string, unknown>).map(([name, value]) => {
          if (!typed(value)) return [name, value];
          dropped = true;
          return [name, ''];
        }),
      );
    }
    return json as MonitorJson;
  });
  return { plan: { ...plan, monitors }, dropped };
}

/**
 * The draft after `saved` went to disk: each monitor secret still as it was saved becomes the mask
 * again (it stays on disk, and no longer in the page); anything typed since stays as typed.
 */
export function maskSavedSecrets(draft: PlanDraft, saved: PlanJson): PlanDraft {
  const stored = new Map((saved.monitors ?? []).map((monitor) => [monitor.id, monitor as Record<string, unknown>]));
  const monitors = draft.monitors.map((item) => {
    const was = stored.get(item.id);
    if (!was) return item;
    const headers = (was.headers ?? {}) as Record<string, unknown>;
    return {
      ...item,
      url: item.url === was.url ? MASKED : item.url,
      token: item.token !== '' && item.token === was.token ? MASKED : item.token,
      headers: item.headers.map((row) =>
        Object.hasOwn(headers, row.name) && headers[row.name] === row.value ? { ...row, value: MASKED, storedName: row.name } : row,
      ),
    };
  });
  return { ...draft, monitors };
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
  const monitors = draft.monitors.map(monitorToJson);
  if (monitors.length) plan.monitors = monitors;
  else delete plan.monitors;
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
    headers: draft.monitors.map((item) => item.headers.map((row) => [row.name, row.value])),
  });
}

/** A webhook's header rows, as the form checks them: a name for each value, no name twice, values on one line. */
function headerProblems(item: MonitorItem): Problem[] {
  if (item.type !== 'webhook') return [];
  const rows = keptHeaders(item.headers);
  return rows.flatMap((row) => {
    const path = `monitors#${item.id}.headers#${row.uid}`;
    const problem = (message: string) => [{ path, message }];
    if (row.name === '') return problem('has a value but no name; name the header, e.g. "Authorization", or remove it');
    if (!HEADER_NAME_PATTERN.test(row.name)) return problem(`${quoteStart(row.name)} is not a header name; use letters, digits and "-" only, e.g. "X-Token"`);
    if (row.name.length > MAX_NAME_LENGTH) return problem(`the name is longer than ${MAX_NAME_LENGTH} characters; use the header name your service asks for`);
    if (rows.some((other) => other !== row && other.name.toLowerCase() === row.name.toLowerCase()))
      return problem(`"${row.name}" is given twice; keep one row for each header`);
    if (HEADER_LINE_BREAK.test(row.value)) return problem('the value contains a line break or another control character; write it on one line');
    if (row.value === MASKED && row.storedName !== row.name)
      return problem(
        row.storedName === undefined
          ? 'the value is the mark of a hidden value; type the real value'
          : `the hidden value was stored under "${row.storedName}"; type the value again, or name the header "${row.storedName}" again`,
      );
    return [];
  });
}

/** Problems the form finds itself (before asking the engine), with uid paths. */
export function localProblems(draft: PlanDraft): Problem[] {
  return [
    ...draft.hooks.flatMap((item) =>
      isScriptHook(item.hook) ? parseEnv(item.envText).problems.map((message) => ({ path: `hooks#${item.uid}.env`, message })) : [],
    ),
    ...draft.monitors.flatMap(headerProblems),
  ];
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
    monitors: draft.monitors.map((item) => item.id),
  };
  const inPlan: Problem[] = [];
  const outside: Problem[] = [];
  for (const problem of problems) {
    if (problem.path !== prefix && !problem.path.startsWith(`${prefix}.`) && !problem.path.startsWith(`${prefix}[`)) {
      outside.push(problem);
      continue;
    }
    let path = problem.path.slice(prefix.length).replace(/^\./, '');
    const item = /^(sources|excludes|hooks|monitors)\[(\d+)\]/.exec(path);
    if (item) {
      const uid = lists[item[1]!]?.[Number(item[2])];
      if (uid) path = `${item[1]}#${uid}${path.slice(item[0].length)}`;
      // A webhook header's problem (`headers.X-Token`) goes to the row that holds that name.
      const header = item[1] === 'monitors' && uid ? /^\.headers\.(.+)$/.exec(path.slice(`monitors#${uid}`.length)) : null;
      const monitor = header ? draft.monitors.find((candidate) => candidate.id === uid) : undefined;
      const row = monitor && keptHeaders(monitor.headers).find((candidate) => candidate.name === header?.[1]);
      if (row) path = `monitors#${uid}.headers#${row.uid}`;
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
