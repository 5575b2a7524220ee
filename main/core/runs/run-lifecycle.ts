import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Trigger } from '../config/schema.ts';
import type { Plan, Repository } from '../config/types.ts';
import type { HistoryStore } from '../history/history-store.ts';
import { finishWorkingDir } from '../hooks/working-dirs.ts';
import { endRequest, type MonitorSender, startRequest } from '../notify/monitors.ts';
import type { NotificationCenter } from '../notify/notification-center.ts';
import type { AwakeHold } from '../platform/platform.ts';
import { asDiskFull, errorMessage } from '../util/errors.ts';
import { Redactor } from '../util/redactor.ts';
import { newRunId } from '../util/run-id.ts';
import { type HookDispatcher, saveAsyncSteps } from './hook-dispatcher.ts';
import { runPhase } from './phase.ts';
import type { PlanState, PlanStateStore } from './plan-state.ts';
import type { RepositoryQueue } from './repository-queue.ts';
import type { RunRecord } from './run-record.ts';
import { type RunEvent, RunState } from './run-state.ts';

export interface RunLifecycleOptions {
  /** The folder holding each run's private working folder. */
  workRoot: string;
  history: HistoryStore;
  hooks: HookDispatcher;
  planState: PlanStateStore;
  notifications: NotificationCenter;
  monitors: MonitorSender;
  queue: RepositoryQueue;
  repository: (id: string) => Repository;
  /** Where every backup's events go besides its caller (the UI's live view). */
  broadcast: (event: RunEvent) => void;
  /** Whether anyone `broadcast` reaches reads hook output now; missing: always. */
  broadcastHearsOutput?: (() => boolean) | undefined;
  now: () => Date;
  /** The most all kept per-run working folders may hold together. */
  workingDirsMaxBytes?: number | undefined;
  log?: ((line: string) => void) | undefined;
  /** Keeps the machine awake for the length of a run (platform port); missing: nothing does. */
  keepAwake?: ((reason: string) => Promise<AwakeHold>) | undefined;
}

export interface WithRunOptions {
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** False when `onEvent` ignores hook output: nobody then needs it decoded for the caller. */
  output?: boolean | undefined;
  /** The snapshot the run is about before it makes one (a restore's, a hook test's sample). */
  snapshotId?: string | null | undefined;
  /** The repository's secrets, read when the run's turn comes: every text the run keeps passes through it. */
  redactor?: (() => Promise<Redactor>) | undefined;
  /**
   * What must work before any hook runs (restic found, the repository opened); it runs before the
   * start is recorded. What it throws fails the run: no start hooks, no body, but the end hooks
   * and the end record still follow.
   */
  prepare?: ((run: RunState) => Promise<void>) | undefined;
}

/** What each kind of run gets around its body. */
interface KindRules {
  /** Kept in the history: a start record, an end record, async hooks' steps as they end. */
  recorded: boolean;
  /** Waits for its repository's queue (SPEC §3: never two runs against one repository at once). */
  queued: boolean;
  /** A backup: its events go to every listener, monitors and notifications hear it, the plan's state moves on. */
  backup: boolean;
  /** The hooks around the body, run whether or not the run is stopped already (end hooks always run). */
  around: (run: RunState, hooks: HookDispatcher, body: () => Promise<void>) => Promise<void>;
  /** False: the machine may sleep meanwhile (a hook test). Every other run keeps it awake, start to end. */
  awake?: false;
  /** Not a backup, yet its failure is told like a failed backup's (a restore check). */
  toldOnFailure?: true;
}

/** What the machine is told it is kept awake for ("Lifeboat: backing up Documents"). */
const AWAKE_WORDS: Record<string, string> = { backup: 'backing up', restore: 'restoring', verify: 'verifying a restore of', copy: 'copying' };

/** The kinds of run that exist so far. */
export type LifecycleKind = 'backup' | 'restore' | 'verify' | 'copy' | 'hook-test';

const KINDS: Record<LifecycleKind, KindRules> = {
  backup: {
    recorded: true,
    queued: true,
    backup: true,
    around: async (run, hooks, body) => {
      try {
        if (!run.stopped) await hooks.dispatch('run.start', run);
        if (!run.stopped) await body();
      } finally {
        await endRun(run, hooks); // every run that started gets its run.end, whatever happened
      }
    },
  },
  restore: {
    recorded: true,
    queued: true,
    backup: false,
    around: async (run, hooks, body) => {
      if (!run.stopped) await runPhase('restore', run, hooks, body);
    },
  },
  // A restore check: run.start and run.end around it like a backup (conditions apply), kept in history, but
  // the plan's last run, monitors and live events stay the backups'; only a failure is told.
  verify: {
    recorded: true,
    queued: true,
    backup: false,
    toldOnFailure: true,
    around: async (run, hooks, body) => {
      try {
        if (!run.stopped) await hooks.dispatch('run.start', run);
        if (!run.stopped) await body();
      } finally {
        await endRun(run, hooks);
      }
    },
  },
  // `lifeboat copy`: the body runs copy.before/after itself and waits for the target's queue only
  // (SPEC §3: never the source's and the target's at once).
  copy: {
    recorded: true,
    queued: false,
    backup: false,
    around: async (run, _hooks, body) => {
      if (!run.stopped) await body();
    },
  },
  // `lifeboat hooks test` and the editor's Test run: one hook, called by the body itself, never kept.
  'hook-test': {
    recorded: false,
    queued: false,
    backup: false,
    awake: false,
    around: async (run, _hooks, body) => {
      if (!run.stopped) await body();
    },
  },
};

