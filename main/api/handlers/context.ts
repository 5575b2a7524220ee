import type { z } from 'zod';
import type { RawConfig } from '../../core/config/edit.ts';
import type { Problem } from '../../core/config/validate.ts';
import type { Engine } from '../../core/engine.ts';
import type { BackupProgress } from '../../core/restic/messages.ts';
import type { RunRecord } from '../../core/runs/run-record.ts';
import type { Scheduler } from '../../core/schedule/scheduler.ts';
import type { AnyEvent, CallName, CallOutput, Calls, RunBrief } from '../contract.ts';

/** What only the desktop app can do; absent in `serve`. */
export interface DesktopActions {
  pickFolder(title: string | undefined): Promise<string | null>;
  pickFile(title: string | undefined): Promise<string | null>;
  startAtLogin(enabled: boolean | undefined): boolean;
}

/** What every handler file is handed: the engine, the scheduler, and the few things the API keeps itself. */
export interface HandlerContext {
  engine: Engine;
  scheduler: Scheduler;
  version: string;
  /** True in the desktop app (folder pickers, notifications through Electron). */
  desktop: boolean;
  desktopActions?: DesktopActions | undefined;
  /** Tells every UI. */
  publish(event: AnyEvent): void;
  /** The last progress of a plan's run under way, if any. */
  progress(planId: string): BackupProgress | null;
  /** The config in use as written, typed, for core/config/edit.ts. */
  rawConfig(): RawConfig;
  /** Validates and saves (with `revision`, only over that version of the file), then tells the scheduler and the UI. */
  saveConfig(config: Record<string, unknown>, options?: { revision?: string | undefined }): Promise<void>;
}

/** A call's input as it is once the contract's schema has checked it. */
export type CheckedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type Handler<N extends CallName> = (input: CheckedInput<N>) => Promise<CallOutput<N>>;
export type Handlers = { [N in CallName]: Handler<N> };
/** The handlers of the calls named `<prefix>.*`, for one or more prefixes. */
export type HandlersOf<Prefix extends string> = { [N in CallName as N extends `${Prefix}.${string}` ? N : never]: Handler<N> };

export function brief(run: RunRecord): RunBrief {
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

export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({ path: `${prefix}${issue.path.map(String).join('.')}`, message: issue.message }));
}

/** A probe's field problems, with the path inside the item rather than inside a whole config. */
export function problemsWithin(problems: Problem[], prefix: RegExp): Problem[] {
  return problems.map((problem) => ({ ...problem, path: problem.path.replace(prefix, '') }));
}
