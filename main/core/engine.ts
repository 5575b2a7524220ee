import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckedConfig } from './config/checked-config.ts';
import { watchConfigFile } from './config/config-watch.ts';
import { VERIFY_SAMPLE_BOUNDS, VERIFY_SAMPLE_DEFAULT } from './config/limits.ts';
import type { HookEvent, Trigger } from './config/schema.ts';
import { ConfigInvalidError, ConfigParseError, currentRevision, type LoadedConfig, loadConfig, type SaveResult, saveConfig } from './config/store.ts';
import type { Config, Hook, Plan, Repository } from './config/types.ts';
import type { Problem } from './config/validate.ts';
import { HistoryStore } from './history/history-store.ts';
import { RepositorySizes } from './history/repository-sizes.ts';
import { type RunChanges, RunChangesStore } from './history/run-changes.ts';
import { type HookCallResult, HookRunner } from './hooks/hook-runner.ts';
import { type HookVerdict, hookVerdict } from './hooks/hook-verdict.ts';
import { removeOldWorkingDirs } from './hooks/working-dirs.ts';
import { countRuns } from './metrics/counters.ts';
import { pushAfterEachRun } from './metrics/push-after-run.ts';
import { MetricsPusher } from './metrics/pushgateway.ts';
import { MonitorSender, type MonitorSenderOptions } from './notify/monitors.ts';
import { NotificationCenter } from './notify/notification-center.ts';
import { StaleAlarm } from './notify/stale-alarm.ts';
import type { Staleness } from './notify/staleness.ts';
import { headlessPlatform } from './platform/headless.ts';
import { awakeUnavailable, type Platform } from './platform/platform.ts';
import { type ResticAccess, resticAccess } from './restic/credentials.ts';
import type { SnapshotDiff } from './restic/diff.ts';
import { locateRestic, type ResticBinary } from './restic/locate.ts';
import type { Snapshot, SnapshotEntry } from './restic/messages.ts';
import { type ProbeResult, type RepositoryPlace, RepositoryService } from './restic/repository-service.ts';
import { readRepositorySize } from './restic/repository-size.ts';
import { type OverwritePolicy, Restic } from './restic/restic.ts';
import { listPlanSnapshot } from './restic/restic-read.ts';
import type { RestorePreview } from './restic/restore-preview.ts';
import { checkRestoreTarget, RestoreRefusedError } from './restic/restore-target.ts';
import { checkedSnapshotId } from './restic/snapshot-id.ts';
import { checkUnderSources, type RestoredVersion } from './restic/versions.ts';
import { RunChangesService } from './run-changes-service.ts';
import { backupPhases, planTags } from './runs/backup-run.ts';
import { type CopyDependencies, copyAfterBackup, copyPhase } from './runs/copy-run.ts';
import type { HookDispatcher } from './runs/hook-dispatcher.ts';
import { PlanStateStore } from './runs/plan-state.ts';
import { RepositoryLocks } from './runs/repository-lock.ts';
import { RepositoryQueue } from './runs/repository-queue.ts';
import { restoreSnapshot } from './runs/restore-run.ts';
import { RunLifecycle } from './runs/run-lifecycle.ts';
import type { RunRecord } from './runs/run-record.ts';
import type { RunEvent, RunState } from './runs/run-state.ts';
import { type Clock, systemClock } from './schedule/clock.ts';
import { waitForRepository } from './schedule/network-wait.ts';
import { PauseStore } from './schedule/pause.ts';
import { ScheduleMemory } from './schedule/schedule-memory.ts';
import { dueAt } from './schedule/schedule-times.ts';
import { type RunOutcome, Scheduler } from './schedule/scheduler.ts';
import { SNOOZE_MS, SnoozeStore } from './schedule/snooze.ts';
import { SnapshotAnswers } from './snapshot-answers.ts';
import { writeFileAtomic } from './util/atomic-write.ts';
import { errorMessage, UserError } from './util/errors.ts';
import { expandHome } from './util/paths.ts';
import { Redactor } from './util/redactor.ts';
import { newSeed } from './verify/sample-files.ts';
import { isVerifyDue } from './verify/verify-due.ts';
import { type VerifyTools, verifyRestore } from './verify/verify-run.ts';

/** The `restic version` answers of the binaries seen, so a run does not ask again (see locateRestic). */
const RESTIC_VERSIONS = 'restic-versions.json';

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
  /** The most all kept per-run working folders may hold together (default 1 GiB); the oldest go first. */
  workingDirsMaxBytes?: number | undefined;
  /** Where problems that must not fail a run are told (a monitor not reached, a notification not shown). */
  log?: ((line: string) => void) | undefined;
}

/** What a look at the config file on disk found. */
export interface ConfigReload {
  /** A new valid config was taken into use. */
  changed: boolean;
  /** The file on disk has problems: the last good config stays in use. Empty when it is fine. */
  problems: Problem[];
}

export interface Keychain {
  store(repositoryId: string, password: string): Promise<void>;
  read(repositoryId: string): Promise<string | undefined>;
}

export interface RunOptions {
  trigger?: Trigger | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** False when `onEvent` ignores hook output (see WithRunOptions.output). */
  output?: boolean | undefined;
}

