import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ulid } from 'ulid';
import type { HookEvent, Trigger } from './config/schema.ts';
import { type LoadedConfig, loadConfig, type SaveResult, saveConfig } from './config/store.ts';
import type { Config, Hook, Plan, Repository } from './config/types.ts';
import { HistoryStore } from './history/history-store.ts';
import { type HookCallResult, HookRunner } from './hooks/hook-runner.ts';
import { endRequest, MonitorSender, type MonitorSenderOptions, startRequest } from './notify/monitors.ts';
import { NotificationCenter } from './notify/notification-center.ts';
import { headlessPlatform } from './platform/headless.ts';
import type { Platform } from './platform/platform.ts';
import { type ResticAccess, resticAccess } from './restic/credentials.ts';
import { locateRestic, type ResticBinary } from './restic/locate.ts';
import { mergeRestored } from './restic/merge-restored.ts';
import type { Snapshot, SnapshotEntry } from './restic/messages.ts';
import { type OverwritePolicy, Restic, ResticError } from './restic/restic.ts';
import { checkRestoreTarget, RestoreRefusedError, whereItPoints } from './restic/restore-target.ts';
import { checkedSnapshotId } from './restic/snapshot-id.ts';
import { executeRun, planTags, resticRunStep } from './runs/execute-run.ts';
import type { HookDispatcher } from './runs/hook-dispatcher.ts';
import { runPhase } from './runs/phase.ts';
import { PlanStateStore } from './runs/plan-state.ts';
import { RepositoryQueue } from './runs/repository-queue.ts';
import type { RunRecord } from './runs/run-record.ts';
import { type RunEvent, RunState } from './runs/run-state.ts';
import { type Clock, systemClock } from './schedule/clock.ts';
import { waitForRepository } from './schedule/network-wait.ts';
import { PauseStore } from './schedule/pause.ts';
import { dueAt } from './schedule/schedule-times.ts';
import { type RunOutcome, Scheduler } from './schedule/scheduler.ts';
import { writeFileAtomic } from './util/atomic-write.ts';
import { errorMessage, UserError } from './util/errors.ts';
import { expandHome } from './util/paths.ts';
import { Redactor } from './util/redactor.ts';

export interface EngineOptions {
  configFile: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => Date) | undefined;
  hooks?: HookDispatcher | undefined;
  platform?: Platform | undefined;
  monitors?: MonitorSenderOptions | undefined;
  /** How long restic may retry a failing backend without progress before the run fails (default 2 min). */
  resticBackendGiveUpMs?: number | undefined;
  /** The OS keychain (desktop app only): where typed-in repository passwords are kept encrypted. */
  keychain?: Keychain | undefined;
  /** Where problems that must not fail a run are told (a monitor not reached, a notification not shown). */
  log?: ((line: string) => void) | undefined;
}

export interface Keychain {
  store(repositoryId: string, password: string): Promise<void>;
  read(repositoryId: string): Promise<string | undefined>;
}

export interface RunOptions {
  trigger?: Trigger | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

export interface RestoreOptions {
  /** An empty folder to restore into (restic's layout under it). */
  target?: string | undefined;
  /** Back to the original paths, by the `overwrite` policy. */
  inPlace?: boolean | undefined;
  overwrite?: OverwritePolicy | undefined;
  include?: string[] | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

export interface HookTestResult extends HookCallResult {
  hook: Hook;
  event: HookEvent;
  workingDir: string;
}

export interface PlanSummary {
  id: string;
  name: string;
  repository: string;
  lastRun: RunRecord | null;
  nextRun: string | null;
}

const WORKING_DIR_DAYS = 2;

function ignoreEvent(_event: RunEvent): void {
  // nobody is listening
}

/** The engine: config, restic, runs and history, with no knowledge of any UI. */
export class Engine {
  readonly dataDir: string;
  readonly history: HistoryStore;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private loaded: LoadedConfig;
  private readonly env: NodeJS.ProcessEnv;
  private readonly keychain: Keychain | undefined;
  private readonly options: EngineOptions;
  private readonly now: () => Date;
  readonly hooks: HookDispatcher;
  readonly platform: Platform;
  private readonly hookRunner: HookRunner;
  readonly notifications: NotificationCenter;
  private readonly monitors: MonitorSender;
  readonly planState: PlanStateStore;
  readonly pauseStore: PauseStore;
  private readonly queue = new RepositoryQueue();
  private restic: Promise<ResticBinary> | undefined;

