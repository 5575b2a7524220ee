import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { type HookEvent, hookSchema } from '../core/config/schema.ts';
import { ConfigInvalidError } from '../core/config/store.ts';
import { normalizeHook, type Problem, validateConfig } from '../core/config/validate.ts';
import type { Engine } from '../core/engine.ts';
import { loadHookTemplates } from '../core/hooks/templates.ts';
import type { BackupProgress } from '../core/restic/messages.ts';
import type { RunRecord } from '../core/runs/run-record.ts';
import type { RunEvent } from '../core/runs/run-state.ts';
import { pauseUntil } from '../core/schedule/pause.ts';
import { describeSchedule, upcomingRuns } from '../core/schedule/schedule-times.ts';
import type { Scheduler } from '../core/schedule/scheduler.ts';
import { UserError } from '../core/util/errors.ts';
import { completeFolders, missingPaths } from '../core/util/folder-completion.ts';
import { expandHome } from '../core/util/paths.ts';
import { type AnyEvent, type CallInput, type CallName, type CallOutput, calls, isCallName, type RunBrief } from './contract.ts';
import { maskConfig, unmaskConfig } from './secrets-mask.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Problem[] | undefined;

  constructor(status: number, code: string, message: string, problems?: Problem[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

export interface ApiContext {
  engine: Engine;
  scheduler: Scheduler;
  version: string;
  /** True in the desktop app (folder pickers, notifications through Electron). */
  desktop: boolean;
  /** What only the desktop app can do; absent in `serve`. */
  desktopActions?: DesktopActions | undefined;
}

export interface DesktopActions {
  pickFolder(title: string | undefined): Promise<string | null>;
  startAtLogin(enabled: boolean | undefined): boolean;
}

export interface Api {
  call(name: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: AnyEvent) => void): () => void;
}

type Handlers = { [N in CallName]: (input: CallInput<N>) => Promise<CallOutput<N>> };

/** Output lines per run pushed to a UI at most this often; the rest are counted, not sent. */
const OUTPUT_LINES_PER_SECOND = 200;

function brief(run: RunRecord): RunBrief {
  return {
    id: run.id,
    plan: run.plan,
    trigger: run.trigger,
    status: run.status,
    reason: run.reason,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    snapshotId: run.snapshotId,
  };
}

function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({ path: `${prefix}${issue.path.map(String).join('.')}`, message: issue.message }));
}

