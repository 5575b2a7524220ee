/**
 * A model of the plan editor for model-based browser tests: random edit sequences are applied
 * both to a plain model and, through the real UI, to the page; after each Save the config file
 * on disk must equal what the model expects.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import type { EditorSession } from './editor-browser.ts';

export const PLAN_ID = 'model';
const NEW_SCRIPT = '#!/bin/sh\necho "Preparing $LIFEBOAT_PLAN_NAME"\n';
const GROUPS = ['backup.before', 'run.end'] as const;
const MONITOR_TYPES = ['healthchecks', 'ntfy', 'webhook'] as const;
const TYPE_LABELS = { healthchecks: 'Healthchecks', ntfy: 'ntfy', webhook: 'Webhook' } as const;
const MASK = '••••••••';

export interface ModelHook {
  id: string;
  group: (typeof GROUPS)[number];
  script: string;
  env: Array<[string, string]>;
  enabled: boolean;
}

/** A monitor as the model knows it: its secrets in full, and whether the form shows them masked (stored, not typed since). */
export interface ModelMonitor {
  /** The stored id of a monitor the model started with; a monitor added in the form gets one the model does not know. */
  id?: string;
  type: (typeof MONITOR_TYPES)[number];
  url: string;
  token: string;
  urlMasked: boolean;
  tokenMasked: boolean;
}

export interface ModelState {
  sources: string[];
  excludes: string[];
  hooks: ModelHook[];
  monitors: ModelMonitor[];
}

export interface Model {
  current: ModelState;
  saved: ModelState;
}

type ListName = 'sources' | 'excludes';

export type Edit =
  | { kind: 'addHook' }
  | { kind: 'removeHook'; hook: number }
  | { kind: 'moveHook'; hook: number; by: -1 | 1 }
  | { kind: 'envAdd'; hook: number; key: number; value: string }
  | { kind: 'envChange'; hook: number; line: number; value: string }
  | { kind: 'envRemove'; hook: number; line: number }
  | { kind: 'scriptType'; hook: number; text: string }
  | { kind: 'typeRow'; list: ListName; row: number; text: string }
  | { kind: 'pasteRows'; list: ListName; row: number; lines: string[] }
  | { kind: 'removeRow'; list: ListName; row: number }
  | { kind: 'toggleEnabled'; hook: number }
  | { kind: 'addMonitor'; word: string }
  | { kind: 'removeMonitor'; monitor: number }
  | { kind: 'monitorUrl'; monitor: number; word: string }
  | { kind: 'monitorType'; monitor: number; type: (typeof MONITOR_TYPES)[number] }
  | { kind: 'monitorToken'; monitor: number; word: string }
  | { kind: 'discard' }
  | { kind: 'save' };

export function initialState(): ModelState {
  return {
    sources: ['/tmp/model src', '/tmp/other'],
    excludes: ['*.tmp'],
    hooks: [
      { id: 'alpha', group: 'backup.before', script: '#!/bin/sh\necho alpha\n', env: [['A', '1']], enabled: true },
      { id: 'beta', group: 'backup.before', script: '#!/bin/sh\necho beta\n', env: [['B', 'two words']], enabled: true },
      { id: 'gamma', group: 'run.end', script: '#!/bin/sh\necho gamma\n', env: [], enabled: false },
      { id: 'delta', group: 'backup.before', script: '#!/bin/sh\necho delta\n', env: [['D', '$(x) "q"']], enabled: true },
    ],
    monitors: [
      { id: 'hc', type: 'healthchecks', url: 'https://hc-ping.com/model-first-secret', token: '', urlMasked: true, tokenMasked: false },
      { id: 'topic', type: 'ntfy', url: 'https://ntfy.example/model-second-secret', token: 'model-token-secret', urlMasked: true, tokenMasked: true },
    ],
  };
}

const clone = (state: ModelState): ModelState => structuredClone(state);

/** What a saved (or reloaded) form holds: rows without text are gone. */
const normalized = (state: ModelState): ModelState => ({
  ...clone(state),
  sources: state.sources.filter((row) => row.trim() !== ''),
  excludes: state.excludes.filter((row) => row.trim() !== ''),
  // Once saved, every monitor secret is on disk and the form shows it masked.
  monitors: state.monitors.map((monitor) => ({ ...monitor, urlMasked: true, tokenMasked: monitor.token !== '' })),
});

