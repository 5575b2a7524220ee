import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { type HookEvent, hookSchema } from '../core/config/schema.ts';
import { ConfigConflictError, ConfigInvalidError } from '../core/config/store.ts';
import { normalizeHook, type Problem, validateConfig } from '../core/config/validate.ts';
import type { Engine } from '../core/engine.ts';
import { loadHookTemplates } from '../core/hooks/templates.ts';
import type { BackupProgress } from '../core/restic/messages.ts';
import { type ProbeResult, type RepositoryPlace, WrongPasswordError } from '../core/restic/repository-service.ts';
import type { RunRecord } from '../core/runs/run-record.ts';
import type { RunEvent } from '../core/runs/run-state.ts';
import { pauseUntil } from '../core/schedule/pause.ts';
import { describeSchedule, upcomingRuns } from '../core/schedule/schedule-times.ts';
import type { Scheduler } from '../core/schedule/scheduler.ts';
import { UserError } from '../core/util/errors.ts';
import { completeFolders, missingPaths } from '../core/util/folder-completion.ts';
import { expandHome } from '../core/util/paths.ts';
import { urlWithoutCredentials } from '../core/util/redactor.ts';
import { type AnyEvent, type CallInput, type CallName, type CallOutput, calls, isCallName, type RunBrief } from './contract.ts';
import { HTTP_STATUS } from './error-status.ts';
import { MASK, maskConfig, unmaskConfig } from './secrets-mask.ts';

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
    kind: run.kind ?? 'backup', // a record without a kind is a backup
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
  const saveConfig = async (raw: Record<string, unknown>, announce = true, revision?: string) => {
    try {
      await engine.saveConfig(raw, { revision });
    } catch (error) {
      if (error instanceof ConfigInvalidError)
        throw new ApiError(HTTP_STATUS[error.kind], 'invalid-config', 'The config has problems; nothing was saved.', error.problems);
      if (error instanceof ConfigConflictError) throw new ApiError(HTTP_STATUS[error.kind], 'conflict', error.message);
      throw error;
    }
    await scheduler.configChanged();
    if (announce) publish({ name: 'status.changed', payload: {} });
  };

  /** Opens a repository with a typed password; a wrong one is refused as a problem of that field. */
  const openWith = async (place: RepositoryPlace, password: string, field: string): Promise<ProbeResult> => {
    try {
      return await engine.probeRepository(place, password);
    } catch (error) {
      if (error instanceof WrongPasswordError)
        throw new ApiError(HTTP_STATUS[error.kind], 'wrong-password', error.message, [{ path: field, message: 'does not open this repository' }]);
      throw error;
    }
  };

  /**
   * A new plan (or a new folder) is backed up at once, so "backed up" is true before the first
   * slot. A plan that is running already gets one more run after it (triggers are coalesced).
   */
  const startFirstBackup = (plan: string): boolean => {
    scheduler.trigger(plan, 'manual');
    return true;
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
    'config.get': async () => ({ config: maskConfig(engine.rawConfig), revision: engine.configRevision, problems: engine.configProblems }),
    'config.validate': async ({ config }) => {
      const result = validateConfig(config);
      return { problems: result.ok ? [] : result.problems };
    },
    'config.save': async ({ config, revision }) => {
      const unmasked = unmaskConfig(config, engine.rawConfig);
      if (!unmasked.ok)
        throw new ApiError(422, 'unknown-mask', 'A hidden secret does not belong to any saved item; type it again. Nothing was saved.', unmasked.problems);
      await saveConfig(unmasked.config, true, revision);
      return { ok: true, revision: engine.configRevision };
    },
    'onboarding.setup': async ({ folder, repositoryPath, password, cron, repository, plan }) => {
      const source = expandHome(folder);
      if (!(await stat(source).catch(() => undefined))?.isDirectory()) {
        throw new ApiError(422, 'invalid-input', `${source} is not a folder on this computer.`, [
          { path: 'folder', message: `${source} is not a folder; pick one that exists` },
        ]);
      }
      const raw = engine.rawConfig;
      const repositories = Array.isArray(raw.repositories) ? [...raw.repositories] : [];
      const plans = Array.isArray(raw.plans) ? [...raw.plans] : [];
      if (plan) {
        // One more folder in a plan that exists: same repository, same schedule.
        const index = plans.findIndex((entry) => (entry as { id?: string }).id === plan);
        if (index === -1) engine.plan(plan);
        const entry = { ...(plans[index] as Record<string, unknown>) };
        const sources = Array.isArray(entry.sources) ? (entry.sources as string[]) : [];
        if (sources.some((existing) => expandHome(existing) === source)) {
          throw new ApiError(409, 'exists', `Plan "${plan}" backs up ${source} already.`, [{ path: 'folder', message: 'is in that plan already' }]);
        }
        plans[index] = { ...entry, sources: [...sources, source] };
        await saveConfig({ version: 1, ...raw, plans });
        return { plan, repository: String(entry.repository), started: startFirstBackup(plan) };
      }
      let repositoryId: string;
      if (repository) {
        repositoryId = engine.repository(repository).id;
      } else {
        const url = expandHome(repositoryPath ?? join(engine.dataDir, 'repository'));
        const known = engine.config.repositories.find((candidate) => samePlace(candidate.url, url));
        if (known) {
          // The same place twice is the same repository: it is reused, never added again.
          if (password) await openWith({ url: known.url, env: known.env }, password, 'password');
          repositoryId = known.id;
        } else {
          if (!password) throw new ApiError(422, 'invalid-input', 'A new repository needs a password.', [{ path: 'password', message: 'is needed' }]);
          repositoryId = uniqueId('local', repositories);
          const probe = await openWith({ url, env: {} }, password, 'password');
          if (probe.state === 'missing') {
            if (password.length < 8) throw new ApiError(422, 'invalid-input', 'The password is too short.', [{ path: 'password', message: SHORT_PASSWORD }]);
            await engine.initialiseRepositoryAt({ url, env: {} }, password);
          }
          const passwordSource = await engine.storeRepositoryPassword(repositoryId, password);
          repositories.push({ id: repositoryId, name: repositoryPath ? basename(url) || url : 'This computer', url, ...passwordSource });
        }
      }
      const planId = uniqueId(slug(basename(source)) || 'files', plans);
      plans.push({
        id: planId,
        name: basename(source) || source,
        repository: repositoryId,
        sources: [source],
        schedule: { cron: cron ?? '0 * * * *' },
        retention: { keepLast: 10, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
        check: { every: '7d', readDataSubset: '2%' },
      });
      await saveConfig({ version: 1, ...raw, repositories, plans });
      return { plan: planId, repository: repositoryId, started: startFirstBackup(planId) };
    },
    'plans.delete': async ({ plan }) => {
      engine.plan(plan);
      if (scheduler.isRunning(plan))
        throw new ApiError(409, 'running', `Plan "${plan}" is backing up now; cancel the run or wait for it to end, then delete the plan.`);
      const raw = engine.rawConfig;
      const plans = (Array.isArray(raw.plans) ? raw.plans : []).filter((entry) => (entry as { id?: string }).id !== plan);
      await saveConfig({ version: 1, ...raw, plans });
      return { ok: true };
    },
    'plans.list': async () => {
      const summaries = await engine.listPlans();
      const states = await engine.planState.read();
      const now = new Date();
      const latest = await engine.history.latestByPlan();
      return summaries.map((summary) => {
        const plan = engine.plan(summary.id);
        const lastBackup = latest.get(plan.id)?.lastSuccess;
        return {
          id: summary.id,
          name: summary.name,
          repository: summary.repository,
          enabled: plan.enabled,
          schedule: describeSchedule(plan.schedule),
          nextRuns: upcomingRuns(plan, states[plan.id] ?? {}, now).map((date) => date.toISOString()),
          lastRun: summary.lastRun ? brief(summary.lastRun) : null,
          lastBackup: lastBackup ? brief(lastBackup) : null,
          lastResult: summary.lastRun ? backupResult(summary.lastRun) : null,
          sources: plan.sources,
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
    'snapshots.restore': async ({ plan, snapshot, target, inPlace, overwrite, include }) => {
      if ((target === undefined) === !inPlace)
        throw new ApiError(400, 'invalid-input', 'Give exactly one of target (an empty folder) or inPlace.', [
          { path: 'target', message: 'give an empty folder, or set inPlace with an overwrite policy' },
        ]);
      if (inPlace && !overwrite)
        throw new ApiError(400, 'invalid-input', 'inPlace needs an overwrite policy: never, if-newer or always.', [
          { path: 'overwrite', message: 'choose never, if-newer or always' },
        ]);
      const folder = target === undefined ? undefined : expandHome(target);
      if (folder !== undefined && !isAbsolute(folder))
        throw new ApiError(422, 'refused', `${folder} is not a full path; give the folder from the root (/home/me/restored) or the home folder (~/restored).`);
      const run = await engine.restore(plan, snapshot, { target: folder, inPlace, overwrite, include });
      return { status: run.status, reason: run.reason };
    },
    'repositories.list': async () =>
      engine.config.repositories.map((repository) => ({
        id: repository.id,
        name: repository.name,
        url: urlWithoutCredentials(repository.url),
        passwordSource: repository.passwordEnv
          ? `environment variable ${repository.passwordEnv}`
          : repository.passwordKeychain
            ? 'the keychain'
            : repository.passwordFile
              ? 'a password file'
              : 'a password command',
        env: Object.fromEntries(Object.keys(repository.env).map((key) => [key, MASK])),
        usedBy: engine.config.plans.filter((plan) => plan.repository === repository.id).map((plan) => plan.id),
      })),
    'repositories.create': async ({ id, name, url, password, initialise, env }) => {
      const raw = engine.rawConfig;
      const repositories = Array.isArray(raw.repositories) ? [...raw.repositories] : [];
      if (repositories.some((repository) => (repository as { id?: string }).id === id)) {
        throw new ApiError(409, 'exists', `A repository with the id "${id}" exists already; pick another id.`, [{ path: 'id', message: 'is already used' }]);
      }
      const same = engine.config.repositories.find((repository) => samePlace(repository.url, url));
      if (same) {
        throw new ApiError(409, 'exists', `Repository "${same.id}" is at ${urlWithoutCredentials(url)} already; use it instead of adding it twice.`, [
          { path: 'url', message: `is repository "${same.id}" already` },
        ]);
      }
      if (env) checkCredentialNames(env);
      const place = { url: expandHome(url), env: env ?? {} };
      const probe = await openWith(place, password, 'password');
      if (probe.state === 'missing') {
        if (!initialise) throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        if (password.length < 8) throw new ApiError(422, 'invalid-input', 'The password is too short.', [{ path: 'password', message: SHORT_PASSWORD }]);
        await engine.initialiseRepositoryAt(place, password);
      }
      // An existing repository that the password opens is simply added: "Initialise" never touches it.
      repositories.push({
        id,
        name,
        url: place.url,
        ...(env && Object.keys(env).length ? { env } : {}),
        ...(await engine.storeRepositoryPassword(id, password)),
      });
      await saveConfig({ version: 1, ...raw, repositories });
      return { ok: true };
    },
    'repositories.update': async ({ id, name, url, env, password }) => {
      const current = engine.repository(id);
      const raw = engine.rawConfig;
      const repositories = Array.isArray(raw.repositories) ? [...raw.repositories] : [];
      const index = repositories.findIndex((repository) => (repository as { id?: string }).id === id);
      const entry = { ...(repositories[index] as Record<string, unknown>) };
      if (name !== undefined) entry.name = name;
      if (url !== undefined) {
        const other = engine.config.repositories.find((repository) => repository.id !== id && samePlace(repository.url, url));
        if (other)
          throw new ApiError(409, 'exists', `Repository "${other.id}" is at ${urlWithoutCredentials(url)} already.`, [
            { path: 'url', message: `is repository "${other.id}"` },
          ]);
        entry.url = expandHome(url);
      }
      if (env !== undefined) {
        // Write-only secrets: the mask keeps the stored value, a new value replaces it, a missing key is removed.
        const next: Record<string, string> = {};
        checkCredentialNames(env);
        for (const [key, value] of Object.entries(env)) {
          const kept = value === MASK ? current.env[key] : value;
          if (kept !== undefined) next[key] = kept;
        }
        if (Object.keys(next).length) entry.env = next;
        else delete entry.env;
      }
      const place = { url: String(entry.url), env: (entry.env as Record<string, string> | undefined) ?? {} };
      if (password === undefined && url !== undefined && expandHome(url) !== current.url) {
        // A new address must hold this repository: the stored password is tried there first.
        try {
          const probe = await engine.probeRepositoryAs(id, place);
          if (probe.state === 'missing') throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        } catch (error) {
          if (error instanceof WrongPasswordError)
            throw new ApiError(
              HTTP_STATUS[error.kind],
              'wrong-password',
              `The repository's password does not open ${urlWithoutCredentials(url)}; nothing was saved.`,
              [{ path: 'url', message: 'holds another repository' }],
            );
          throw error;
        }
      }
      if (password !== undefined) {
        const probe = await openWith(place, password, 'password');
        if (probe.state === 'missing') throw new ApiError(422, 'not-initialised', probe.message, [{ path: 'url', message: 'holds no repository yet' }]);
        delete entry.passwordEnv;
        delete entry.passwordFile;
        delete entry.passwordCommand;
        delete entry.passwordKeychain;
        Object.assign(entry, await engine.storeRepositoryPassword(id, password));
      }
      repositories[index] = entry;
      await saveConfig({ version: 1, ...raw, repositories });
      return { ok: true };
    },
    'repositories.remove': async ({ id }) => {
      engine.repository(id);
      const users = engine.config.plans.filter((plan) => plan.repository === id).map((plan) => `"${plan.name}"`);
      if (users.length) {
        throw new ApiError(
          409,
          'in-use',
          `Repository "${id}" is used by ${users.length === 1 ? 'the plan' : 'the plans'} ${users.join(', ')}; move or delete ${users.length === 1 ? 'that plan' : 'those plans'} first.`,
        );
      }
      const raw = engine.rawConfig;
      const repositories = (Array.isArray(raw.repositories) ? raw.repositories : []).filter((repository) => (repository as { id?: string }).id !== id);
      await saveConfig({ version: 1, ...raw, repositories });
      return { ok: true };
    },
    'repositories.check': async ({ id }) => engine.checkRepository(id),
    'repositories.unlock': async ({ id }) => {
      await engine.unlockRepository(id);
      return { ok: true };
    },
    'settings.update': async (change) => {
      if (change.resticPath !== undefined && change.resticPath !== null) {
        const path = expandHome(change.resticPath.trim());
        if (!path) change.resticPath = null;
        else {
          try {
            await engine.checkResticProgram(path);
          } catch (error) {
            if (error instanceof UserError)
              throw new ApiError(422, 'invalid-input', `${error.message} Nothing was saved.`, [{ path: 'resticPath', message: error.message }]);
            throw error;
          }
          change.resticPath = path;
        }
      }
      const raw = engine.rawConfig;
      const settings = { ...(raw.settings as Record<string, unknown> | undefined), ...change };
      await saveConfig({ version: 1, ...raw, settings });
      return { ok: true };
    },
    'settings.restic': async () => {
      const resticPath = engine.config.settings.resticPath;
      try {
        const binary = await engine.checkResticProgram(resticPath);
        return { resticPath, found: binary.path, version: binary.version, problem: null };
      } catch (error) {
        if (error instanceof UserError) return { resticPath, found: null, version: null, problem: error.message };
        throw error;
      }
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
        if (error instanceof UserError) throw new ApiError(HTTP_STATUS[error.kind], 'refused', error.message);
        throw error;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const SHORT_PASSWORD = 'must be at least 8 characters (a passphrase you can remember is best)';

function isSuccessfulBackup(run: RunRecord): boolean {
  return (
    (run.status === 'success' || run.status === 'warning') &&
    run.snapshotId !== null &&
    run.steps.some((step) => step.kind === 'restic' && step.name === 'backup')
  );
}

function backupResult(run: RunRecord): CallOutput<'plans.list'>[number]['lastResult'] {
  const summary = run.summary;
  if (!summary || !isSuccessfulBackup(run)) return null;
  return { filesNew: summary.files_new, filesChanged: summary.files_changed, bytesAdded: summary.data_added, seconds: summary.total_duration };
}

/** A repository's credentials are environment variables for its backend; the repository and its password have their own fields. */
function checkCredentialNames(env: Record<string, string>): void {
  for (const key of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new ApiError(422, 'invalid-input', `"${key}" is not an environment variable name (letters, digits and _).`, [
        { path: `env.${key}`, message: 'is not a variable name' },
      ]);
    }
    if (/^RESTIC_(REPOSITORY|PASSWORD)/.test(key)) {
      throw new ApiError(422, 'invalid-input', `${key} cannot be a credential: the repository's address and password have their own fields.`, [
        { path: `env.${key}`, message: 'has its own field' },
      ]);
    }
  }
}

/** Two repository addresses name the same place: the same folder, or the same URL. */
function samePlace(a: string, b: string): boolean {
  const normal = (url: string) => {
    const expanded = expandHome(url.trim());
    return /^[a-z0-9]+:/i.test(expanded) && !/^[a-z]:[\\/]/i.test(expanded) ? expanded.replace(/\/+$/, '') : resolve(expanded.replace(/^local:/, ''));
  };
  return normal(a) === normal(b);
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