  private constructor(options: EngineOptions, loaded: LoadedConfig) {
    this.dataDir = options.dataDir;
    this.loaded = loaded;
    this.env = options.env ?? process.env;
    this.keychain = options.keychain;
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.platform = options.platform ?? headlessPlatform();
    this.hookRunner = new HookRunner({ platform: this.platform, settings: () => this.config.settings, env: this.env, now: this.now });
    this.hooks = options.hooks ?? this.hookRunner;
    this.history = new HistoryStore(join(options.dataDir, 'history'));
    this.planState = new PlanStateStore(join(options.dataDir, 'plan-state.json'));
    this.pauseStore = new PauseStore(join(options.dataDir, 'pause.json'));
    this.notifications = new NotificationCenter({
      notifier: this.platform.notifier,
      state: this.planState,
      settings: () => this.config.settings,
      now: this.now,
      log: options.log,
    });
    this.monitors = new MonitorSender({ ...options.monitors, log: options.monitors?.log ?? options.log });
  }

  /** Loads the config and tidies the data dir: crashed runs marked, old history dropped. */
  static async open(options: EngineOptions): Promise<Engine> {
    const loaded = await loadConfig(options.configFile);
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const engine = new Engine(options, loaded);
    const now = engine.now();
    await engine.history.markInterrupted(now);
    await engine.history.prune(new Date(now.getTime() - loaded.config.settings.historyDays * 86_400_000));
    await engine.removeOldWorkingDirs(now);
    return engine;
  }

  get config(): Config {
    return this.loaded.config;
  }

  get configFile(): string {
    return this.loaded.file;
  }

  plan(id: string): Plan {
    const plan = this.config.plans.find((candidate) => candidate.id === id);
    if (!plan) {
      const known = this.config.plans.map((candidate) => candidate.id);
      throw new UserError(`There is no plan "${id}". ${known.length ? `Plans: ${known.join(', ')}.` : `Add one to ${this.configFile}.`}`);
    }
    return plan;
  }

  repository(id: string): Repository {
    const repository = this.config.repositories.find((candidate) => candidate.id === id);
    if (!repository) {
      const known = this.config.repositories.map((candidate) => candidate.id);
      throw new UserError(`There is no repository "${id}". ${known.length ? `Repositories: ${known.join(', ')}.` : `Add one to ${this.configFile}.`}`);
    }
    return repository;
  }

  async listPlans(): Promise<PlanSummary[]> {
    const states = await this.planState.read();
    const now = this.now();
    const summaries: PlanSummary[] = [];
    for (const plan of this.config.plans) {
      const [lastRun] = await this.history.list({ plan: plan.id, limit: 1 });
      const due = dueAt(plan, states[plan.id] ?? {}, now);
      const next = due && due < now ? now : due;
      summaries.push({ id: plan.id, name: plan.name, repository: plan.repository, lastRun: lastRun ?? null, nextRun: next?.toISOString() ?? null });
    }
    return summaries;
  }

  /** Runs a plan once; runs against the same repository wait for each other. */
  async runPlan(planId: string, options: RunOptions = {}): Promise<RunRecord> {
    return (await this.execute(planId, options)).record;
  }

  /** Runs a plan once and tells the scheduler what it needs: may it retry, was it deferred. */
  async execute(planId: string, options: RunOptions = {}): Promise<RunOutcome> {
    const plan = this.plan(planId);
    const repository = this.repository(plan.repository);
    return this.queue.enqueue(repository.id, async () => {
      const listener = options.onEvent ?? ignoreEvent;
      const emit = (event: RunEvent) => {
        if (event.type === 'step-started' && event.kind === 'restic' && event.name === 'backup') this.pingMonitors(plan, 'start');
        listener(event);
        for (const subscriber of this.listeners) subscriber(event);
      };
      const access = await this.accessOrError(repository);
      const run = await this.newRun(plan, repository, access, { trigger: options.trigger ?? 'manual', signal: options.signal, emit, pid: process.pid });
      emit({ type: 'run-started', run: run.record });
      let restic: Restic;
      try {
        if (access instanceof Error) throw access;
        restic = await this.resticFor(repository, access);
        // The last run here died (kill -9, a crash) and left restic's lock behind; a backup alone (a
        // shared lock) would never clear it, so stale locks are removed first. Best effort: the run
        // reports real trouble itself.
        const [previous] = await this.history.list({ repository: repository.id, limit: 1 });
        if (previous?.reason === 'interrupted') await restic.unlock().catch(() => undefined);
      } catch (error) {
        run.permanentFailure = true; // no restic, no password, or no valid repository: retrying cannot help
        const failed = await this.recordFailedStart(run, error);
        emit({ type: 'run-ended', run: failed });
        await this.tell(plan, failed);
        return { record: failed, retryable: false };
      }
      const finished = await executeRun(run, { restic, hooks: this.hooks, history: this.history, planState: this.planState, now: this.now });
      emit({ type: 'run-ended', run: finished });
      await this.tell(plan, finished);
      return { record: finished, retryable: !run.permanentFailure, deferral: run.deferral };
    });
  }