export interface VerifyOptions {
  /** How many files (1–1000); default the plan's `verify.sample`, else 20. */
  sample?: number | undefined;
  /** Reproduces an earlier check's sample (its record keeps the seed). */
  seed?: number | undefined;
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
  /** Who started it: a person in the app (`manual`, the default) or `lifeboat` on the command line (`cli`). */
  trigger?: 'manual' | 'cli' | undefined;
}

export interface HookTestResult extends HookCallResult {
  hook: Hook;
  verdict: HookVerdict;
  event: HookEvent;
  workingDir: string;
}

/** A plan as `lifeboat plans` lists it, with its last run as recorded (the API's PlanSummary is built from it). */
export interface PlanOverview {
  id: string;
  name: string;
  repository: string;
  lastRun: RunRecord | null;
  nextRun: string | null;
}

/** The engine: config, restic, runs and history, with no knowledge of any UI. */
export class Engine {
  readonly dataDir: string;
  readonly history: HistoryStore;
  /** The repositories' sizes over time, for the plan charts. */
  readonly repositorySizes: RepositorySizes;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  /** The listeners that read hook output (output events). */
  private readonly outputListeners = new Set<(event: RunEvent) => void>();
  private loaded: LoadedConfig;
  /** The revision of the config file as last seen on disk, valid or not. */
  private diskRevision: string;
  private diskProblems: Problem[] = [];
  private reloading: Promise<unknown> = Promise.resolve();
  private readonly env: NodeJS.ProcessEnv;
  private readonly keychain: Keychain | undefined;
  private readonly options: EngineOptions;
  /** The time as the engine sees it (a fake clock in tests). */
  readonly now: () => Date;
  readonly hooks: HookDispatcher;
  readonly platform: Platform;
  private readonly hookRunner: HookRunner;
  readonly notifications: NotificationCenter;
  private readonly monitors: MonitorSender;
  /** Pushes the exposition to `settings.metrics.pushgateway` after each backup run. */
  private readonly metricsPusher: MetricsPusher;
  readonly planState: PlanStateStore;
  readonly pauseStore: PauseStore;
  /** Plans snoozed from a notification: no scheduled run and no notification until the time kept. */
  readonly snoozes: SnoozeStore;
  /** No successful backup for a plan's alertAfter: told once a day on the desktop, to monitors and UIs. */
  readonly staleAlarm: StaleAlarm;
  private readonly staleListeners = new Set<() => void>();
  private readonly queue: RepositoryQueue;
  /** Every run's start, hooks around it, end record, notifications and monitors. */
  readonly runs: RunLifecycle;
  private readonly repositoryService: RepositoryService;
  private restic: Promise<ResticBinary> | undefined;
  /** Plans with a run under way, as this engine's own events tell it: exact when run-ended goes out. */
  private readonly running = new Set<string>();
  /** What each backup run changed: worked out on request or in the background, never on the run's clock. */
  readonly changes: RunChangesService;
  /** Restore checks under way or waiting for their repository, by plan: one at a time, each cancellable. */
  private readonly verifying = new Map<string, AbortController>();

  private constructor(options: EngineOptions, loaded: LoadedConfig) {
    this.dataDir = options.dataDir;
    // SPEC §3: never two runs against one repository at once, whichever Lifeboat process starts them.
    this.queue = new RepositoryQueue(
      new RepositoryLocks(join(options.dataDir, 'locks'), {
        onWait: (repository, holder) =>
          options.log?.(`Waiting for another Lifeboat (PID ${holder.pid}, since ${holder.since}) to finish with repository "${repository}"…`),
      }),
    );
    this.loaded = loaded;
    this.diskRevision = loaded.revision;
    this.env = options.env ?? process.env;
    this.keychain = options.keychain;
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.platform = options.platform ?? headlessPlatform(this.env, options.log);
    this.hookRunner = new HookRunner({
      platform: this.platform,
      settings: () => this.config.settings,
      repositories: () => this.config.repositories,
      env: this.env,
      now: this.now,
    });
    this.hooks = options.hooks ?? this.hookRunner;
    this.history = new HistoryStore(join(options.dataDir, 'history'));
    this.repositorySizes = new RepositorySizes({
      file: join(options.dataDir, 'history', 'repository-sizes.jsonl'),
      now: this.now,
      historyDays: () => this.config.settings.historyDays,
    });
    this.planState = new PlanStateStore(join(options.dataDir, 'plan-state.json'));
    this.pauseStore = new PauseStore(join(options.dataDir, 'pause.json'));
    this.snoozes = new SnoozeStore(join(options.dataDir, 'snooze.json'));
    this.notifications = new NotificationCenter({
      notifier: this.platform.notifier,
      state: this.planState,
      settings: () => this.config.settings,
      now: this.now,
      log: options.log,
      silenced: (planId) => this.snoozes.snoozedUntil(planId, this.now()) !== undefined,
    });
    this.monitors = new MonitorSender({ ...options.monitors, log: options.monitors?.log ?? options.log });
    this.metricsPusher = new MetricsPusher({ timeoutMs: options.monitors?.timeoutMs, log: options.monitors?.log ?? options.log });
    this.staleAlarm = new StaleAlarm({
      plans: () => this.config.plans,
      planState: this.planState,
      history: this.history,
      notifications: this.notifications,
      monitors: this.monitors,
      now: this.now,
      log: options.log,
      changed: () => {
        for (const listener of this.staleListeners) listener();
      },
    });
    this.runs = new RunLifecycle({
      workRoot: join(options.dataDir, 'work'),
      history: this.history,
      hooks: this.hooks,
      planState: this.planState,
      notifications: this.notifications,
      monitors: this.monitors,
      queue: this.queue,
      repository: (id) => this.repository(id),
      broadcast: (event) => {
        for (const subscriber of this.listeners) subscriber(event);
      },
      broadcastHearsOutput: () => this.outputListeners.size > 0,
      now: this.now,
      workingDirsMaxBytes: options.workingDirsMaxBytes,
      log: options.log,
      keepAwake: (reason) => (this.platform.awake ?? awakeUnavailable('this platform offers no way to keep the machine awake')).keepAwake(reason),
    });
    this.repositoryService = new RepositoryService({
      restic: (repository, access) => this.resticFor(repository, access),
      binary: () => this.resticBinary(),
      access: (repository) => this.access(repository),
      queue: this.queue,
      env: this.env,
    });
    this.changes = new RunChangesService({ answers: () => this.snapshotAnswers, history: this.history, log: options.log });
    // The first subscriber: every other one already sees the set as the event leaves it.
    this.subscribe(
      (event) => {
        if (event.type === 'run-started') this.running.add(event.run.plan);
        if (event.type === 'run-ended') this.running.delete(event.run.plan);
      },
      { output: false },
    );
  }

