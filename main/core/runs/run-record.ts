import type { RunStatus, Trigger } from '../config/schema.ts';
import type { ResticSummary } from '../restic/messages.ts';
import type { VerifyResult } from '../verify/verify-run.ts';

export type StepStatus = RunStatus;

export interface RunStep {
  kind: 'hook' | 'restic';
  /** The hook id, or the restic command. */
  name: string;
  event: string | null;
  status: StepStatus;
  exitCode: number | null;
  startedAt: string;
  durationMs: number;
  output: string;
}

/**
 * What a run does (SPEC §1). A backup's record carries no `kind` (the shape `run --json` gives,
 * and every record written before runs had kinds): a record without one is a backup. Hook test
 * runs are never recorded.
 */
export type RunKind = 'backup' | 'restore' | 'verify' | 'copy' | 'hook-test';

export interface RunRecord {
  id: string;
  /** Absent for a backup. */
  kind?: RunKind | undefined;
  plan: string;
  repository: string;
  trigger: Trigger;
  /** `running` only while the run is in progress (or until a crashed run is marked). */
  status: RunStatus | 'running';
  reason: string | null;
  startedAt: string;
  endedAt: string | null;
  snapshotId: string | null;
  steps: RunStep[];
  summary: ResticSummary | null;
  /** The process that runs it: a `running` record whose process is gone was interrupted. */
  pid?: number | undefined;
  /** What kept the machine awake meanwhile: `systemd-inhibit`, `electron` or `unavailable: <why>`. */
  keepAwake?: string | undefined;
  /** A restore check's findings (a verify run). */
  verify?: VerifyResult | undefined;
}

export type FinishedRun = RunRecord & { status: RunStatus };

/** A record's kind: one without a `kind` is a backup. */
export function runKind(run: Pick<RunRecord, 'kind'>): RunKind {
  return run.kind ?? 'backup';
}
