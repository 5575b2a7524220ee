import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { Trigger } from './config/schema.ts';
import { type LoadedConfig, loadConfig } from './config/store.ts';
import type { Config, Plan, Repository } from './config/types.ts';
import { HistoryStore } from './history/history-store.ts';
import { resticAccess } from './restic/credentials.ts';
import { locateRestic, type ResticBinary } from './restic/locate.ts';
import type { Snapshot, SnapshotEntry } from './restic/messages.ts';
import { Restic } from './restic/restic.ts';
import { executeRun, planTags } from './runs/execute-run.ts';
import type { HookDispatcher } from './runs/hook-dispatcher.ts';
import { HooksNotAvailable } from './runs/no-hooks.ts';
import { runPhase } from './runs/phase.ts';
import { PlanStateStore } from './runs/plan-state.ts';
import { RepositoryQueue } from './runs/repository-queue.ts';
import type { RunRecord } from './runs/run-record.ts';
import { type RunEvent, RunState } from './runs/run-state.ts';
import { nextRunTime } from './schedule/next-run.ts';
import { errorMessage, UserError } from './util/errors.ts';

export interface EngineOptions {
  configFile: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => Date) | undefined;
  hooks?: HookDispatcher | undefined;
}

export interface RunOptions {
  trigger?: Trigger | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
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
  private loaded: LoadedConfig;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => Date;
  private readonly hooks: HookDispatcher;
  private readonly planState: PlanStateStore;
  private readonly queue = new RepositoryQueue();
  private restic: Promise<ResticBinary> | undefined;

  private constructor(options: EngineOptions, loaded: LoadedConfig) {
    this.dataDir = options.dataDir;
    this.loaded = loaded;
    this.env = options.env ?? process.env;
    this.now = options.now ?? (() => new Date());
    this.hooks = options.hooks ?? new HooksNotAvailable();
    this.history = new HistoryStore(join(options.dataDir, 'history'));
    this.planState = new PlanStateStore(join(options.dataDir, 'plan-state.json'));
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
      const next = nextRunTime(plan, states[plan.id]?.lastSuccessAt, now);
      summaries.push({ id: plan.id, name: plan.name, repository: plan.repository, lastRun: lastRun ?? null, nextRun: next?.toISOString() ?? null });
    }
    return summaries;
  }

  /** Runs a plan once; runs against the same repository wait for each other. */
  async runPlan(planId: string, options: RunOptions = {}): Promise<RunRecord> {
    const plan = this.plan(planId);
    const repository = this.repository(plan.repository);
    return this.queue.enqueue(repository.id, async () => {
      const id = ulid();
      const workingDir = join(this.dataDir, 'work', id);
      await mkdir(workingDir, { recursive: true, mode: 0o700 });
      const record: RunRecord = {
        id,
        plan: plan.id,
        repository: repository.id,
        trigger: options.trigger ?? 'manual',
        status: 'running',
        reason: null,
        startedAt: this.now().toISOString(),
        endedAt: null,
        snapshotId: null,
        steps: [],
        summary: null,
        pid: process.pid,
      };
      const emit = options.onEvent ?? ignoreEvent;
      const run = new RunState({ record, plan, repository, signal: options.signal ?? new AbortController().signal, workingDir, emit });
      emit({ type: 'run-started', run: record });
      let restic: Restic;
      try {
        restic = await this.resticFor(repository);
      } catch (error) {
        return this.recordFailedStart(run, error);
      }
      const finished = await executeRun(run, { restic, hooks: this.hooks, history: this.history, planState: this.planState, now: this.now });
      emit({ type: 'run-ended', run: finished });
      return finished;
    });
  }

  async initRepository(repositoryId: string): Promise<{ output: string }> {
    const repository = this.repository(repositoryId);
    const restic = await this.resticFor(repository);
    const result = await this.queue.enqueue(repository.id, () => restic.init());
    return { output: result.invocations.map((invocation) => invocation.output).join('') };
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
   * Restores a snapshot of a plan into `target` (restic's layout: the snapshot's absolute
   * paths recreated under it), wrapped in restore.before / restore.after hooks.
   */
  async restore(
    planId: string,
    snapshot: string,
    options: { target: string; include?: string[] | undefined; signal?: AbortSignal | undefined; onEvent?: ((event: RunEvent) => void) | undefined },
  ): Promise<RunRecord> {
    const plan = this.plan(planId);
    const repository = this.repository(plan.repository);
    const restic = await this.resticFor(repository);
    const id = ulid();
    const workingDir = join(this.dataDir, 'work', id);
    await mkdir(workingDir, { recursive: true, mode: 0o700 });
    const record: RunRecord = {
      id,
      plan: plan.id,
      repository: repository.id,
      trigger: 'manual',
      status: 'running',
      reason: null,
      startedAt: this.now().toISOString(),
      endedAt: null,
      snapshotId: snapshot,
      steps: [],
      summary: null,
    };
    const run = new RunState({
      record,
      plan,
      repository,
      signal: options.signal ?? new AbortController().signal,
      workingDir,
      emit: options.onEvent ?? ignoreEvent,
    });
    await this.queue.enqueue(repository.id, () =>
      runPhase('restore', run, this.hooks, async () => {
        await mkdir(options.target, { recursive: true });
        const result = await restic.restore({
          snapshot,
          target: options.target,
          include: options.include,
          tags: snapshot === 'latest' ? planTags(plan.id) : undefined,
          signal: run.signal,
        });
        for (const invocation of result.invocations)
          run.addStep({
            kind: 'restic',
            name: invocation.command,
            event: null,
            status: 'success',
            exitCode: invocation.exitCode ?? null,
            startedAt: record.startedAt,
            durationMs: invocation.durationMs,
            output: invocation.output,
          });
      }),
    );
    Object.assign(record, { status: run.status, reason: run.reason, endedAt: this.now().toISOString() });
    return record;
  }

  private async resticFor(repository: Repository): Promise<Restic> {
    this.restic ??= locateRestic(this.config.settings.resticPath, this.env);
    let binary: ResticBinary;
    try {
      binary = await this.restic;
    } catch (error) {
      this.restic = undefined; // installing restic later must not need a restart
      throw error;
    }
    return new Restic({ binary: binary.path, access: resticAccess(repository, this.env), processEnv: this.env });
  }

  private async recordFailedStart(run: RunState, error: unknown): Promise<RunRecord> {
    if (!(error instanceof UserError)) throw error;
    run.fail(errorMessage(error));
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
