import type { HookEvent, RunStatus, Trigger } from '../config/schema.ts';
import type { Plan, Repository } from '../config/types.ts';
import type { BackupProgress, ResticSummary } from '../restic/messages.ts';
import { Redactor } from '../util/redactor.ts';
import { type RunKind, type RunRecord, type RunStep, runKind } from './run-record.ts';

export type RunEvent =
  | { type: 'run-started'; run: RunRecord }
  | { type: 'step-started'; runId: string; kind: RunStep['kind']; name: string; event: string | null }
  | { type: 'progress'; runId: string; plan: string; progress: BackupProgress }
  | {
      type: 'output';
      runId: string;
      step: string;
      stream: 'stdout' | 'stderr';
      /** One or more complete lines, joined by newlines (a hook printing much sends big blocks). */
      text: string;
    }
  | { type: 'step-ended'; runId: string; step: RunStep }
  | { type: 'run-ended'; run: RunRecord };

/** Why a run was cancelled, when whoever cancelled it says (`controller.abort(new CancelReason(…))`). */
export class CancelReason {
  readonly sentence: string;

  constructor(sentence: string) {
    this.sentence = sentence;
  }
}

function cancelReason(signal: AbortSignal): string | undefined {
  return signal.aborted && signal.reason instanceof CancelReason ? signal.reason.sentence : undefined;
}

/**
 * The state of one run as it goes: what failed, skipped or warned first decides the
 * outcome, and once a run is stopped no further phase starts (`run.end` still does).
 */
export class RunState {
  readonly record: RunRecord;
  readonly plan: Plan;
  readonly repository: Repository;
  readonly signal: AbortSignal;
  readonly workingDir: string;
  /** Knows the repository's secrets: every text a hook or restic prints passes through it. */
  readonly redactor: Redactor;
  /** Sources a backup.before hook redirected to a snapshot folder (LIFEBOAT_SNAPSHOT_PATH). */
  readonly redirects = new Map<string, string>();
  /** Hooks started with `mode: "async"`: the run records them before it is stored. */
  readonly pendingAsync: Promise<void>[] = [];
  /** A failure that running again cannot change (a wrong password, a missing password variable). */
  permanentFailure = false;
  /** Set when the repository check of a backup run completed (the plan's next check is counted from it). */
  checked = false;
  /** The sentence a successful run ends with, when it has one to say ("restore verified 20/20"). */
  note: string | undefined;
  /**
   * Hands the repository's queue to the next run while this one goes on elsewhere (its copy
   * phase waits for the target's queue, never holding both). Does nothing for a run not queued.
   */
  releaseRepository: () => void = () => undefined;
  /** Set when a hook with `onError: "defer"` postponed the run. */
  deferral: { reason: string; retryAfterMs: number } | undefined;
  private readonly emit: (event: RunEvent) => void;
  private readonly hears: () => boolean;
  private failure: string | undefined;
  private skip: string | undefined;
  private warnings: string[] = [];

  constructor(options: {
    record: RunRecord;
    plan: Plan;
    repository: Repository;
    signal: AbortSignal;
    workingDir: string;
    emit: (event: RunEvent) => void;
    redactor?: Redactor | undefined;
    /** Whether anyone hears this run's hook output now (output events); missing: always. */
    hearsOutput?: (() => boolean) | undefined;
  }) {
    this.redactor = options.redactor ?? new Redactor();
    this.record = options.record;
    this.plan = options.plan;
    this.repository = options.repository;
    this.signal = options.signal;
    this.workingDir = options.workingDir;
    this.emit = options.emit;
    this.hears = options.hearsOutput ?? (() => true);
  }

  /** Whether output events of this run reach anyone who reads them: if not, a hook's output need not be decoded for them. */
  get hearsOutput(): boolean {
    return this.hears();
  }

  get id(): string {
    return this.record.id;
  }

  get kind(): RunKind {
    return runKind(this.record);
  }

  get trigger(): Trigger {
    return this.record.trigger;
  }

  get cancelled(): boolean {
    return this.signal.aborted;
  }

  /** True once the run must not start another phase. */
  get stopped(): boolean {
    return this.cancelled || this.failure !== undefined || this.skip !== undefined;
  }

  fail(reason: string): void {
    this.failure ??= reason;
  }

  skipRun(reason: string): void {
    this.skip ??= reason;
  }

  warn(reason: string): void {
    this.warnings.push(reason);
  }

  /** The status the run has at this moment, as after-hooks and run.end see it. */
  get status(): RunStatus {
    if (this.cancelled) return 'cancelled';
    if (this.failure !== undefined) return 'failure';
    if (this.skip !== undefined) return 'skipped';
    if (this.warnings.length > 0) return 'warning';
    return 'success';
  }

  get reason(): string | null {
    switch (this.status) {
      case 'cancelled':
        return cancelReason(this.signal) ?? this.failure ?? 'cancelled';
      case 'failure':
        return this.failure ?? null;
      case 'skipped':
        return this.skip ?? null;
      case 'warning':
        return this.warnings.join('; ');
      default:
        return this.note ?? null;
    }
  }

  setSnapshot(snapshotId: string | undefined, summary: ResticSummary | undefined): void {
    this.record.snapshotId = snapshotId ?? this.record.snapshotId;
    this.record.summary = summary ?? this.record.summary;
  }

  stepStarted(kind: RunStep['kind'], name: string, event: HookEvent | null): void {
    this.emit({ type: 'step-started', runId: this.id, kind, name, event });
  }

  addStep(step: RunStep): void {
    this.record.steps.push(step);
    this.emit({ type: 'step-ended', runId: this.id, step });
  }

  progress(progress: BackupProgress): void {
    this.emit({ type: 'progress', runId: this.id, plan: this.plan.id, progress });
  }

  output(step: string, stream: 'stdout' | 'stderr', text: string): void {
    this.emit({ type: 'output', runId: this.id, step, stream, text });
  }

  /** The folders restic backs up: the plan's sources, with hook redirects applied. */
  backupPaths(): string[] {
    return this.plan.sources.map((source) => this.redirects.get(source) ?? source);
  }
}