/** The contract mapped onto the engine and the scheduler; every input validated on arrival. */
export function createApi(context: ApiContext): Api {
  const { engine, scheduler } = context;
  const listeners = new Set<(event: AnyEvent) => void>();
  const progress = new Map<string, BackupProgress>();
  // Which plans have a run in progress, as the engine tells it: exact at the moment run.ended goes out.
  const active = new Set<string>();
  const outputBudget = new Map<string, { second: number; sent: number }>();
  const publish = (event: AnyEvent) => {
    for (const listener of listeners) listener(event);
  };
  const underBudget = (runId: string): boolean => {
    const second = Math.floor(Date.now() / 1000);
    const budget = outputBudget.get(runId);
    if (!budget || budget.second !== second) {
      outputBudget.set(runId, { second, sent: 1 });
      return true;
    }
    budget.sent += 1;
    return budget.sent <= OUTPUT_LINES_PER_SECOND;
  };

  engine.subscribe((event: RunEvent) => {
    switch (event.type) {
      case 'run-started':
        active.add(event.run.plan);
        publish({ name: 'run.started', payload: { run: brief(event.run) } });
        break;
      case 'progress':
        progress.set(event.plan, event.progress);
        publish({ name: 'run.progress', payload: { runId: event.runId, plan: event.plan, progress: event.progress } });
        break;
      case 'output':
        if (underBudget(event.runId))
          publish({ name: 'run.output', payload: { runId: event.runId, step: event.step, stream: event.stream, line: event.line } });
        break;
      case 'step-started':
        publish({ name: 'run.step', payload: { runId: event.runId, kind: event.kind, name: event.name, event: event.event } });
        break;
      case 'step-ended':
        publish({
          name: 'run.step',
          payload: { runId: event.runId, kind: event.step.kind, name: event.step.name, event: event.step.event, status: event.step.status },
        });
        break;
      case 'run-ended':
        active.delete(event.run.plan);
        progress.delete(event.run.plan);
        outputBudget.delete(event.run.id);
        publish({ name: 'run.ended', payload: { run: brief(event.run) } });
        break;
    }
  });

  const desktopOnly = (): DesktopActions => {
    if (!context.desktopActions) throw new ApiError(501, 'desktop-only', 'Only the desktop app can do this; in the browser, type the path instead.');
    return context.desktopActions;
  };

  /** Saves and tells the UI; `announce: false` leaves the announcement to the caller, once it is all done. */
  const saveConfig = async (raw: Record<string, unknown>, announce = true) => {
    try {
      await engine.saveConfig(raw);
    } catch (error) {
      if (error instanceof ConfigInvalidError) throw new ApiError(422, 'invalid-config', 'The config has problems; nothing was saved.', error.problems);
      throw error;
    }
    await scheduler.configChanged();
    if (announce) publish({ name: 'status.changed', payload: {} });
  };

  const handlers: Handlers = {
    'app.status': async () => {
      const pause = scheduler.pauseInfo;
      return {
        version: context.version,
        configFile: engine.configFile,
        dataDir: engine.dataDir,
        needsOnboarding: engine.config.plans.length === 0,
        paused: pause ? { since: pause.since, until: pause.until } : null,
        hooksEnabled: engine.config.settings.hooksEnabled,
        notifications: engine.config.settings.notifications,
        desktop: context.desktop,
      };
    },
    'config.get': async () => ({ config: maskConfig(engine.rawConfig) }),
    'config.validate': async ({ config }) => {
      const result = validateConfig(config);
      return { problems: result.ok ? [] : result.problems };
    },
    'config.save': async ({ config }) => {
      await saveConfig(unmaskConfig(config, engine.rawConfig));
      return { ok: true };
    },
    'onboarding.setup': async ({ folder, repositoryPath, password, cron }) => {
      const source = expandHome(folder);
      if (!(await stat(source).catch(() => undefined))?.isDirectory()) {
        throw new ApiError(422, 'invalid-input', `${source} is not a folder on this computer.`, [
          { path: 'folder', message: `${source} is not a folder; pick one that exists` },
        ]);
      }
      const raw = engine.rawConfig;
      const repositories = Array.isArray(raw.repositories) ? [...raw.repositories] : [];
      const plans = Array.isArray(raw.plans) ? [...raw.plans] : [];
      const repositoryId = uniqueId('local', repositories);
      const url = expandHome(repositoryPath ?? join(engine.dataDir, 'repository'));
      const passwordSource = await engine.storeRepositoryPassword(repositoryId, password);
      const planId = uniqueId(slug(basename(source)) || 'files', plans);
      repositories.push({ id: repositoryId, name: 'This computer', url, ...passwordSource });
      plans.push({
        id: planId,
        name: basename(source) || source,
        repository: repositoryId,
        sources: [source],
        schedule: { cron },
        retention: { keepLast: 10, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
        check: { every: '7d', readDataSubset: '2%' },
      });
      await saveConfig({ version: 1, ...raw, repositories, plans }, false);
      if (!existsSync(join(url, 'config'))) await engine.initRepository(repositoryId);
      // The UI moves on only now, with the repository ready for "Back up now".
      publish({ name: 'status.changed', payload: {} });
      return { plan: planId, repository: repositoryId };
    },
    'plans.list': async () => {
      const summaries = await engine.listPlans();
      const states = await engine.planState.read();
      const now = new Date();
      return summaries.map((summary) => {
        const plan = engine.plan(summary.id);
        return {
          id: summary.id,
          name: summary.name,
          repository: summary.repository,
          enabled: plan.enabled,
          schedule: describeSchedule(plan.schedule),
          nextRuns: upcomingRuns(plan, states[plan.id] ?? {}, now).map((date) => date.toISOString()),
          lastRun: summary.lastRun ? brief(summary.lastRun) : null,
          running: active.has(plan.id),
          progress: progress.get(plan.id) ?? null,
        };
      });
    },
    'plans.run': async ({ plan }) => {
      engine.plan(plan);
      const wasRunning = scheduler.isRunning(plan);
      scheduler.trigger(plan, 'manual');
      return { started: !wasRunning, queued: wasRunning };
    },
    'plans.cancel': async ({ plan }) => ({ cancelled: scheduler.cancel(plan) }),
    'schedule.preview': async ({ schedule }) => {
      const probe = { version: 1, repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }], plans: [{ id: 'p', repository: 'r', sources: ['/p'], schedule }] };
      const result = validateConfig(probe);
      if (!result.ok) return { sentence: '', next: [], problems: result.problems.map((p) => ({ ...p, path: p.path.replace(/^plans\[0\]\.schedule\.?/, '') })) };
      const plan = result.config.plans[0]!;
      return {
        sentence: describeSchedule(plan.schedule),
        next: upcomingRuns(plan, { firstSeenAt: new Date().toISOString() }, new Date()).map((d) => d.toISOString()),
        problems: [],
      };
    },
    'schedule.pause': async ({ choice }) => {
      const state = await scheduler.pause(pauseUntil(choice, new Date()));
      publish({ name: 'status.changed', payload: {} });
      return { until: state.until };
    },
    'schedule.resume': async () => {
      await scheduler.unpause();
      publish({ name: 'status.changed', payload: {} });
      return { ok: true };
    },
    'hooks.test': async ({ plan, hook, event, testId }) => {
      const parsed = hookSchema.safeParse(hook, { reportInput: true });
      if (!parsed.success) throw new ApiError(422, 'invalid-hook', 'The hook has problems; fix them before a test run.', zodProblems(parsed.error));
      const probe = validateConfig({
        version: 1,
        repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
        plans: [{ id: 'p', repository: 'r', sources: ['/p'], hooks: [hook] }],
      });
      if (!probe.ok)
        throw new ApiError(
          422,
          'invalid-hook',
          'The hook has problems; fix them before a test run.',
          probe.problems.map((p) => ({ ...p, path: p.path.replace(/^plans\[0\]\.hooks\[0\]\.?/, '') })),
        );
      const result = await engine.testHook(plan, normalizeHook(parsed.data), {
        event: event as HookEvent | undefined,
        onEvent: (runEvent) => {
          if (runEvent.type === 'output') publish({ name: 'hook-test.output', payload: { testId, stream: runEvent.stream, line: runEvent.line } });
        },
      });
      return {
        testId,
        outcome: result.outcome.kind,
        reason: result.outcome.reason,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        output: result.output,
      };
    },
    'templates.list': async () =>
      (await loadHookTemplates())
        .filter((template) => !template.platforms || template.platforms.includes(process.platform))
        .map((template) => ({
          id: template.id,
          title: template.title,
          description: template.description,
          requires: template.requires,
          hooks: template.hooks as Record<string, unknown>[],
        })),
    'history.list': async ({ plan, limit }) => (await engine.history.list({ plan, limit: limit ?? 50 })).map(brief),
    'history.get': async ({ id }) => {
      const run = await engine.history.get(id);
      if (!run) throw new ApiError(404, 'not-found', `There is no run ${id} in the history.`);
      return { ...brief(run), steps: run.steps, summary: (run.summary as Record<string, unknown> | null) ?? null };
    },
    'snapshots.list': async ({ plan }) => engine.snapshots(plan),
    'snapshots.browse': async ({ plan, snapshot, path }) => engine.browse(plan, snapshot, path),
    'snapshots.restore': async ({ plan, snapshot, target, include }) => {
      const run = await engine.restore(plan, snapshot, { target: expandHome(target), include });
      return { status: run.status, reason: run.reason };
    },
    'repositories.list': async () =>
      engine.config.repositories.map((repository) => ({
        id: repository.id,
        name: repository.name,
        url: repository.url.replace(/^([a-z0-9+.-]*:?[a-z]*:\/\/)[^/@\s]*@/i, '$1'),
        passwordSource: repository.passwordEnv
          ? `environment variable ${repository.passwordEnv}`
          : repository.passwordFile
            ? 'a password file'
            : 'a password command',
      })),
    'repositories.create': async ({ id, name, url, password, initialise }) => {
      const raw = engine.rawConfig;
      const repositories = Array.isArray(raw.repositories) ? [...raw.repositories] : [];
      if (repositories.some((repository) => (repository as { id?: string }).id === id)) {
        throw new ApiError(409, 'exists', `A repository with the id "${id}" exists already; pick another id.`, [{ path: 'id', message: 'is already used' }]);
      }
      repositories.push({ id, name, url, ...(await engine.storeRepositoryPassword(id, password)) });
      await saveConfig({ version: 1, ...raw, repositories });
      if (initialise) await engine.initRepository(id);
      return { ok: true };
    },
    'repositories.check': async ({ id }) => engine.checkRepository(id),
    'repositories.unlock': async ({ id }) => {
      await engine.unlockRepository(id);
      return { ok: true };
    },
    'settings.update': async (change) => {
      const raw = engine.rawConfig;
      const settings = { ...(raw.settings as Record<string, unknown> | undefined), ...change };
      await saveConfig({ version: 1, ...raw, settings });
      return { ok: true };
    },
    'desktop.pickFolder': async ({ title }) => ({ path: await desktopOnly().pickFolder(title) }),
    'desktop.startAtLogin': async ({ enabled }) => ({ enabled: desktopOnly().startAtLogin(enabled) }),
    'notifications.test': async () => {
      try {
        await engine.notifications.test();
      } catch (error) {
        throw new ApiError(503, 'notifications-unavailable', `Notifications cannot be shown here: ${(error as Error).message}`);
      }
      return { ok: true };
    },
    // Path help for the plan editor.
    'paths.complete': async ({ prefix }) => ({ entries: await completeFolders(prefix) }),
    'paths.check': async ({ paths }) => ({ missing: await missingPaths(paths) }),
  };

  return {
    async call(name, input) {
      if (!isCallName(name)) throw new ApiError(404, 'unknown-call', `There is no call "${name}".`);
      const parsed = calls[name].input.safeParse(input ?? {}, { reportInput: true });
      if (!parsed.success) throw new ApiError(400, 'invalid-input', `The input of ${name} is not valid.`, zodProblems(parsed.error));
      try {
        return await (handlers[name] as (input: unknown) => Promise<unknown>)(parsed.data);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        if (error instanceof UserError) throw new ApiError(/^There is no (plan|repository)/.test(error.message) ? 404 : 422, 'refused', error.message);
        throw error;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueId(base: string, list: unknown[]): string {
  const taken = new Set(list.map((item) => (item as { id?: string }).id));
  if (!taken.has(base)) return base;
  let index = 2;
  while (taken.has(`${base}-${index}`)) index += 1;
  return `${base}-${index}`;
}