  /** Whether a run of the plan is under way now. */
  isRunning(planId: string): boolean {
    return this.running.has(planId);
  }

  /** Loads the config and tidies the data dir: crashed runs marked, old history dropped. */
  static async open(options: EngineOptions): Promise<Engine> {
    const loaded = await loadConfig(options.configFile, { checked: checkedConfig(options.dataDir) });
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const engine = new Engine(options, loaded);
    const now = engine.now();
    await engine.history.markInterrupted(now);
    await engine.snoozes.load();
    engine.subscribe(await countRuns(options.dataDir, engine.history), { output: false }); // before pruning: lifeboat_runs_total never goes back
    engine.subscribe(pushAfterEachRun(engine, engine.metricsPusher), { output: false }); // after the counters: the push carries this run
    await engine.history.prune(new Date(now.getTime() - loaded.config.settings.historyDays * 86_400_000));
    await removeOldWorkingDirs(join(options.dataDir, 'work'), now, options.workingDirsMaxBytes);
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
      throw new UserError(`There is no plan "${id}". ${known.length ? `Plans: ${known.join(', ')}.` : `Add one to ${this.configFile}.`}`, {
        kind: 'not-found',
      });
    }
    return plan;
  }

  repository(id: string): Repository {
    const repository = this.config.repositories.find((candidate) => candidate.id === id);
    if (!repository) {
      const known = this.config.repositories.map((candidate) => candidate.id);
      throw new UserError(`There is no repository "${id}". ${known.length ? `Repositories: ${known.join(', ')}.` : `Add one to ${this.configFile}.`}`, {
        kind: 'not-found',
      });
    }
    return repository;
  }

  async listPlans(): Promise<PlanOverview[]> {
    const states = await this.planState.read();
    const now = this.now();
    const summaries: PlanOverview[] = [];
    const latest = await this.history.latestByPlan(); // kept beside the history: no plan costs a scan
    for (const plan of this.config.plans) {
      const lastRun = latest.get(plan.id)?.lastRun;
      const due = dueAt(plan, states[plan.id] ?? {}, now);
      const snoozedUntil = this.snoozes.snoozedUntil(plan.id, now);
      let next = due && due < now ? now : due;
      if (next && snoozedUntil && next < snoozedUntil) next = snoozedUntil;
      summaries.push({ id: plan.id, name: plan.name, repository: plan.repository, lastRun: lastRun ?? null, nextRun: next?.toISOString() ?? null });
    }
    return summaries;
  }

  /**
   * "Snooze 1 h": for an hour, none of the plan's scheduled runs or retries starts (what falls due
   * meanwhile runs once when it ends) and it sends no desktop notification. Kept in the data dir.
   */
  async snooze(planId: string): Promise<Date> {
    this.plan(planId);
    const now = this.now();
    const until = new Date(now.getTime() + SNOOZE_MS);
    await this.snoozes.snooze(planId, until, now);
    return until;
  }

  async unsnooze(planId: string): Promise<void> {
    this.plan(planId);
    await this.snoozes.clear(planId, this.now());
  }

  /** Each plan's staleness now (null: backed up recently enough). */
  staleness(): Promise<Map<string, Staleness | null>> {
    return this.staleAlarm.overview();
  }

  /** Hears when a plan becomes stale or stops being so; returns the unsubscribe. */
  onStaleChange(listener: () => void): () => void {
    this.staleListeners.add(listener);
    return () => this.staleListeners.delete(listener);
  }

  /** Runs a plan once; runs against the same repository wait for each other. */
  async runPlan(planId: string, options: RunOptions = {}): Promise<RunRecord> {
    return (await this.execute(planId, options)).record;
  }

  /** Runs a plan once and tells the scheduler what it needs: may it retry, was it deferred. */
  async execute(planId: string, options: RunOptions = {}): Promise<RunOutcome> {
    const plan = this.plan(planId);
    const repository = this.repository(plan.repository);
    const access = once(() => this.accessOrError(repository));
    let restic: Restic | undefined;
    const phases = async (run: RunState) => {
      await backupPhases(run, { restic: restic!, hooks: this.hooks, history: this.history, planState: this.planState, now: this.now });
      const opened = await access();
      if (!(opened instanceof Error)) await copyAfterBackup(run, this.copyDependencies(restic!, opened));
    };
    const finished = await this.runs.withRun('backup', plan, options.trigger ?? 'manual', phases, {
      signal: options.signal,
      onEvent: options.onEvent,
      output: options.output,
      redactor: async () => redactorOf(await access()),
      prepare: async (run) => {
        try {
          const opened = await access();
          if (opened instanceof Error) throw opened;
          restic = await this.resticFor(repository, opened);
        } catch (error) {
          run.permanentFailure = true; // no restic, no password, or no valid repository: retrying cannot help
          throw error;
        }
        // The last run here died (kill -9, a crash) and left restic's lock behind; a backup alone (a
        // shared lock) would never clear it, so stale locks are removed first. Best effort: the run
        // reports real trouble itself.
        const previous = await this.history.lastRunOfRepository(repository.id);
        if (previous?.reason === 'interrupted') await restic.unlock().catch(() => undefined);
      },
    });
    this.verifyAfter(plan, finished.record, options.signal);
    return { record: finished.record, retryable: !finished.permanentFailure, deferral: finished.deferral };
  }

  /**
   * A restore check (a `verify` run): a sample of the latest snapshot's files restored into the
   * run's scratch folder with restic's --verify and compared with the live files that have not
   * changed since. Queued, hooked (run.start, run.end), recorded and, when it fails, told like a
   * backup; the plan's state keeps its outcome (`lastVerify`) for the card and the next one's time.
   */
  async verifyPlan(planId: string, options: VerifyOptions = {}): Promise<RunRecord> {
    const plan = this.plan(planId);
    const repository = this.repository(plan.repository);
    const sample = options.sample ?? plan.verify?.sample ?? VERIFY_SAMPLE_DEFAULT;
    const [fewest, most] = VERIFY_SAMPLE_BOUNDS;
    if (!Number.isInteger(sample) || sample < fewest || sample > most)
      throw new UserError(`A restore check samples ${fewest} to ${most} files; ${sample} is not that many. Give a whole number such as 20.`);
    if (this.verifying.has(plan.id)) throw new UserError(`A restore check of ${plan.name} is under way already; wait for it to end.`, { kind: 'busy' });
    const controller = new AbortController();
    const stop = () => controller.abort();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    this.verifying.set(plan.id, controller);
    try {
      const access = once(() => this.accessOrError(repository));
      let tools: VerifyTools | undefined;
      const finished = await this.runs.withRun(
        'verify',
        plan,
        options.trigger ?? 'manual',
        (run) => verifyRestore(run, tools!, { sample, seed: options.seed ?? newSeed() }),
        {
          signal: controller.signal,
          onEvent: options.onEvent,
          redactor: async () => redactorOf(await access()),
          prepare: async (run) => {
            const opened = await access();
            if (opened instanceof Error) throw opened;
            const restic = await this.resticFor(repository, opened);
            tools = { restic, reader: { binary: (await this.resticBinary()).path, access: opened, processEnv: this.env, signal: run.signal } };
          },
        },
      );
      const record = finished.record;
      // Only a check that reached a snapshot and ended counts: a skipped, cancelled or unreachable one is tried again after the next backup.
      if (record.verify?.snapshotId && (record.status === 'success' || record.status === 'failure')) {
        const lastVerify = {
          run: record.id,
          status: record.status,
          verified: record.verify.verified,
          sampled: record.verify.sampled,
          endedAt: record.endedAt ?? this.now().toISOString(),
        };
        await this.planState
          .update(plan.id, { lastVerify })
          .catch((error: unknown) => this.options.log?.(`${plan.id}: the restore check's outcome was not kept: ${errorMessage(error)}`));
      }
      return record;
    } finally {
      options.signal?.removeEventListener('abort', stop);
      this.verifying.delete(plan.id);
    }
  }

  /** Starts a restore check without waiting for it (the API's plans.verify); false when one is under way already. */
  startVerify(planId: string, options: Omit<VerifyOptions, 'signal' | 'onEvent'> = {}): boolean {
    this.plan(planId);
    if (this.verifying.has(planId)) return false;
    const pending = this.verifyPlan(planId, options).then(
      () => undefined,
      (error: unknown) => this.options.log?.(`${planId}: the restore check did not run: ${errorMessage(error)}`),
    );
    this.runs.track(pending);
    return true;
  }

  /** Cancels the plan's restore check, if one is under way or waiting; true when there was one. */
  cancelVerify(planId: string): boolean {
    const controller = this.verifying.get(planId);
    controller?.abort();
    return controller !== undefined;
  }

  /**
   * The rule for automatic checks: once `verify.every` has passed since the plan's last check, one
   * runs right after its next successful backup (the snapshot just made is the one checked). No
   * timer of its own: a plan that makes no backups has no new snapshot to check.
   */
  private verifyAfter(plan: Plan, backup: RunRecord, signal: AbortSignal | undefined): void {
    const every = plan.verify?.every;
    if (!every || !backup.snapshotId || (backup.status !== 'success' && backup.status !== 'warning')) return;
    const pending = this.planState
      .get(plan.id)
      .then(async (state) => {
        if (!isVerifyDue(every, state.lastVerify, this.now()) || this.verifying.has(plan.id) || signal?.aborted) return;
        await this.verifyPlan(plan.id, { trigger: backup.trigger, signal });
      })
      .catch((error: unknown) => this.options.log?.(`${plan.id}: the restore check after run ${backup.id} did not run: ${errorMessage(error)}`));
    this.runs.track(pending);
  }

  /**
   * `restic init` of a configured repository. One that plans copy to (copyTo) takes the chunker
   * parameters of the first such plan's repository, so copied data deduplicates there.
   */
  async initRepository(repositoryId: string): Promise<{ output: string; chunkerFrom: string | null }> {
    const repository = this.repository(repositoryId);
    const source = this.config.plans.find((plan) => (plan.copyTo ?? []).some((target) => target.repository === repositoryId))?.repository;
    const from = source === undefined ? undefined : this.repository(source);
    try {
      const result = await this.repositoryService.init(repository, from && (await this.access(from)));
      return { ...result, chunkerFrom: from?.id ?? null };
    } catch (error) {
      if (!from || !(error instanceof UserError)) throw error;
      throw new UserError(
        `Repository "${repositoryId}" is made with the chunker parameters of "${from.id}" (a plan copies from there to here), and that failed: ${error.message} If "${from.id}" is not initialised yet, run "lifeboat init ${from.id}" first.`,
        { kind: error.kind, cause: error },
      );
    }
  }

  /**
   * `lifeboat copy <plan> --to <repository>`: a run of kind copy, copy.before → restic copy of
   * the plan's snapshots the repository lacks (in that repository's queue only) and its own
   * retention from the plan's copyTo, if listed there → copy.after.
   */
  async copyPlan(planId: string, to: string, options: RunOptions = {}): Promise<RunRecord> {
    const plan = this.plan(planId);
    const target = this.repository(to);
    if (target.id === plan.repository) {
      const others = this.config.repositories.filter((candidate) => candidate.id !== plan.repository).map((candidate) => candidate.id);
      throw new UserError(
        `Repository "${to}" is plan "${planId}"'s own repository; copy to another one${others.length ? ` (${others.join(', ')})` : ' (add a second repository first)'}.`,
        { kind: 'usage' },
      );
    }
    const repository = this.repository(plan.repository);
    const access = await this.access(repository);
    const restic = await this.resticFor(repository, access);
    const copyTarget = (plan.copyTo ?? []).find((candidate) => candidate.repository === to) ?? { repository: to };
    const run = await this.runs.withRun(
      'copy',
      plan,
      options.trigger ?? 'manual',
      (run) => copyPhase(run, this.copyDependencies(restic, access), [copyTarget]),
      {
        signal: options.signal,
        onEvent: options.onEvent,
        redactor: async () => access.redactor,
      },
    );
    return run.record;
  }

  /** What a copy needs: the source as opened for the run, and each target opened when its turn comes. */
  private copyDependencies(source: Restic, sourceAccess: ResticAccess): CopyDependencies {
    return {
      hooks: this.hooks,
      queue: this.queue,
      source: { restic: source, access: sourceAccess },
      target: async (id) => {
        const repository = this.repository(id);
        const access = await this.access(repository);
        return { repository, access, restic: await this.resticFor(repository, access) };
      },
    };
  }

  async checkRepository(repositoryId: string): Promise<{ ok: boolean; output: string }> {
    return this.repositoryService.check(this.repository(repositoryId));
  }

  /** Does `password` open the repository at `place`, or is there none yet (before it is in the config). */
  async probeRepository(place: RepositoryPlace, password: string): Promise<ProbeResult> {
    return this.repositoryService.probe(place, password);
  }

  /** Does a configured repository's own password open `place` (its URL or credentials being edited)? */
  async probeRepositoryAs(repositoryId: string, place: RepositoryPlace): Promise<ProbeResult> {
    return this.repositoryService.probeAs(this.repository(repositoryId), place);
  }

  async initialiseRepositoryAt(place: RepositoryPlace, password: string): Promise<void> {
    await this.repositoryService.initialiseAt(place, password);
  }

  /** The restic program at `path` (null: the one on PATH), checked: it runs and is new enough. */
  checkResticProgram(path: string | null): Promise<ResticBinary> {
    return locateRestic(path, this.env, { cacheFile: join(this.dataDir, RESTIC_VERSIONS) });
  }

  /** The restic program in use now. */
  resticBinary(): Promise<ResticBinary> {
    this.restic ??= locateRestic(this.config.settings.resticPath, this.env, { cacheFile: join(this.dataDir, RESTIC_VERSIONS) });
    return this.restic.catch((error: unknown) => {
      this.restic = undefined; // installing restic later must not need a restart
      throw error;
    });
  }

  async unlockRepository(repositoryId: string): Promise<void> {
    await this.repositoryService.unlock(this.repository(repositoryId));
  }

  async snapshots(planId: string): Promise<Snapshot[]> {
    const plan = this.plan(planId);
    const restic = await this.resticFor(this.repository(plan.repository));
    return restic.snapshots({ tags: planTags(plan.id) });
  }

  /**
   * The entries of one of the plan's snapshots (under `path`): another plan's snapshot in the same
   * repository, or an id that is no snapshot, is refused as a restore refuses it.
   */
  async browse(planId: string, snapshot: string, path?: string): Promise<SnapshotEntry[]> {
    const plan = this.plan(planId);
    checkedSnapshotId(snapshot);
    const restic = await this.resticFor(this.repository(plan.repository));
    return listPlanSnapshot(restic, { plan: plan.id, tags: planTags(plan.id), id: snapshot, path });
  }

  /**
   * Restores a snapshot of a plan, wrapped in restore.before / restore.after hooks: into an
   * empty `target` (restic's layout: the snapshot's absolute paths recreated under it), or
   * `inPlace` back to the original paths by an `overwrite` policy. A target over live data
   * (`/`, a plan's source, a folder holding one or inside one, a non-empty folder, wherever a
   * symlink points) is refused before anything runs, as is a snapshot id that is not one of
   * the plan's (`latest` and prefixes found among the plan's snapshots, as the preview finds them).
   */
  async restore(planId: string, snapshot: string, options: RestoreOptions): Promise<RunRecord> {
    const plan = this.plan(planId);
    const target = await this.checkedRestore(snapshot, options);
    const repository = this.repository(plan.repository);
    // A repository that cannot be opened at all (no password, no restic) is an error, not a restore.
    const access = await this.access(repository);
    const restic = await this.resticFor(repository, access);
    // Found among the plan's own snapshots as the preview finds it: another plan's id, or one that is no snapshot, is refused before any hook runs.
    const found = await this.snapshotAnswers.snapshot(plan.id, snapshot, options.signal);
    const redirects = target === undefined ? this.snapshotAnswers.redirects(plan.id, found) : [];
    const run = await this.runs.withRun(
      'restore',
      plan,
      options.trigger ?? 'manual',
      async (run) => {
        await restoreSnapshot(run, restic, { snapshot: found.id, target, overwrite: options.overwrite, include: options.include, redirects });
      },
      {
        signal: options.signal,
        onEvent: options.onEvent,
        snapshotId: found.id,
        redactor: async () => access.redactor,
      },
    );
    return run.record;
  }

  /**
   * Puts back one file as it was in `snapshot`: beside the live file under a dated name, or in
   * its place (the live content kept beside it when it differs). A restore like any other:
   * restore.before / restore.after hooks around it, queued with the repository, in the history.
   */
  async restoreVersion(
    planId: string,
    path: string,
    snapshot: string,
    options: { inPlace?: boolean | undefined; signal?: AbortSignal | undefined; trigger?: RestoreOptions['trigger'] } = {},
  ): Promise<RestoredVersion> {
    const plan = this.plan(planId);
    checkedSnapshotId(snapshot);
    // A path that cannot be one of the plan's files is told at once, not recorded as a failed restore.
    checkUnderSources({ plan: plan.id, sources: plan.sources.map((source) => expandHome(source)), path });
    const access = await this.access(this.repository(plan.repository));
    // Found among the plan's own snapshots as a restore finds it: another plan's id, or one that is no snapshot, is refused before any hook runs.
    const found = await this.snapshotAnswers.snapshot(plan.id, snapshot, options.signal);
    let restored: RestoredVersion | undefined;
    let failure: unknown;
    const run = await this.runs.withRun(
      'restore',
      plan,
      options.trigger ?? 'manual',
      async (run) => {
        const started = Date.now();
        try {
          restored = await this.snapshotAnswers.restoreVersion(plan.id, path, found, { inPlace: options.inPlace, signal: run.signal });
        } catch (error) {
          failure = error;
          throw error;
        }
        const kept = restored.keptLiveAs ? `; the file as it was is kept as ${restored.keptLiveAs}` : '';
        run.addStep({
          kind: 'restic',
          name: 'dump',
          event: null,
          status: 'success',
          exitCode: 0,
          startedAt: new Date(started).toISOString(),
          durationMs: Date.now() - started,
          output: `Restored ${path} as it was in ${restored.snapshot.shortId} to ${restored.restoredTo}${kept}.\n`,
        });
      },
      { signal: options.signal, snapshotId: found.id, redactor: async () => access.redactor },
    );
    if (restored) return restored;
    throw failure ?? new UserError(run.reason ?? 'The restore did not run.', { kind: 'unavailable' });
  }

  /**
   * What `restore` with the same options would do, file by file (created, overwritten, kept,
   * newer on disk), refused exactly as the restore would be. Nothing is written, no run is recorded.
   */
  async restorePreview(planId: string, snapshot: string, options: RestoreOptions): Promise<RestorePreview> {
    this.plan(planId);
    const target = await this.checkedRestore(snapshot, options);
    return this.snapshotAnswers.restorePreview(planId, snapshot, { target, overwrite: options.overwrite, include: options.include ?? [] }, options.signal);
  }

  /** A restore's request checked before anything runs; the target folder, resolved, or undefined for in place. */
  private async checkedRestore(snapshot: string, options: RestoreOptions): Promise<string | undefined> {
    checkedSnapshotId(snapshot);
    if ((options.target === undefined) === !options.inPlace)
      throw new RestoreRefusedError('Choose one place to restore to: an empty folder, or the original location.');
    if (options.inPlace && !options.overwrite)
      throw new RestoreRefusedError(
        'Restoring to the original location needs a choice for files that are there already: never replace them, replace them where the backup is newer, or always.',
      );
    if (!options.inPlace && options.overwrite)
      throw new RestoreRefusedError(
        'What happens to files that are there already is a choice for a restore to the original location; a folder to restore into must be empty, so nothing there is replaced.',
      );
    return options.target === undefined
      ? undefined
      : checkRestoreTarget(
          options.target,
          this.config.plans.map((candidate) => ({ plan: candidate.id, sources: candidate.sources.map((source) => expandHome(source)) })),
        );
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
      throw new UserError(`Plan "${planId}" has no hook "${hookId}". ${known.length ? `Its hooks: ${known.join(', ')}.` : 'It has no hooks yet.'}`, {
        kind: 'not-found',
      });
    }
    const event = options.event ?? hook.on[0]!;
    if (!hook.on.includes(event))
      throw new UserError(`Hook "${hook.id}" is not bound to ${event}; it runs on ${hook.on.join(', ')}. Use one of those with --event.`, { kind: 'refused' });
    const access = await this.accessOrError(this.repository(plan.repository));
    const sampleSnapshot =
      event === 'backup.after' || event.startsWith('prune.') || event.startsWith('check.') || event.startsWith('copy.') || event === 'run.end';
    let result: HookCallResult | undefined;
    let failure: unknown;
    const run = await this.runs.withRun(
      'hook-test',
      plan,
      'manual',
      async (run) => {
        try {
          result = await this.hookRunner.call(hook, event, run);
        } catch (error) {
          failure = error; // told to the caller as it was thrown
        }
      },
      { onEvent: options.onEvent, snapshotId: sampleSnapshot ? '0123abcd' : null, redactor: async () => redactorOf(access) },
    );
    if (!result) throw failure ?? new Error(run.reason ?? 'The hook test did not run.');
    return { hook, event, ...result, verdict: hookVerdict(result.outcome, hook.onError), workingDir: run.workingDir };
  }

  /**
   * Every event of every run this engine executes (the UI's live view); returns the unsubscribe.
   * `output: false` says the listener ignores hook output, which then need not be decoded for it.
   */
  subscribe(listener: (event: RunEvent) => void, options: { output?: boolean } = {}): () => void {
    this.listeners.add(listener);
    if (options.output !== false) this.outputListeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.outputListeners.delete(listener);
    };
  }

  /** The config as written (the form to edit), not the normalised one. */
  get rawConfig(): Record<string, unknown> {
    return structuredClone(this.loaded.raw);
  }

  /**
   * Validates, writes atomically (0600) and takes the new config into use. With `revision`
   * (what config.get handed out), a file changed on disk since is left alone: ConfigConflictError.
   */
  async saveConfig(raw: Record<string, unknown>, options: { revision?: string | undefined } = {}): Promise<SaveResult> {
    const result = await saveConfig(this.configFile, raw, this.now(), { expectedRevision: options.revision });
    this.loaded = { ...this.loaded, exists: true, raw: structuredClone(raw), config: result.config, revision: result.revision };
    this.diskRevision = result.revision;
    this.diskProblems = [];
    this.restic = undefined; // settings.resticPath may have changed
    return result;
  }

  /** The revision of the config file as last seen: a save carrying it is refused if the file changed since. */
  get configRevision(): string {
    return this.diskRevision;
  }

  /** What is wrong with the config file on disk, while the last good config stays in use. */
  get configProblems(): Problem[] {
    return structuredClone(this.diskProblems);
  }

  /**
   * Reads the config file again. A valid new version is taken into use; one with problems
   * leaves the last good config running and is told in `problems`.
   */
  reloadConfig(): Promise<ConfigReload> {
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ConfigReload> {
    const revision = await currentRevision(this.configFile).catch(() => undefined);
    if (revision === this.diskRevision) return { changed: false, problems: this.configProblems };
    if (revision === 'missing' && this.loaded.exists) {
      // Removed, or half-way through an editor's save: the plans do not vanish with it.
      this.diskRevision = revision;
      this.diskProblems = [{ path: '', message: `${this.configFile} is gone; the last config stays in use until the file is back` }];
      return { changed: false, problems: this.configProblems };
    }
    try {
      const loaded = await loadConfig(this.configFile, { checked: checkedConfig(this.dataDir) });
      const changed = loaded.revision !== this.loaded.revision;
      this.loaded = loaded;
      this.diskRevision = loaded.revision;
      this.diskProblems = [];
      return { changed, problems: [] };
    } catch (error) {
      if (error instanceof ConfigInvalidError) this.diskProblems = error.problems;
      else if (error instanceof UserError) this.diskProblems = [{ path: '', message: errorMessage(error) }];
      else throw error;
      if (error instanceof ConfigParseError || error instanceof ConfigInvalidError) this.diskRevision = revision ?? this.diskRevision;
      return { changed: false, problems: this.configProblems };
    }
  }

  /**
   * Follows the config file: within a second of a change on disk it is read again and
   * `onReload` hears what came of it. Returns the function that stops following.
   */
  watchConfig(onReload: (result: ConfigReload) => void | Promise<void>): () => void {
    const check = () => {
      this.reloadConfig()
        .then(onReload)
        .catch((error: unknown) => this.options.log?.(`The config could not be read again: ${errorMessage(error)}`));
    };
    const watch = watchConfigFile(this.configFile, check, { log: this.options.log });
    // An edit made while Lifeboat was starting, before the watch began, is taken too.
    check();
    return () => watch.close();
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

  /** The async hooks of ended runs have ended and are recorded: a run's record is then complete to show. */
  async settleRuns(): Promise<void> {
    await this.runs.settleRuns();
  }

  /**
   * Monitor pings and async hooks still on their way; the CLI waits for them before it exits.
   * What runs changed is not waited for: it is stopped, and worked out again when asked for.
   */
  async flushMonitors(): Promise<void> {
    this.changes.stop();
    await this.runs.settle();
    await this.metricsPusher.flush();
  }

  /** The scheduler for this engine's plans (the daemon, `serve` and the app each run one). */
  createScheduler(
    options: { clock?: Clock | undefined; log?: ((line: string) => void) | undefined; waitForNetwork?: ((plan: Plan) => Promise<void>) | undefined } = {},
  ): Scheduler {
    return new Scheduler({
      memory: new ScheduleMemory(join(this.dataDir, 'schedule-memory.json'), options.log),
      placesOf: (plan) => {
        const url = this.config.repositories.find((repository) => repository.id === plan.repository)?.url;
        return url?.startsWith('/') ? [...plan.sources, url] : plan.sources;
      },
      plans: () => this.config.plans,
      run: async (planId, trigger, signal) => {
        const outcome = await this.execute(planId, { trigger, signal });
        this.describeChanges(outcome.record); // after the run is recorded and its queue let go
        this.measureRepository(outcome.record); // the same: the charts' repository size, at most once a day
        return outcome;
      },
      state: this.planState,
      pause: this.pauseStore,
      clock: options.clock ?? systemClock,
      log: options.log,
      waitForNetwork: options.waitForNetwork ?? (async (plan) => void (await waitForRepository(this.repository(plan.repository).url))),
      watches: [this.staleAlarm],
      snoozedUntil: (planId, now) => this.snoozes.snoozedUntil(planId, now),
    });
  }

  private async access(repository: Repository): Promise<ResticAccess> {
    const keychainPassword = repository.passwordKeychain ? await this.keychain?.read(repository.id) : undefined;
    if (repository.passwordKeychain && this.keychain && keychainPassword === undefined) {
      throw new UserError(`The keychain holds no password for repository "${repository.id}". Enter it again in Repositories.`, { kind: 'unavailable' });
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
    this.restic ??= locateRestic(this.config.settings.resticPath, this.env, { cacheFile: join(this.dataDir, RESTIC_VERSIONS) });
    let binary: ResticBinary;
    try {
      binary = await this.restic;
    } catch (error) {
      this.restic = undefined; // installing restic later must not need a restart
      throw error;
    }
    return new Restic({ binary: binary.path, version: binary.version, access, processEnv: this.env, backendGiveUpMs: this.options.resticBackendGiveUpMs });
  }

  /** Read-only answers about a plan's snapshots: what changed, a file's versions, what retention would remove. */
  get snapshotAnswers(): SnapshotAnswers {
    return new SnapshotAnswers({
      plan: (id) => this.plan(id),
      appendOnly: (plan) => this.repository(plan.repository).appendOnly === true,
      reader: async (plan, signal) => ({
        binary: (await this.resticBinary()).path,
        access: await this.access(this.repository(plan.repository)),
        processEnv: this.env,
        signal,
      }),
      changes: new RunChangesStore(join(this.dataDir, 'history', 'changes')),
      historyDays: () => this.config.settings.historyDays,
      now: this.now,
    });
  }

  /** After a scheduled backup that made a snapshot (daemon, serve, the app): the repository's size, at most once a day, off the run's clock. */
  measureRepository(run: RunRecord): void {
    if (!run.snapshotId) return;
    const pending = this.sampleRepositorySize(run.repository).then(
      () => undefined,
      (error: unknown) => this.options.log?.(`${run.repository}: the repository's size could not be measured: ${errorMessage(error)}`),
    );
    this.runs.track(pending);
  }

  /**
   * The repository's size (`restic stats`), unless it was taken today already: the charts ask for it when
   * they open, and long-running processes take it after a scheduled backup. Never on a run's clock.
   */
  async sampleRepositorySize(repositoryId: string): Promise<void> {
    const repository = this.repository(repositoryId);
    const reader = async () => ({ binary: (await this.resticBinary()).path, access: await this.access(repository), processEnv: this.env });
    await this.repositorySizes.sampleIfDue(repository.id, async () => readRepositorySize(await reader()));
  }

  /** After a backup run is recorded (daemon, serve, the app): what it changed is worked out in the background and stored beside it. */
  describeChanges(run: RunRecord): void {
    this.changes.later(run);
  }

  /** What a run changed: stored, or worked out now and stored; null for a run that made no snapshot. */
  runChanges(runId: string): Promise<RunChanges | null> {
    return this.changes.ofRun(runId);
  }

  /** What changed between two snapshots of a plan; the default pair (a snapshot and the one before it) is kept as its run's changes. */
  async diff(planId: string, snapshots: { from?: string | undefined; to?: string | undefined } = {}, signal?: AbortSignal): Promise<SnapshotDiff> {
    const diff = await this.snapshotAnswers.diff(planId, snapshots, signal);
    if (snapshots.from === undefined) await this.changes.keepDiff(planId, diff).catch((error: unknown) => this.options.log?.(errorMessage(error)));
    return diff;
  }
}

/** `make` called once, on first use; every later call gets the same promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** The redactor that knows a repository's secrets; a repository that cannot be opened has none to hide. */
function redactorOf(access: ResticAccess | Error): Redactor {
  return access instanceof Error ? new Redactor() : access.redactor;
}

/** The data dir's memory of the last checked config (used by the CLI bundle; the sources check every time). */
function checkedConfig(dataDir: string): CheckedConfig {
  return new CheckedConfig(join(dataDir, 'config-checked.json'));
}
