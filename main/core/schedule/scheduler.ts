import type { RunStatus, Trigger } from '../config/schema.ts';
import type { Plan } from '../config/types.ts';
import { type MountEvents, platformMountEvents } from '../platform/mount-events.ts';
import type { PlanState, PlanStateStore } from '../runs/plan-state.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { CancelReason } from '../runs/run-state.ts';
import type { Clock, Timer } from './clock.ts';
import { DriveArrival } from './drive-arrival.ts';
import { isPaused, type PauseState, type PauseStore } from './pause.ts';
import { pendingApplies, ScheduleMemory } from './schedule-memory.ts';
import { dueAt, latestSlotAtOrBefore } from './schedule-times.ts';

/** What the scheduler needs to know of a finished run. */
export interface RunOutcome {
  record: RunRecord;
  /** False when running again cannot help (wrong password, invalid config). */
  retryable: boolean;
  /** Set when a hook with onError "defer" postponed the run. */
  deferral?: { reason: string; retryAfterMs: number } | undefined;
}

export interface SchedulerOptions {
  plans: () => Plan[];
  run: (planId: string, trigger: Trigger, signal: AbortSignal) => Promise<RunOutcome>;
  state: PlanStateStore;
  pause: PauseStore;
  clock: Clock;
  /** Where retries, deferrals and drive-arrival times outlive the process (default: memory only). */
  memory?: ScheduleMemory | undefined;
  /** Mount events for `schedule.onMount` (default: the machine's: findmnt on Linux, none elsewhere). */
  mountEvents?: MountEvents | undefined;
  /** Where a plan's data lives (sources, a local repository): unmounting one of them cancels its run. */
  placesOf?: ((plan: Plan) => string[]) | undefined;
  /** Resolves when the plan's repository can be reached (or it gave up waiting). */
  waitForNetwork?: ((plan: Plan) => Promise<void>) | undefined;
  log?: ((line: string) => void) | undefined;
  retryDelaysMs?: number[] | undefined;
  /** A run this late is a catch-up, and a timer firing this late means the machine slept. */
  lateAfterMs?: number | undefined;
  /** The longest the timer sleeps: how soon a wall-clock jump (a suspend) is noticed. */
  maxSleepMs?: number | undefined;
  /** Checks the one timer also serves (the staleness alarm): at start, on wake, and at their next time. */
  watches?: ScheduledWatch[] | undefined;
  /** When the plan's snooze ends, if it is snoozed at `now`: none of its scheduled runs or retries starts before. */
  snoozedUntil?: ((planId: string, now: Date) => Date | undefined) | undefined;
}

/** Work that needs no timer of its own: the scheduler calls `check` whenever it looks at what is due. */
export interface ScheduledWatch {
  readonly name: string;
  check(): Promise<void>;
  /** When the next check is worth doing (null: only at the next wake). */
  nextCheckAt(): Promise<Date | null>;
}

interface PlanRuntime {
  running: boolean;
  /** The latest slot handled, also kept in memory: a state file that cannot be written never makes a slot run twice. */
  handledAt: string | undefined;
  queued: Trigger | undefined;
  retry: { attempt: number; at: Date } | undefined;
  deferred: { at: Date; reason: string } | undefined;
}

/** What the scheduler needs of a run's end: a rejected run counts as a failure that may be retried. */
interface RunResult {
  status: RunStatus | 'running';
  retryable: boolean;
  deferral?: RunOutcome['deferral'];
}

/** When the scheduler's own bookkeeping fails (a full disk), it looks again this soon instead of at once. */
const TROUBLE_RETRY_MS = 60_000;

const SCHEDULED: ReadonlySet<Trigger> = new Set(['schedule', 'catch-up', 'retry', 'deferred', 'mount']);