  async initRepository(repositoryId: string): Promise<{ output: string }> {
    const repository = this.repository(repositoryId);
    const restic = await this.resticFor(repository);
    const result = await this.queue.enqueue(repository.id, () => restic.init());
    return { output: result.invocations.map((invocation) => invocation.output).join('') };
  }

  async checkRepository(repositoryId: string): Promise<{ ok: boolean; output: string }> {
    const restic = await this.resticFor(this.repository(repositoryId));
    try {
      const result = await this.queue.enqueue(repositoryId, () => restic.check());
      return { ok: true, output: result.invocations.map((invocation) => invocation.output).join('') };
    } catch (error) {
      if (error instanceof ResticError) return { ok: false, output: `${error.message}\n${error.invocations.map((invocation) => invocation.output).join('')}` };
      throw error;
    }
  }

  async unlockRepository(repositoryId: string): Promise<void> {
    const restic = await this.resticFor(this.repository(repositoryId));
    await this.queue.enqueue(repositoryId, () => restic.unlock());
  }

  async snapshots(planId: string): Promise<Snapshot[]> {
    const plan = this.plan(planId);
    const restic = await this.resticFor(this.repository(plan.repository));
    return restic.snapshots({ tags: planTags(plan.id) });
  }

  async browse(planId: string, snapshot: string, path?: string): Promise<SnapshotEntry[]> {
    const plan = this.plan(planId);
    const restic = await this.resticFor(this.repository(plan.repository));
    return restic.ls(snapshot, { path, tags: snapshot === 'latest' ? planTags(plan.id) : undefined });
  }

  /**
   * Restores a snapshot of a plan, wrapped in restore.before / restore.after hooks: into an
   * empty `target` (restic's layout: the snapshot's absolute paths recreated under it), or
   * `inPlace` back to the original paths by an `overwrite` policy. A target over live data
   * (`/`, a plan's source, a folder holding one or inside one, a non-empty folder, wherever a
   * symlink points) is refused before anything runs, as is a snapshot id that is not one.
   */
  async restore(planId: string, snapshot: string, options: RestoreOptions): Promise<RunRecord> {
    const plan = this.plan(planId);
    checkedSnapshotId(snapshot);
    if ((options.target === undefined) === !options.inPlace)
      throw new RestoreRefusedError('Give exactly one of a target folder (--target DIR) or --in-place (back to the original location).');
    if (options.inPlace && !options.overwrite)
      throw new RestoreRefusedError('--in-place needs an --overwrite policy: never (keep existing files), if-newer or always.');
    if (!options.inPlace && options.overwrite)
      throw new RestoreRefusedError('--overwrite applies to --in-place only; a target folder must be empty, so nothing there is overwritten.');
    const target =
      options.target === undefined
        ? undefined
        : await checkRestoreTarget(
            options.target,
            this.config.plans.map((candidate) => ({ plan: candidate.id, sources: candidate.sources.map((source) => expandHome(source)) })),
          );
    const repository = this.repository(plan.repository);
    const access = await this.access(repository);
    const restic = await this.resticFor(repository, access);
    const run = await this.newRun(plan, repository, access, {
      trigger: 'manual',
      signal: options.signal,
      emit: options.onEvent ?? ignoreEvent,
      snapshotId: snapshot,
    });
    const { record } = run;
    const tags = snapshot === 'latest' ? planTags(plan.id) : undefined;
    const restoreInto = async (folder: string, overwrite?: OverwritePolicy) => {
      try {
        const result = await restic.restore({ snapshot, target: folder, include: options.include, tags, overwrite, signal: run.signal });
        for (const invocation of result.invocations) run.addStep(resticRunStep(invocation));
      } catch (error) {
        if (error instanceof ResticError) for (const invocation of error.invocations) run.addStep(resticRunStep(invocation));
        throw error;
      }
    };
    await this.queue.enqueue(repository.id, () =>
      runPhase('restore', run, this.hooks, async () => {
        if (target !== undefined) {
          await mkdir(target, { recursive: true });
          await restoreInto(target);
        } else if (restic.canOverwrite) {
          await restoreInto('/', options.overwrite);
        } else {
          // restic before 0.17 cannot overwrite by a policy: restore next to the data, then move in by ours.
          const scratch = await this.scratchBeside(
            plan.sources.map((source) => expandHome(source)),
            run.workingDir,
          );
          try {
            await restoreInto(scratch);
            const started = Date.now();
            const counts = await mergeRestored(scratch, options.overwrite!);
            run.addStep({
              kind: 'restic',
              name: 'restore in place',
              event: null,
              status: 'success',
              exitCode: 0,
              startedAt: new Date(started).toISOString(),
              durationMs: Date.now() - started,
              output: `Put back ${counts.written} item(s); kept ${counts.kept} existing one(s) (--overwrite ${options.overwrite}).\n`,
            });
          } finally {
            await rm(scratch, { recursive: true, force: true });
          }
        }
      }),
    );
    Object.assign(record, { status: run.status, reason: run.reason, endedAt: this.now().toISOString() });
    return record;
  }