export function monitorJson(monitor: ModelMonitor): Record<string, unknown> {
  return { ...(monitor.id ? { id: monitor.id } : {}), type: monitor.type, url: monitor.url, ...(monitor.token ? { token: monitor.token } : {}) };
}

export function hookJson(hook: ModelHook): Record<string, unknown> {
  return {
    id: hook.id,
    on: [hook.group],
    script: { inline: hook.script },
    ...(hook.env.length ? { env: Object.fromEntries(hook.env) } : {}),
    ...(hook.enabled ? {} : { enabled: false }),
  };
}

export function planJson(state: ModelState, repository = 'local'): Record<string, unknown> {
  const kept = normalized(state);
  return {
    id: PLAN_ID,
    name: 'Model',
    repository,
    sources: kept.sources,
    ...(kept.excludes.length ? { excludes: kept.excludes } : {}),
    ...(kept.hooks.length ? { hooks: kept.hooks.map(hookJson) } : {}),
    ...(kept.monitors.length ? { monitors: kept.monitors.map(monitorJson) } : {}),
  };
}

// ---- generators -------------------------------------------------------------------------

const chars = (alphabet: string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((list) => list.join(''));
const WORD = ['a', 'b', 'M', 'y', ' ', '-', '.', 'ü', '_'];
const ENV_KEYS = ['PATH_X', 'DB_NAME', 'TOKEN', 'MY_VAR', 'E2'];
const envValue = chars(['a', 'Z', ' ', '=', '$', '(', ')', '"', "'", '{', '}', 'ü'], 0, 8);
/** Text typed at the end of a row: spaces inside names, Enter starting a new row (for folders, an absolute one). */
const typedText = (list: ListName) =>
  fc
    .tuple(chars(WORD, 0, 6), fc.array(chars(WORD, 1, 6), { maxLength: 2 }))
    .map(([first, more]) => [first, ...more.map((line) => (list === 'sources' ? `/tmp/${line}` : line))].join('\n'));
const pastedLines = (list: ListName) =>
  fc
    .tuple(chars(WORD, 0, 5), fc.array(fc.oneof(chars(WORD, 1, 6), fc.constant('')), { minLength: 1, maxLength: 4 }))
    .map(([first, more]) => [first, ...more.map((line) => (list === 'sources' && line ? `/srv/${line}` : line))]);
const list = fc.constantFrom<ListName>('sources', 'excludes');
const urlWord = chars(['a', 'b', '7', '-', '_', '.', '~'], 1, 6);
const index = fc.nat({ max: 9 });

export const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant<Edit>({ kind: 'addHook' }),
  fc.record({ kind: fc.constant('removeHook' as const), hook: index }),
  fc.record({ kind: fc.constant('moveHook' as const), hook: index, by: fc.constantFrom<-1 | 1>(-1, 1) }),
  fc.record({ kind: fc.constant('envAdd' as const), hook: index, key: fc.nat({ max: ENV_KEYS.length - 1 }), value: envValue }),
  fc.record({ kind: fc.constant('envChange' as const), hook: index, line: index, value: envValue }),
  fc.record({ kind: fc.constant('envRemove' as const), hook: index, line: index }),
  fc.record({ kind: fc.constant('scriptType' as const), hook: index, text: chars(['a', 'b', 'c', ' ', '#'], 1, 6) }),
  list.chain((name) => fc.record({ kind: fc.constant('typeRow' as const), list: fc.constant(name), row: index, text: typedText(name) })),
  list.chain((name) => fc.record({ kind: fc.constant('pasteRows' as const), list: fc.constant(name), row: index, lines: pastedLines(name) })),
  fc.record({ kind: fc.constant('removeRow' as const), list, row: index }),
  fc.record({ kind: fc.constant('toggleEnabled' as const), hook: index }),
  fc.record({ kind: fc.constant('addMonitor' as const), word: urlWord }),
  fc.record({ kind: fc.constant('removeMonitor' as const), monitor: index }),
  fc.record({ kind: fc.constant('monitorUrl' as const), monitor: index, word: urlWord }),
  fc.record({ kind: fc.constant('monitorType' as const), monitor: index, type: fc.constantFrom(...MONITOR_TYPES) }),
  fc.record({ kind: fc.constant('monitorToken' as const), monitor: index, word: urlWord }),
  fc.constant<Edit>({ kind: 'discard' }),
  fc.constant<Edit>({ kind: 'save' }),
);