/**
 * One timer to the next thing due across all plans. Missed slots become exactly one catch-up
 * run per plan; a failed scheduled run is retried with backoff; a deferred run is tried
 * again when conditions change or after its delay; a paused scheduler starts nothing.
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly runtimes = new Map<string, PlanRuntime>();
  private readonly active = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private readonly runControllers = new Map<string, AbortController>();
  private timer: Timer | undefined;
  private expectedWake: Date | undefined;
  private pauseState: PauseState | undefined;
  private stopped = false;
  private work: Promise<void> = Promise.resolve();
  /** The plan state as last read, for when it cannot be read. */
  private lastStates: Record<string, PlanState> = {};
  private readonly memory: ScheduleMemory;
  private readonly drives: DriveArrival;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.memory = options.memory ?? new ScheduleMemory(undefined);
    this.drives = new DriveArrival({
      events: options.mountEvents ?? platformMountEvents(),
      plans: options.plans,
      memory: this.memory,
      clock: options.clock,
      paused: () => this.paused(),
      snoozedUntil: (planId, now) => this.options.snoozedUntil?.(planId, now),
      arrive: (planId) => {
        if (!this.stopped) this.trigger(planId, 'mount');
      },
      running: () => [...this.runtimes].filter(([, runtime]) => runtime.running).map(([planId]) => planId),
      cancel: (planId, reason) => this.cancel(planId, reason),
      // In turn with the wakes: the timer it sets is known to whoever waits for the scheduler to settle.
      conditionsChanged: () => {
        this.work = this.work.then(() => this.conditionsChanged()).catch((error: unknown) => this.recover(error));
      },
      placesOf: options.placesOf,
      log: (line) => this.log(line),
    });
  }

  /** Why `schedule.onMount` cannot work on this machine, if it cannot. */
  get driveArrivalUnsupported(): string | undefined {
    return this.drives.unsupported;
  }

  private get retryDelays(): number[] {
    return this.options.retryDelaysMs ?? [60_000, 300_000, 900_000];
  }

  private get lateAfterMs(): number {
    return this.options.lateAfterMs ?? 60_000;
  }

  /** Starts scheduling: whatever was missed while Lifeboat was not running is caught up once. */
  async start(): Promise<void> {
    this.pauseState = await this.options.pause.read();
    await this.memory.load();
    this.restorePending();
    await this.rememberNewPlans();
    this.drives.update();
    await this.survive('catching up', () => this.processDue({ resumed: true }));
    await this.arm();
  }

  /** Stops the timer, cancels running runs (restic gets SIGINT, after-hooks still run) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.controller.abort();
    await this.drives.stop();
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
    await this.memory.flush();
  }

  /** The machine woke up (Electron's powerMonitor, or a wall-clock jump seen by the timer). */
  async resumed(): Promise<void> {
    if (this.stopped) return;
    this.log('resumed from sleep: catching up on missed slots');
    await this.survive('catching up', () => this.processDue({ resumed: true }));
    await this.arm();
  }

  /** Power or network changed: deferred runs are tried again now. */
  async conditionsChanged(): Promise<void> {
    for (const plan of this.options.plans()) {
      const runtime = this.runtime(plan.id);
      if (runtime.deferred && !this.paused()) {
        runtime.deferred = undefined;
        this.keepPending(plan.id);
        this.trigger(plan.id, 'deferred');
      }
    }
    await this.arm();
  }

  async pause(until: Date | null): Promise<PauseState> {
    this.pauseState = await this.options.pause.pause(until, this.options.clock.now());
    this.log(until ? `paused until ${until.toISOString()}` : 'paused until resumed');
    await this.arm();
    return this.pauseState;
  }

  async unpause(): Promise<void> {
    await this.options.pause.resume();
    this.pauseState = undefined;
    this.log('resumed scheduling');
    await this.survive('starting what is due', () => this.processDue({ resumed: false }));
    await this.arm();
  }

  get pauseInfo(): PauseState | undefined {
    return this.paused() ? this.pauseState : undefined;
  }

  /**
   * Starts a run of a plan, or, if it is running already, queues one more (at most one:
   * further triggers while one is queued are coalesced into it).
   */
  trigger(planId: string, trigger: Trigger): void {
    const runtime = this.runtime(planId);
    if (runtime.running) {
      if (runtime.queued === undefined) runtime.queued = trigger;
      return;
    }
    runtime.running = true;
    const task = this.runLoop(planId, trigger).finally(() => this.active.delete(task));
    this.active.add(task);
  }

  /** Cancels the plan's running run (and drops one queued after it); `reason` becomes the run's reason. */
  cancel(planId: string, reason?: string): boolean {
    const runtime = this.runtime(planId);
    runtime.queued = undefined;
    const controller = this.runControllers.get(planId);
    controller?.abort(reason === undefined ? undefined : new CancelReason(reason));
    return controller !== undefined;
  }

  /** Plans or schedules changed: the timer is set anew. */
  async configChanged(): Promise<void> {
    await this.rememberNewPlans();
    this.dropPendingThatNoLongerApplies();
    this.drives.update();
    await this.arm();
  }

  /** A plan seen for the first time: slots before now are not "missed". Best effort: the state may not be writable. */
  private async rememberNewPlans(): Promise<void> {
    const now = this.options.clock.now().toISOString();
    const states = await this.readStates();
    for (const plan of this.options.plans()) {
      if (states[plan.id]?.firstSeenAt) continue;
      await this.survive(`${plan.id}: remembering when it was first seen`, () => this.options.state.update(plan.id, { firstSeenAt: now }));
    }
  }

  isRunning(planId: string): boolean {
    return this.runtime(planId).running;
  }

  /** Resolves once the scheduler has decided what is due (runs may still be going). */
  async settled(): Promise<void> {
    for (;;) {
      const work = this.work;
      await work;
      if (work === this.work) return;
    }
  }

  /** Resolves once nothing is running, queued or being decided. */
  async idle(): Promise<void> {
    for (;;) {
      const work = this.work;
      await work;
      if (this.active.size > 0) await Promise.allSettled([...this.active]);
      else if (work === this.work) return;
    }
  }

  private async runLoop(planId: string, first: Trigger): Promise<void> {
    const runtime = this.runtime(planId);
    let trigger: Trigger | undefined = first;
    try {
      while (trigger !== undefined && !this.stopped) {
        this.log(`${planId}: ${trigger} run started`);
        const own = new AbortController();
        this.runControllers.set(planId, own);
        let result: RunResult;
        try {
          const outcome = await this.options.run(planId, trigger, AbortSignal.any([this.controller.signal, own.signal]));
          this.log(`${planId}: ${outcome.record.status}${outcome.record.reason ? ` (${outcome.record.reason})` : ''}`);
          result = { status: outcome.record.status, retryable: outcome.retryable, deferral: outcome.deferral };
        } catch (error) {
          // An exception in one run never stops the scheduler: it counts as a failure, and the next slot comes.
          this.log(`${planId}: the run failed: ${describe(error)}`);
          result = { status: 'failure', retryable: true };
        } finally {
          this.runControllers.delete(planId);
        }
        this.afterRun(planId, trigger, result);
        trigger = runtime.queued;
        runtime.queued = undefined;
      }
    } finally {
      runtime.running = false;
      if (!this.stopped) await this.arm();
    }
  }

  private afterRun(planId: string, trigger: Trigger, outcome: RunResult): void {
    const runtime = this.runtime(planId);
    const now = this.options.clock.now();
    const failed = outcome.status === 'failure';
    if (failed && outcome.retryable && SCHEDULED.has(trigger)) {
      const attempt = trigger === 'retry' ? (runtime.retry?.attempt ?? 0) : 0;
      const delay = this.retryDelays[attempt];
      runtime.retry = delay === undefined ? undefined : { attempt: attempt + 1, at: new Date(now.getTime() + delay) };
      if (runtime.retry) this.log(`${planId}: retry ${runtime.retry.attempt} of ${this.retryDelays.length} at ${runtime.retry.at.toISOString()}`);
    } else if (SCHEDULED.has(trigger) || outcome.status === 'success' || outcome.status === 'warning') {
      runtime.retry = undefined;
    }
    if (outcome.deferral) {
      runtime.deferred = { at: new Date(now.getTime() + outcome.deferral.retryAfterMs), reason: outcome.deferral.reason };
    } else if (trigger === 'deferred' || outcome.status !== 'skipped') {
      runtime.deferred = undefined;
    }
    this.keepPending(planId);
  }

  /** Writes the plan's retry and deferral as they are now (written before a retry starts: it is consumed once). */
  private keepPending(planId: string, options: { retryConsumed?: boolean } = {}): void {
    const runtime = this.runtime(planId);
    const retry = runtime.retry && !options.retryConsumed ? { attempt: runtime.retry.attempt, at: runtime.retry.at.toISOString() } : undefined;
    const deferred = runtime.deferred ? { at: runtime.deferred.at.toISOString(), reason: runtime.deferred.reason } : undefined;
    void this.survive(`${planId}: keeping its pending retry`, () => this.memory.update(planId, { retry, deferred }));
  }

  /** At start: the retries and deferrals a previous process left, for plans they still apply to. */
  private restorePending(): void {
    this.dropPendingThatNoLongerApplies();
    for (const plan of this.options.plans()) {
      const { retry, deferred } = this.memory.get(plan.id);
      const runtime = this.runtime(plan.id);
      if (retry) runtime.retry = { attempt: retry.attempt, at: new Date(retry.at) };
      if (deferred) runtime.deferred = { at: new Date(deferred.at), reason: deferred.reason };
      if (retry || deferred)
        this.log(`${plan.id}: ${retry ? `retry ${retry.attempt} due ${retry.at}` : `deferred run due ${deferred!.at}`} (kept from before)`);
    }
  }

  /** Retries and deferrals of plans removed or changed so that they no longer apply are dropped (pendingApplies). */
  private dropPendingThatNoLongerApplies(): void {
    const plans = new Map(this.options.plans().map((plan) => [plan.id, plan]));
    for (const planId of new Set([...this.memory.planIds(), ...this.runtimes.keys()])) {
      const plan = plans.get(planId);
      if (!plan) {
        if (this.memory.planIds().includes(planId)) void this.survive(`${planId}: forgetting it`, () => this.memory.forget(planId));
        const runtime = this.runtimes.get(planId);
        if (runtime) Object.assign(runtime, { retry: undefined, deferred: undefined });
        continue;
      }
      const runtime = this.runtime(planId);
      const kept = this.memory.get(planId);
      const applies = pendingApplies(plan);
      const dropRetry = !applies.retry && (runtime.retry !== undefined || kept.retry !== undefined);
      const dropDeferred = !applies.deferred && (runtime.deferred !== undefined || kept.deferred !== undefined);
      if (!dropRetry && !dropDeferred) continue;
      if (dropRetry) runtime.retry = undefined;
      if (dropDeferred) runtime.deferred = undefined;
      this.log(`${planId}: its pending ${dropRetry ? 'retry' : 'deferred run'} no longer applies (the plan changed)`);
      void this.survive(`${planId}: dropping its pending retry`, () =>
        this.memory.update(planId, { ...(dropRetry ? { retry: undefined } : {}), ...(dropDeferred ? { deferred: undefined } : {}) }),
      );
    }
  }

  /** Starts whatever is due: scheduled slots (once, however many were missed), retries, deferred runs. */
  private async processDue({ resumed }: { resumed: boolean }): Promise<void> {
    if (this.stopped) return;
    for (const watch of this.options.watches ?? []) await this.survive(watch.name, () => watch.check());
    this.drives.releaseHeld(); // arrivals held by a snooze that has ended
    const now = this.options.clock.now();
    const states = await this.readStates();
    const paused = this.paused();
    for (const plan of this.options.plans()) {
      const runtime = this.runtime(plan.id);
      if (runtime.running) continue; // the run in progress covers what fell due meanwhile
      if (this.options.snoozedUntil?.(plan.id, now)) continue; // what falls due meanwhile runs once the snooze ends
      const state: PlanState = states[plan.id] ?? {};
      const due = dueAt(plan, state, now);
      if (due && due <= now) {
        const late = this.isLate(plan, due, now);
        // Remembered before the run starts: a crash or a wake during the run never repeats it.
        await this.markHandled(plan, now);
        if (paused) {
          this.log(`${plan.id}: slot ${due.toISOString()} passed while paused`);
        } else if (late && !plan.catchUp) {
          this.log(`${plan.id}: missed slot ${due.toISOString()} (catchUp is off)`);
        } else {
          runtime.retry = undefined;
          runtime.deferred = undefined;
          this.keepPending(plan.id);
          this.startAfterNetwork(plan, late ? 'catch-up' : 'schedule', resumed && late);
          continue;
        }
      }
      if (paused) continue;
      if (runtime.retry && runtime.retry.at <= now) {
        this.keepPending(plan.id, { retryConsumed: true });
        this.trigger(plan.id, 'retry');
      } else if (runtime.deferred && runtime.deferred.at <= now) {
        runtime.deferred = undefined;
        this.keepPending(plan.id);
        this.trigger(plan.id, 'deferred');
      }
    }
  }

  private isLate(plan: Plan, due: Date, now: Date): boolean {
    if (now.getTime() - due.getTime() > this.lateAfterMs) return true;
    const schedule = plan.schedule;
    if (schedule && 'cron' in schedule) {
      // More than one slot has passed since the one due: some were missed.
      const latest = latestSlotAtOrBefore(schedule, now);
      return latest !== null && latest.getTime() > due.getTime();
    }
    return false;
  }

  private async markHandled(plan: Plan, now: Date): Promise<void> {
    const schedule = plan.schedule;
    const handled = (schedule && 'cron' in schedule ? (latestSlotAtOrBefore(schedule, now) ?? now) : now).toISOString();
    this.runtime(plan.id).handledAt = handled;
    await this.survive(`${plan.id}: remembering the slot it ran for`, () => this.options.state.update(plan.id, { slotHandledAt: handled }));
  }

  /**
   * What is remembered about each plan, with what this process knows on top: a state file that
   * cannot be read or written (a full disk) never stops the scheduler nor repeats a slot.
   */
  private async readStates(): Promise<Record<string, PlanState>> {
    let states: Record<string, PlanState>;
    try {
      states = await this.options.state.read();
      this.lastStates = states;
    } catch (error) {
      this.log(`the plan state cannot be read (${describe(error)}); going by what this process remembers`);
      states = structuredClone(this.lastStates);
    }
    for (const [planId, runtime] of this.runtimes) {
      const saved = states[planId]?.slotHandledAt;
      if (runtime.handledAt && (!saved || saved < runtime.handledAt)) states[planId] = { ...states[planId], slotHandledAt: runtime.handledAt };
    }
    return states;
  }

  /** Runs a piece of the scheduler's bookkeeping; a failure is told and never stops scheduling. */
  private async survive(what: string, work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      this.log(`${what} failed: ${describe(error)}`);
      return false;
    }
  }

  private startAfterNetwork(plan: Plan, trigger: Trigger, waitForNetwork: boolean): void {
    if (!waitForNetwork || !this.options.waitForNetwork) {
      this.trigger(plan.id, trigger);
      return;
    }
    const runtime = this.runtime(plan.id);
    runtime.running = true; // holds the plan while waiting, so nothing starts twice
    const task = (async () => {
      await this.survive(`${plan.id}: waiting for the network`, () => this.options.waitForNetwork!(plan));
      runtime.running = false;
      if (!this.stopped) this.trigger(plan.id, trigger);
    })().finally(() => this.active.delete(task));
    this.active.add(task);
  }

  /** Sets the one timer to the earliest thing due (or the longest sleep, to notice a suspend). */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    this.timer?.cancel();
    const now = this.options.clock.now();
    let states: Record<string, PlanState>;
    let next = now.getTime() + (this.options.maxSleepMs ?? 10 * 60_000);
    try {
      states = await this.readStates();
    } catch (error) {
      this.log(`the next wake could not be worked out (${describe(error)}); looking again in a minute`);
      states = {};
      next = now.getTime() + TROUBLE_RETRY_MS;
    }
    const paused = this.paused();
    if (paused && this.pauseState?.until) next = Math.min(next, Date.parse(this.pauseState.until));
    for (const plan of this.options.plans()) {
      const runtime = this.runtime(plan.id);
      if (runtime.running) continue;
      let due: Date | null = null;
      try {
        due = dueAt(plan, states[plan.id] ?? {}, now);
      } catch (error) {
        this.log(`${plan.id}: its next run cannot be worked out (${describe(error)})`);
      }
      // A snoozed plan's due times wait for the snooze's end.
      const held = this.options.snoozedUntil?.(plan.id, now)?.getTime() ?? 0;
      // A time that is not a number (a date past year 275760) would make the timer fire at once, forever.
      if (due && Number.isFinite(due.getTime())) next = Math.min(next, Math.max(held, due.getTime()));
      if (!paused && runtime.retry) next = Math.min(next, Math.max(held, runtime.retry.at.getTime()));
      if (!paused && runtime.deferred) next = Math.min(next, Math.max(held, runtime.deferred.at.getTime()));
    }
    const held = this.drives.heldUntil(now);
    if (held) next = Math.min(next, held.getTime());
    for (const watch of this.options.watches ?? []) {
      try {
        const at = await watch.nextCheckAt();
        if (at && Number.isFinite(at.getTime())) next = Math.min(next, at.getTime());
      } catch (error) {
        this.log(`${watch.name}: its next check cannot be worked out (${describe(error)})`);
      }
    }
    // stop() may have come while this was reading the state: a stopped scheduler sets no timer.
    if (this.stopped) return;
    this.timer?.cancel();
    const at = new Date(Math.max(next, now.getTime()));
    this.expectedWake = at;
    this.timer = this.options.clock.setTimer(at, () => {
      this.work = this.work.then(() => this.wake()).catch((error: unknown) => this.recover(error));
    });
  }

  private async wake(): Promise<void> {
    if (this.stopped) return;
    const now = this.options.clock.now();
    const slept = this.expectedWake !== undefined && now.getTime() - this.expectedWake.getTime() > this.lateAfterMs;
    if (this.pauseState && !this.paused()) {
      this.pauseState = undefined;
      await this.survive('ending the pause', () => this.options.pause.resume());
      this.log('pause ended');
    }
    if (slept) this.log('the clock jumped: the machine slept');
    await this.survive('starting what is due', () => this.processDue({ resumed: slept }));
    await this.arm();
  }

  /** Whatever went wrong in a wake, a timer is set again, a little later: the scheduler never stops on its own. */
  private recover(error: unknown): void {
    this.log(`the scheduler hit a problem (${describe(error)}); looking again in a minute`);
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.options.clock.setTimer(new Date(this.options.clock.now().getTime() + TROUBLE_RETRY_MS), () => {
      this.work = this.work.then(() => this.wake()).catch((next: unknown) => this.recover(next));
    });
  }

  private paused(): boolean {
    return isPaused(this.pauseState, this.options.clock.now());
  }

  private runtime(planId: string): PlanRuntime {
    let runtime = this.runtimes.get(planId);
    if (!runtime) {
      runtime = { running: false, handledAt: undefined, queued: undefined, retry: undefined, deferred: undefined };
      this.runtimes.set(planId, runtime);
    }
    return runtime;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