  /** A private folder on the same filesystem as the plan's first source (so moves are renames), else in the run's folder. */
  private async scratchBeside(sources: string[], fallback: string): Promise<string> {
    for (const source of sources) {
      const parent = dirname(await whereItPoints(source));
      const folder = await mkdtemp(join(parent, '.lifeboat-restore-')).catch(() => undefined);
      if (folder) return folder;
    }
    return mkdtemp(join(fallback, 'restore-'));
  }

  /**
   * Runs one hook of a plan with sample variables, as `lifeboat hooks test` and the hook
   * editor's Test run do: no backup, whatever its filters (states, appliesTo, enabled) say.
   */
  async testHook(
    planId: string,
    hookId: string | Hook,
    options: { event?: HookEvent | undefined; onEvent?: ((event: RunEvent) => void) | undefined } = {},
  ): Promise<HookTestResult> {
    const plan = this.plan(planId);
    // A hook object is one being edited and not saved yet.
    const hook = typeof hookId === 'string' ? plan.hooks.find((candidate) => candidate.id === hookId) : hookId;
    if (!hook) {
      const known = plan.hooks.map((candidate) => candidate.id);
      throw new UserError(`Plan "${planId}" has no hook "${hookId}". ${known.length ? `Its hooks: ${known.join(', ')}.` : 'It has no hooks yet.'}`);
    }
    const event = options.event ?? hook.on[0]!;
    if (!hook.on.includes(event))
      throw new UserError(`Hook "${hook.id}" is not bound to ${event}; it runs on ${hook.on.join(', ')}. Use one of those with --event.`);
    const repository = this.repository(plan.repository);
    const access = await this.accessOrError(repository);
    const sampleSnapshot = event === 'backup.after' || event.startsWith('prune.') || event.startsWith('check.') || event === 'run.end';
    const run = await this.newRun(plan, repository, access, {
      trigger: 'manual',
      emit: options.onEvent ?? ignoreEvent,
      snapshotId: sampleSnapshot ? '0123abcd' : null,
    });
    const result = await this.hookRunner.call(hook, event, run);
    return { hook, event, ...result, workingDir: run.workingDir };
  }

  /** A new run: its ULID, its private working folder, its record, and a redactor that knows its secrets. */
  private async newRun(
    plan: Plan,
    repository: Repository,
    access: ResticAccess | Error,
    options: { trigger: Trigger; signal?: AbortSignal | undefined; emit: (event: RunEvent) => void; snapshotId?: string | null; pid?: number },
  ): Promise<RunState> {
    const id = ulid();
    const workingDir = join(this.dataDir, 'work', id);
    await mkdir(workingDir, { recursive: true, mode: 0o700 });
    const record: RunRecord = {
      id,
      plan: plan.id,
      repository: repository.id,
      trigger: options.trigger,
      status: 'running',
      reason: null,
      startedAt: this.now().toISOString(),
      endedAt: null,
      snapshotId: options.snapshotId ?? null,
      steps: [],
      summary: null,
      ...(options.pid === undefined ? {} : { pid: options.pid }),
    };
    const redactor = access instanceof Error ? new Redactor() : access.redactor;
    // Monitor URLs are secrets too (anyone with one can send fake pings).
    for (const monitor of plan.monitors) redactor.addUrl(monitor.url).add(monitor.url);
    return new RunState({ record, plan, repository, signal: options.signal ?? new AbortController().signal, workingDir, emit: options.emit, redactor });
  }

  /** Every event of every run this engine executes (the UI's live view); returns the unsubscribe. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The config as written (the form to edit), not the normalised one. */
  get rawConfig(): Record<string, unknown> {
    return structuredClone(this.loaded.raw);
  }