async function endRun(run: RunState, hooks: HookDispatcher): Promise<void> {
  try {
    await hooks.dispatch('run.end', run);
  } catch (error) {
    run.fail(errorMessage(asDiskFull(error, run.workingDir)));
  }
}

/**
 * Owns every run from start to end (borgmatic's before/after context manager): the queue of its
 * repository, its record and working folder, the hooks around its body, the one end record,
 * and what monitors and notifications hear. Whatever the body throws, the after-hooks run and
 * the run is recorded once.
 */
export class RunLifecycle {
  private readonly options: RunLifecycleOptions;
  /** Runs that ended but whose async hooks or folder tidying are still under way. */
  private readonly ending = new Set<Promise<void>>();

  constructor(options: RunLifecycleOptions) {
    this.options = options;
  }

  /** Runs `body` as one run of `plan`; resolves with the finished run (its record already in history). */
  async withRun(kind: LifecycleKind, plan: Plan, trigger: Trigger, body: (run: RunState) => Promise<void>, options: WithRunOptions = {}): Promise<RunState> {
    const rules = KINDS[kind];
    const repository = this.options.repository(plan.repository);
    const go = (release?: () => void) =>
      this.awake(kind, rules, plan, (holding) => this.run(kind, rules, plan, repository, trigger, body, options, holding, release));
    return rules.queued ? this.options.queue.enqueue(repository.id, go) : go();
  }

  /**
   * Holds the machine awake around a whole run (its turn in the queue has come) and lets go
   * whatever ends it: success, failure, cancel, a hook that throws. A process that dies drops
   * the hold with it (the platform port sees to that). The hold is asked for as the run starts
   * and is in place before its first hook; the run's own preparation does not wait for it.
   */
  private async awake(
    kind: LifecycleKind,
    rules: KindRules,
    plan: Plan,
    go: (holding: Promise<AwakeHold> | undefined) => Promise<RunState>,
  ): Promise<RunState> {
    if (rules.awake === false || !this.options.keepAwake) return go(undefined);
    const keepAwake = this.options.keepAwake;
    const holding = Promise.resolve()
      .then(() => keepAwake(`Lifeboat: ${AWAKE_WORDS[kind] ?? 'running'} ${plan.name}`))
      .catch((error: unknown): AwakeHold => ({ via: `unavailable: ${errorMessage(error)}`, release: async () => undefined }));
    try {
      return await go(holding);
    } finally {
      await (await holding)
        .release()
        .catch((error: unknown) => this.options.log?.(`${plan.id}: the hold keeping the machine awake was not released: ${errorMessage(error)}`));
    }
  }

  /** Work that follows a run off its clock (what it changed): `settle` waits for it too. */
  track(pending: Promise<void>): void {
    this.ending.add(pending);
    void pending.finally(() => this.ending.delete(pending));
  }

  /** Async hooks and folder tidying of ended runs: what their records are waited for before they are shown. */
  async settleRuns(): Promise<void> {
    await Promise.allSettled([...this.ending]);
  }

  /** Async hooks and folder tidying of ended runs, then monitor pings: the CLI waits for them before it exits. */
  async settle(): Promise<void> {
    await this.settleRuns();
    await this.options.monitors.flush();
  }