export const sequenceArbitrary = fc.array(editArbitrary, { minLength: 1, maxLength: 8 });

// ---- the model ----------------------------------------------------------------------------

const groupOf = (hooks: ModelHook[], at: number) => hooks[at]!.group;

function neighbourInGroup(hooks: ModelHook[], at: number, by: -1 | 1): number | undefined {
  for (let to = at + by; to >= 0 && to < hooks.length; to += by) if (groupOf(hooks, to) === groupOf(hooks, at)) return to;
  return undefined;
}

function uniqueHookId(hooks: ModelHook[]): string {
  const taken = new Set(hooks.map((hook) => hook.id));
  if (!taken.has('script')) return 'script';
  let n = 2;
  while (taken.has(`script-${n}`)) n += 1;
  return `script-${n}`;
}

const envText = (env: Array<[string, string]>) => env.map(([key, value]) => `${key}=${value}`).join('\n');
const sameState = (a: ModelState, b: ModelState) => JSON.stringify(a) === JSON.stringify(b);

/** What the edit does to the model; `null` when the UI offers no way to do it now (a disabled button, nothing to remove). */
export function plan(edit: Edit, model: Model): { next: Model; ui: (page: Page) => Promise<void> } | null {
  const state = clone(model.current);
  const hooks = state.hooks;
  const pick = (n: number) => (hooks.length ? n % hooks.length : undefined);
  const card = (page: Page, id: string) => page.getByRole('article', { name: `Hook ${id}`, exact: true });
  const done = (ui: (page: Page) => Promise<void>) => ({ next: { ...model, current: state }, ui });
  switch (edit.kind) {
    case 'addHook': {
      hooks.push({ id: uniqueHookId(hooks), group: 'backup.before', script: NEW_SCRIPT, env: [], enabled: true });
      return done((page) => page.getByRole('button', { name: '+ Script' }).click());
    }
    case 'removeHook': {
      const at = pick(edit.hook);
      if (at === undefined) return null;
      const [gone] = hooks.splice(at, 1);
      return done((page) => page.getByRole('button', { name: `Remove ${gone!.id}`, exact: true }).click());
    }
    case 'moveHook': {
      const at = pick(edit.hook);
      if (at === undefined) return null;
      const to = neighbourInGroup(hooks, at, edit.by);
      const id = hooks[at]!.id;
      if (to === undefined) {
        return {
          next: model,
          ui: async (page) =>
            assert.equal(await page.getByRole('button', { name: `Move ${id} ${edit.by < 0 ? 'up' : 'down'}`, exact: true }).isDisabled(), true),
        };
      }
      [hooks[at], hooks[to]] = [hooks[to]!, hooks[at]!];
      return done((page) => page.getByRole('button', { name: `Move ${id} ${edit.by < 0 ? 'up' : 'down'}`, exact: true }).click());
    }
    case 'envAdd': {
      const at = pick(edit.hook);
      if (at === undefined) return null;
      const hook = hooks[at]!;
      const key = ENV_KEYS[edit.key]!;
      if (hook.env.some(([existing]) => existing === key)) return null;
      const hadLines = hook.env.length > 0;
      hook.env.push([key, edit.value]);
      return done(async (page) => {
        const box = card(page, hook.id).getByLabel('Environment (KEY=value, one per line)');
        await box.click();
        await page.keyboard.press('ControlOrMeta+End');
        await page.keyboard.type(`${hadLines ? '\n' : ''}${key}=${edit.value}`);
      });
    }
    case 'envChange':
    case 'envRemove': {
      const at = pick(edit.hook);
      if (at === undefined || hooks[at]!.env.length === 0) return null;
      const hook = hooks[at]!;
      const line = edit.line % hook.env.length;
      if (edit.kind === 'envChange') hook.env[line]![1] = edit.value;
      else hook.env.splice(line, 1);
      return done((page) => card(page, hook.id).getByLabel('Environment (KEY=value, one per line)').fill(envText(hook.env)));
    }
    case 'scriptType': {
      const at = pick(edit.hook);
      if (at === undefined) return null;
      const hook = hooks[at]!;
      hook.script += edit.text;
      return done(async (page) => {
        await card(page, hook.id).locator('.cm-content').click();
        await page.keyboard.press('ControlOrMeta+End');
        await page.keyboard.type(edit.text);
      });
    }
    case 'typeRow':
    case 'pasteRows': {
      const rows = state[edit.list];
      const adding = rows.length === 0;
      if (adding) rows.push('');
      const at = edit.row % rows.length;
      const pieces = edit.kind === 'typeRow' ? edit.text.split('\n') : edit.lines;
      const added = edit.kind === 'typeRow' ? pieces.slice(1) : pieces.slice(1).filter((line) => line.trim() !== '');
      rows[at] += pieces[0]!;
      rows.splice(at + 1, 0, ...added);
      const labels = { sources: ['Folder to back up', '+ Add a folder'], excludes: ['Leave out', '+ Add a pattern'] } as const;
      const [itemLabel, addLabel] = labels[edit.list];
      return done(async (page) => {
        if (adding) await page.getByRole('button', { name: addLabel }).click();
        else {
          await page.getByLabel(`${itemLabel} ${at + 1}`, { exact: true }).click();
          await page.keyboard.press('End');
        }
        if (edit.kind === 'typeRow') await page.keyboard.type(edit.text);
        else
          await page.evaluate(`(() => {
            const data = new DataTransfer();
            data.setData('text/plain', ${JSON.stringify(edit.lines.join('\n'))});
            document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
          })()`);
      });
    }
    case 'removeRow': {
      const rows = state[edit.list];
      if (rows.length === 0) return null;
      const at = edit.row % rows.length;
      rows.splice(at, 1);
      // A plan needs one folder: the model keeps at least one, so every draft stays valid.
      if (edit.list === 'sources' && !rows.some((row) => row.trim() !== '')) return null;
      const label = edit.list === 'sources' ? 'folder to back up' : 'leave out';
      return done((page) => page.getByRole('button', { name: `Remove ${label} ${at + 1}`, exact: true }).click());
    }
    case 'toggleEnabled': {
      const at = pick(edit.hook);
      if (at === undefined) return null;
      const hook = hooks[at]!;
      hook.enabled = !hook.enabled;
      return done((page) => card(page, hook.id).getByRole('checkbox', { name: 'Enabled', exact: true }).click());
    }
    case 'addMonitor': {
      const url = `https://example.org/new/${edit.word}`;
      state.monitors.push({ type: 'healthchecks', url, token: '', urlMasked: false, tokenMasked: false });
      const name = `Monitor ${state.monitors.length} (healthchecks)`;
      return done(async (page) => {
        await page.getByRole('button', { name: '+ Add a monitor' }).click();
        await page.getByRole('group', { name, exact: true }).getByLabel('URL').fill(url);
      });
    }
    case 'removeMonitor': {
      if (!state.monitors.length) return null;
      const at = edit.monitor % state.monitors.length;
      const [gone] = state.monitors.splice(at, 1);
      return done((page) => page.getByRole('button', { name: `Remove monitor ${at + 1} (${gone!.type})`, exact: true }).click());
    }
    case 'monitorUrl':
    case 'monitorToken':
    case 'monitorType': {
      if (!state.monitors.length) return null;
      const at = edit.monitor % state.monitors.length;
      const monitor = state.monitors[at]!;
      const name = `Monitor ${at + 1} (${monitor.type})`;
      const group = (page: Page) => page.getByRole('group', { name, exact: true });
      if (edit.kind === 'monitorType') {
        if (edit.type === monitor.type) return null;
        const ui = async (page: Page) => {
          await group(page).getByLabel('Type').selectOption({ label: TYPE_LABELS[edit.type] });
        };
        monitor.type = edit.type;
        // A field the new type has not is dropped; the URL stays (masked, if it was).
        if (edit.type !== 'ntfy') Object.assign(monitor, { token: '', tokenMasked: false });
        return done(ui);
      }
      if (edit.kind === 'monitorToken' && monitor.type !== 'ntfy') return null;
      const value = edit.kind === 'monitorUrl' ? `https://example.org/typed/${edit.word}` : `tk-${edit.word}`;
      const ui = (page: Page) =>
        group(page)
          .getByLabel(edit.kind === 'monitorUrl' ? 'URL' : 'Token')
          .fill(value);
      if (edit.kind === 'monitorUrl') Object.assign(monitor, { url: value, urlMasked: false });
      else Object.assign(monitor, { token: value, tokenMasked: false });
      return done(ui);
    }
    case 'discard': {
      const dirty = !sameState(model.current, model.saved);
      return {
        next: { ...model, current: clone(model.saved) },
        ui: async (page) => {
          const button = page.getByRole('button', { name: 'Discard changes' }).first();
          if (dirty) await button.click();
          else assert.equal(await button.isDisabled(), true, 'Discard is offered only when something changed');
        },
      };
    }
    case 'save': {
      const saved = normalized(state);
      // The form shows what was saved: rows of only spaces gone, every monitor secret just saved as the mask.
      return {
        next: { current: clone(saved), saved },
        ui: (page) => page.getByRole('button', { name: 'Save plan' }).first().click(),
      };
    }
  }
}