  /** Validates, writes atomically (0600) and takes the new config into use. */
  async saveConfig(raw: Record<string, unknown>): Promise<SaveResult> {
    const result = await saveConfig(this.configFile, raw);
    this.loaded = { ...this.loaded, exists: true, raw: structuredClone(raw), config: result.config };
    return result;
  }

  /**
   * Keeps a repository password the person typed in the UI: a private file in the data dir,
   * for `passwordFile`. The password never goes back to the UI.
   */
  async storeRepositoryPassword(repositoryId: string, password: string): Promise<{ passwordKeychain: true } | { passwordFile: string }> {
    if (this.keychain) {
      await this.keychain.store(repositoryId, password);
      return { passwordKeychain: true };
    }
    const folder = join(this.dataDir, 'secrets');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const file = join(folder, `${repositoryId}.password`);
    await writeFileAtomic(file, password, 0o600);
    return { passwordFile: file };
  }

  /** Monitor pings still on their way; the CLI waits for them before it exits. */
  flushMonitors(): Promise<void> {
    return this.monitors.flush();
  }

  /** Monitors and the desktop hear how a run ended. Neither can change or delay its outcome. */
  private async tell(plan: Plan, run: RunRecord): Promise<void> {
    this.pingMonitors(plan, 'end', run);
    await this.notifications.afterRun(plan, run);
  }

  private pingMonitors(plan: Plan, phase: 'start' | 'end', run?: RunRecord): void {
    for (const monitor of plan.monitors) {
      const request = phase === 'start' ? startRequest(monitor) : endRequest(monitor, plan, run!);
      if (request) this.monitors.send(request);
    }
  }

  /** The scheduler for this engine's plans (the daemon, `serve` and the app each run one). */
  createScheduler(
    options: { clock?: Clock | undefined; log?: ((line: string) => void) | undefined; waitForNetwork?: ((plan: Plan) => Promise<void>) | undefined } = {},
  ): Scheduler {
    return new Scheduler({
      plans: () => this.config.plans,
      run: (planId, trigger, signal) => this.execute(planId, { trigger, signal }),
      state: this.planState,
      pause: this.pauseStore,
      clock: options.clock ?? systemClock,
      log: options.log,
      waitForNetwork: options.waitForNetwork ?? (async (plan) => void (await waitForRepository(this.repository(plan.repository).url))),
    });
  }

  private async access(repository: Repository): Promise<ResticAccess> {
    const keychainPassword = repository.passwordKeychain ? await this.keychain?.read(repository.id) : undefined;
    if (repository.passwordKeychain && this.keychain && keychainPassword === undefined) {
      throw new UserError(`The keychain holds no password for repository "${repository.id}". Enter it again in Repositories.`);
    }
    return resticAccess(repository, this.env, keychainPassword);
  }

  private async accessOrError(repository: Repository): Promise<ResticAccess | Error> {
    try {
      return await this.access(repository);
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
  }

  private async resticFor(repository: Repository, given?: ResticAccess): Promise<Restic> {
    const access = given ?? (await this.access(repository));
    this.restic ??= locateRestic(this.config.settings.resticPath, this.env);
    let binary: ResticBinary;
    try {
      binary = await this.restic;
    } catch (error) {
      this.restic = undefined; // installing restic later must not need a restart
      throw error;
    }
    return new Restic({ binary: binary.path, version: binary.version, access, processEnv: this.env, backendGiveUpMs: this.options.resticBackendGiveUpMs });
  }

  private async recordFailedStart(run: RunState, error: unknown): Promise<RunRecord> {
    if (!(error instanceof UserError)) throw error;
    run.fail(errorMessage(error));
    await this.history.append(run.record);
    try {
      await this.hooks.dispatch('run.end', run); // every run that started gets its run.end
    } catch (hookError) {
      run.warn(errorMessage(hookError));
    }
    await Promise.allSettled(run.pendingAsync);
    Object.assign(run.record, { status: run.status, reason: run.reason, endedAt: this.now().toISOString() });
    await this.history.append(run.record);
    return run.record;
  }

  /** Per-run scratch folders are kept for two days, for a look after a failure. */
  private async removeOldWorkingDirs(now: Date): Promise<void> {
    const folder = join(this.dataDir, 'work');
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch {
      return; // no run has made one yet
    }
    for (const entry of entries) {
      const path = join(folder, entry);
      const info = await stat(path).catch(() => undefined);
      if (info && now.getTime() - info.mtimeMs > WORKING_DIR_DAYS * 86_400_000) await rm(path, { recursive: true, force: true });
    }
  }
}