  private async run(
    kind: LifecycleKind,
    rules: KindRules,
    plan: Plan,
    repository: Repository,
    trigger: Trigger,
    body: (run: RunState) => Promise<void>,
    options: WithRunOptions,
    holding: Promise<AwakeHold> | undefined,
    release?: () => void,
  ): Promise<RunState> {
    const { history, hooks } = this.options;
    const listener = options.onEvent;
    const emit = (event: RunEvent) => {
      if (rules.backup && event.type === 'step-started' && event.kind === 'restic' && event.name === 'backup') this.pingMonitors(plan, 'start');
      listener?.(event);
      if (rules.backup) this.options.broadcast(event);
    };
    const hearsOutput = () => (listener !== undefined && options.output !== false) || (rules.backup && (this.options.broadcastHearsOutput?.() ?? true));
    const run = await this.start(kind, plan, repository, trigger, emit, options, hearsOutput);
    if (release) run.releaseRepository = release;
    emit({ type: 'run-started', run: run.record });
    try {
      // Before the start is recorded: what it reads of the history (the repository's last run) is the run before this one.
      await options.prepare?.(run);
    } catch (error) {
      run.fail(errorMessage(error));
    }
    if (rules.recorded) {
      try {
        await history.append(run.record);
      } catch (error) {
        run.fail(errorMessage(error)); // no history, no run: it is recorded once it can be
      }
    }
    // The machine is kept awake (or it is known that it cannot be) before the first hook runs.
    if (holding) run.record.keepAwake = (await holding).via;
    try {
      await rules.around(run, hooks, () => body(run));
    } catch (error) {
      // A full disk while a hook's script or the summary is written is a sentence, not ENOSPC.
      run.fail(errorMessage(asDiskFull(error, run.workingDir)));
    }
    const ended = this.options.now().toISOString();
    Object.assign(run.record, { status: run.status, reason: run.reason, endedAt: ended });
    if (rules.recorded) {
      try {
        await history.append(run.record);
      } catch (error) {
        // The disk is full: the run counts as failed, and its record (with any snapshot restic made)
        // is kept and written as soon as there is space again.
        run.fail(errorMessage(error));
        Object.assign(run.record, { status: run.status, reason: run.reason });
        history.keep(run.record);
      }
    }
    if (rules.backup) await this.planMovesOn(run, ended);
    this.afterRun(run, rules.recorded);
    emit({ type: 'run-ended', run: run.record });
    if (rules.backup) await this.tell(plan, run.record);
    else if (rules.toldOnFailure && run.record.status === 'failure') await this.tellFailure(plan, run.record);
    return run;
  }

  /** A new run: its ULID, its private working folder, its record, and a redactor that knows its secrets. */
  private async start(
    kind: LifecycleKind,
    plan: Plan,
    repository: Repository,
    trigger: Trigger,
    emit: (event: RunEvent) => void,
    options: WithRunOptions,
    hearsOutput: () => boolean,
  ): Promise<RunState> {
    const redactor = (await options.redactor?.()) ?? new Redactor();
    // Monitor URLs are secrets too (anyone with one can send fake pings).
    for (const monitor of plan.monitors) redactor.addUrl(monitor.url).add(monitor.url);
    const id = newRunId();
    const workingDir = join(this.options.workRoot, id);
    await mkdir(workingDir, { recursive: true, mode: 0o700 });
    const record: RunRecord = {
      id,
      ...(kind === 'backup' ? {} : { kind }),
      plan: plan.id,
      repository: repository.id,
      trigger,
      status: 'running',
      reason: null,
      startedAt: this.options.now().toISOString(),
      endedAt: null,
      snapshotId: options.snapshotId ?? null,
      steps: [],
      summary: null,
      pid: process.pid,
    };
    return new RunState({ record, plan, repository, signal: options.signal ?? new AbortController().signal, workingDir, emit, redactor, hearsOutput });
  }

  /** When the plan last ran, succeeded and was checked: derived facts, so a failed write is caught up by the scheduler. */
  private async planMovesOn(run: RunState, ended: string): Promise<void> {
    const change: PlanState = { lastRunAt: run.record.startedAt };
    if (run.record.status === 'success' || run.record.status === 'warning') change.lastSuccessAt = run.record.startedAt;
    if (run.checked) change.lastCheckAt = ended;
    await this.options.planState.update(run.plan.id, change, { durable: false }).catch(() => undefined);
  }

  /**
   * A run has ended: its async hooks go on without holding it, their steps saved as they end;
   * then its working folder is removed (a failed run's is kept for a while, all kept ones capped).
   */
  private afterRun(run: RunState, recorded: boolean): void {
    const { history, now, workRoot, workingDirsMaxBytes, log } = this.options;
    const ending = saveAsyncSteps(run, (record) => (recorded ? history.append(record) : Promise.resolve()))
      .then(() => finishWorkingDir(workRoot, run.workingDir, run.status === 'failure', now(), workingDirsMaxBytes))
      .catch((error: unknown) => log?.(`The working folder ${run.workingDir} could not be tidied: ${errorMessage(error)}`));
    this.track(ending);
  }

  /** Monitors and the desktop hear how a run ended. Neither can change or delay its outcome. */
  private async tell(plan: Plan, run: RunRecord): Promise<void> {
    this.pingMonitors(plan, 'end', run);
    try {
      await this.options.notifications.afterRun(plan, run);
    } catch (error) {
      this.options.log?.(`${plan.id}: the notification about run ${run.id} failed: ${errorMessage(error)}`);
    }
  }

  /** A failed run that is not a backup (a restore check), told on the desktop as a failed backup is. */
  private async tellFailure(plan: Plan, run: RunRecord): Promise<void> {
    try {
      await this.options.notifications.afterFailure(plan, run);
    } catch (error) {
      this.options.log?.(`${plan.id}: the notification about run ${run.id} failed: ${errorMessage(error)}`);
    }
  }

  private pingMonitors(plan: Plan, phase: 'start' | 'end', run?: RunRecord): void {
    for (const monitor of plan.monitors) {
      const request = phase === 'start' ? startRequest(monitor) : endRequest(monitor, plan, run!);
      if (request) this.options.monitors.send(request);
    }
  }
}