export function describe(edit: Edit): string {
  return JSON.stringify(edit);
}

// ---- running sequences against the page ---------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON the file holds
async function planOnDisk(file: string): Promise<any> {
  const config = JSON.parse(await readFile(file, 'utf8'));
  return config.plans.find((plan: { id: string }) => plan.id === PLAN_ID);
}

/** Waits until the file holds exactly what the model expects; fails with both when it does not. */
async function expectOnDisk(session: EditorSession, expected: ModelState, timeoutMs = 8000): Promise<void> {
  const want = planJson(expected);
  // A monitor added in the form has an id of its own the model cannot know: the model's monitors are compared by their id where it has one.
  const ids = new Set(expected.monitors.flatMap((monitor) => (monitor.id ? [monitor.id] : [])));
  const monitors = (plan: Record<string, unknown> | undefined) =>
    (Array.isArray(plan?.monitors) ? (plan.monitors as Array<Record<string, unknown>>) : []).map(({ id, ...rest }) =>
      typeof id === 'string' && ids.has(id) ? { id, ...rest } : rest,
    );
  const pick = (plan: Record<string, unknown> | undefined) => ({
    sources: plan?.sources,
    excludes: plan?.excludes,
    hooks: plan?.hooks,
    monitors: monitors(plan),
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await planOnDisk(session.setup.configFile);
    try {
      assert.deepEqual(pick(got), pick(want));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The config back to the model's start, the editor opened afresh on it, no draft kept. */
export async function reset(session: EditorSession, fullReload: boolean): Promise<void> {
  const { page, served } = session;
  const raw = JSON.parse(await readFile(session.setup.configFile, 'utf8'));
  const others = raw.plans.filter((plan: { id: string }) => plan.id !== PLAN_ID);
  const saved = await served.call('config.save', { config: { ...raw, plans: [...others, planJson(initialState(), raw.repositories[0].id)] } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const heading = page.getByRole('heading', { name: /^Plan: / });
  await page.evaluate('window.location.hash = "#/settings"');
  await heading.waitFor({ state: 'detached' });
  await page.evaluate(`sessionStorage.removeItem("lifeboat-draft-${PLAN_ID}")`);
  if (fullReload) await page.reload();
  await page.evaluate(`window.location.hash = "#/plans/${PLAN_ID}"`);
  await page.getByRole('article', { name: 'Hook delta', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Folder to back up 1', { exact: true }).inputValue(), initialState().sources[0]);
}

/** What the form shows: hooks in screen order with env text and enabled box, and the rows of both lists. */
const SCREEN = `(() => {
  const rows = (name) => [...document.querySelectorAll('input[aria-label^="' + name + ' "]')]
    .filter((input) => /^\\D+ \\d+$/.test(input.getAttribute('aria-label')))
    .map((input) => input.value);
  return {
    hooks: [...document.querySelectorAll('article[aria-label^="Hook "]')].map((card) => ({
      id: card.getAttribute('aria-label').slice(5),
      env: card.querySelector('textarea')?.value ?? null,
      enabled: [...card.querySelectorAll('header input[type=checkbox]')].map((box) => box.checked)[0],
    })),
    sources: rows('Folder to back up'),
    excludes: rows('Leave out'),
    monitors: [...document.querySelectorAll('fieldset.monitor')].map((group) => {
      const field = (label) => {
        const found = [...group.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
        return found ? document.getElementById(found.htmlFor).value : null;
      };
      return { name: group.getAttribute('aria-label'), url: field('URL'), token: field('Token') };
    }),
  };
})()`;

/** Between edits the form must show the model: each hook's own env, rows in order (hooks by event group, as listed). */
async function expectScreen(page: Page, state: ModelState): Promise<void> {
  const order = [...state.hooks.filter((hook) => hook.group === 'backup.before'), ...state.hooks.filter((hook) => hook.group === 'run.end')];
  const want = {
    hooks: order.map((hook) => ({ id: hook.id, env: envText(hook.env), enabled: hook.enabled })),
    sources: state.sources,
    excludes: state.excludes,
    // A stored secret shows as the mask, never itself; one typed since shows as typed.
    monitors: state.monitors.map((monitor, at) => ({
      name: `Monitor ${at + 1} (${monitor.type})`,
      url: monitor.urlMasked ? MASK : monitor.url,
      token: monitor.type === 'ntfy' ? (monitor.tokenMasked ? MASK : monitor.token) : null,
    })),
  };
  assert.deepEqual(await page.evaluate(SCREEN), want, 'the form shows what the model holds');
}

/** Whether each folder row shows the missing-folder warning, in screen order. */
const FOLDER_WARNINGS = `[...document.querySelectorAll('input[aria-label^="Folder to back up "]')]
  .filter((input) => /^\\D+ \\d+$/.test(input.getAttribute('aria-label')))
  .map((input) => input.closest('li[data-row]').querySelector('.row-warning') !== null)`;

/**
 * Until the folder rows' warnings match the folders (checked a moment after they change): every
 * folder that is not there is called so on its own row, and no folder that is there.
 */
async function folderWarningsSettled(page: Page, state: ModelState, timeoutMs = 8000): Promise<void> {
  const want = state.sources.map((row) => row.trim() !== '' && !existsSync(row));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = await page.evaluate(FOLDER_WARNINGS);
    if (JSON.stringify(shown) === JSON.stringify(want)) return;
    if (Date.now() > deadline) assert.deepEqual(shown, want, 'the missing-folder warnings match the folder rows');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Applies one sequence to model and page; checks the file after every Save and at the end. */
export async function runSequence(session: EditorSession, edits: Edit[], log: string[], timing = { saves: 0 }): Promise<void> {
  let model: Model = { current: initialState(), saved: initialState() };
  await folderWarningsSettled(session.page, model.current);
  for (const edit of [...edits, { kind: 'save' } as const]) {
    const step = plan(edit, model);
    log.push(`${step ? '' : '(not possible now) '}${describe(edit)}`);
    if (!step) continue;
    await step.ui(session.page);
    model = step.next;
    if (edit.kind === 'save') {
      const started = Date.now();
      await session.page.getByRole('status').getByText('Saved.').waitFor();
      await expectOnDisk(session, model.saved);
      timing.saves += Date.now() - started;
    }
    // After a save, once it is done: the secrets just saved are masked from then on.
    await expectScreen(session.page, model.current);
    await folderWarningsSettled(session.page, model.current);
  }
}

/** Runs `numRuns` sequences in one page; prints the seed and the failing sequence so it can be replayed. */
export async function runModel(session: EditorSession, numRuns: number): Promise<void> {
  session.page.on('dialog', (dialog) => void dialog.accept());
  const seed = process.env.LIFEBOAT_MODEL_SEED ? Number(process.env.LIFEBOAT_MODEL_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
  const path = process.env.LIFEBOAT_MODEL_PATH;
  console.log(`editor model: seed ${seed}${path ? ` path ${path}` : ''}, ${numRuns} sequences (replay: LIFEBOAT_MODEL_SEED=${seed})`);
  let run = 0;
  let lastLog: string[] = [];
  let previousLog: string[] = [];
  const timing = { reset: 0, edits: 0, saves: 0 };
  try {
    await fc.assert(
      fc.asyncProperty(sequenceArbitrary, async (edits) => {
        previousLog = lastLog;
        lastLog = [];
        const started = Date.now();
        await reset(session, run % 25 === 24);
        timing.reset += Date.now() - started;
        run += 1;
        const edited = Date.now();
        await runSequence(session, edits, lastLog, timing);
        timing.edits += Date.now() - edited;
      }),
      { numRuns, seed, ...(path ? { path } : {}), endOnFailure: process.env.LIFEBOAT_MODEL_SHRINK !== '1' },
    );
  } catch (error) {
    console.log(
      `editor model FAILED (seed ${seed}). The sequence before:\n  ${previousLog.join('\n  ')}\nThe failing sequence, step by step:\n  ${lastLog.join('\n  ')}`,
    );
    throw error;
  }
  if (process.env.LIFEBOAT_MODEL_TIMING) console.log(`editor model timing (ms): ${JSON.stringify(timing)}`);
}
