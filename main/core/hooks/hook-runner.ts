import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateCondition } from '../conditions/registry.ts';
import type { HookEvent, RunStatus } from '../config/schema.ts';
import type { Hook, Repository, Settings } from '../config/types.ts';
import { isAfterEvent } from '../config/vocabulary.ts';
import type { Platform } from '../platform/platform.ts';
import type { HookDispatcher } from '../runs/hook-dispatcher.ts';
import type { RunStep } from '../runs/run-record.ts';
import type { RunState } from '../runs/run-state.ts';
import { formatDuration } from '../util/duration.ts';
import { errorMessage, UserError, unreachable } from '../util/errors.ts';
import { expandHome } from '../util/paths.ts';
import { parseDirective } from './directives.ts';
import { hookEnvironment, hookVariables, SUMMARY_FILE } from './environment.ts';
import { prepareHookCommand } from './hook-command.ts';
import { runHookProcess } from './hook-process.ts';
import { hookRedactor, secretEnvNames } from './hook-secrets.ts';
import { type HookOutcome, hookVerdict } from './hook-verdict.ts';
import type { OutputHolder } from './output-holders.ts';
import { PipeBuffers } from './pipe-reader.ts';

/** Exit code 75 (EX_TEMPFAIL, borgmatic's soft failure): skip the run, whatever onError says. */
export const SKIP_EXIT_CODE = 75;

export type { HookOutcome } from './hook-verdict.ts';

export interface HookCallResult {
  outcome: HookOutcome;
  /** Something the run should hear though the hook passed: a process left holding its output. */
  warning?: string | undefined;
  exitCode: number | null;
  durationMs: number;
  output: string;
}

export interface HookRunnerOptions {
  platform: Platform;
  settings: () => Settings;
  /** Every repository of the config: their secrets never reach a hook, nor its output. */
  repositories?: (() => readonly Repository[]) | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => Date) | undefined;
  /** Between SIGTERM and SIGKILL when a hook is stopped. */
  graceMs?: number | undefined;
}

const PERSON_TRIGGERS = new Set(['manual', 'cli']);

/** Runs the hooks of each event in order and turns their outcomes into the run's state. */
export class HookRunner implements HookDispatcher {
  private readonly options: HookRunnerOptions;
  /** Runs told already that hooks are off: the warning comes once per run, not once per event. */
  private readonly toldHooksOff = new WeakSet<RunState>();
  /** The output pipes' read buffers, used again from hook to hook. */
  private readonly buffers = new PipeBuffers();

  constructor(options: HookRunnerOptions) {
    this.options = options;
  }

  async dispatch(event: HookEvent, run: RunState): Promise<void> {
    const bound = run.plan.hooks.filter((hook) => hook.on.includes(event));
    if (bound.length === 0) return;
    if (!this.options.settings().hooksEnabled) {
      const count = run.plan.hooks.filter((hook) => hook.enabled).length;
      if (count > 0 && !this.toldHooksOff.has(run)) {
        this.toldHooksOff.add(run);
        run.warn(
          `Hooks are off (settings.hooksEnabled is false), so ${count} hook${count === 1 ? '' : 's'} of this plan did not run. Read them, then turn hooks on.`,
        );
      }
      return;
    }
    const after = isAfterEvent(event);
    const statusSeen: RunStatus = run.status;
    for (const hook of bound) {
      if (!hook.enabled) continue;
      if (!after && run.stopped) break; // a before-hook failed or skipped: the rest of this phase is skipped
      if (after && !hook.states.includes(statusSeen)) continue;
      if (hook.appliesTo === 'scheduled' && PERSON_TRIGGERS.has(run.trigger)) {
        run.addStep(
          step(hook, event, 'skipped', null, 0, `Bypassed: this run was started by a person (${run.trigger}), and the hook applies to scheduled runs only.`),
        );
        continue;
      }
      if (hook.mode === 'async') {
        run.pendingAsync.push(
          this.call(hook, event, run).then((result) =>
            run.addStep(step(hook, event, result.warning ? 'warning' : asyncStatus(result.outcome), result.exitCode, result.durationMs, result.output)),
          ),
        );
        continue;
      }
      const result = await this.call(hook, event, run);
      this.apply(hook, event, run, result);
    }
  }

  /** Runs one hook (script or condition) and says what came of it; it never throws. */
  async call(hook: Hook, event: HookEvent, run: RunState): Promise<HookCallResult> {
    run.stepStarted('hook', hook.id, event);
    // Before-hooks stop with the run; after-hooks and run.end are clean-up and always finish.
    const signal = isAfterEvent(event) ? undefined : run.signal;
    if (hook.condition) {
      const started = performance.now();
      try {
        const verdict = await withTimeout(
          evaluateCondition(hook.condition, { platform: this.options.platform, repositoryUrl: run.repository.url, now: this.now(), signal }),
          hook.timeout.ms,
          `the ${hook.condition.type} check did not finish within ${hook.timeout.text}`,
        );
        const time = new Date().toISOString();
        return {
          outcome: verdict.pass ? { kind: 'pass', reason: verdict.reason } : { kind: 'error', reason: verdict.reason },
          exitCode: null,
          durationMs: Math.round(performance.now() - started),
          output: `${time} stdout ${verdict.pass ? 'pass' : 'fail'}: ${verdict.reason}\n`,
        };
      } catch (error) {
        return { outcome: { kind: 'error', reason: errorMessage(error) }, exitCode: null, durationMs: Math.round(performance.now() - started), output: '' };
      }
    }
    return this.callScript(hook, event, run, signal);
  }

  private async callScript(hook: Hook, event: HookEvent, run: RunState, signal: AbortSignal | undefined): Promise<HookCallResult> {
    const summaryFile = join(run.workingDir, SUMMARY_FILE);
    await writeSummary(summaryFile, run);
    const variables = hookVariables(run, event, hook.id, summaryFile);
    const values = { ...hook.env, ...variables };
    let command: Awaited<ReturnType<typeof prepareHookCommand>>;
    try {
      command = await prepareHookCommand(hook, event, values, run.workingDir);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return {
        outcome: { kind: 'error', reason: error.message },
        exitCode: null,
        durationMs: 0,
        output: `${new Date().toISOString()} stderr ${error.message}\n`,
      };
    }
    // A working folder that is not there: said as such (spawn would blame the shell: "spawn /bin/sh ENOENT").
    const cwd = hook.cwd ? expandHome(hook.cwd) : run.workingDir;
    if (
      hook.cwd &&
      !(await stat(cwd).then(
        (info) => info.isDirectory(),
        () => false,
      ))
    ) {
      const reason = `Hook "${hook.id}" could not start: its working folder (cwd) ${JSON.stringify(cwd)} is not a folder on this computer. Create it, or change the hook's cwd.`;
      return { outcome: { kind: 'error', reason }, exitCode: null, durationMs: 0, output: `${new Date().toISOString()} stderr ${reason}\n` };
    }
    const processEnv = this.options.env ?? process.env;
    const repositories = [...(this.options.repositories?.() ?? []), run.repository];
    const redactor = hookRedactor(repositories, processEnv, run.redactor);
    const env = hookEnvironment(processEnv, hook.env, variables, {
      inherit: [...hook.inheritEnv, ...this.options.settings().hookInheritEnv],
      isSecret: secretEnvNames(repositories),
      containsSecret: (value) => redactor.redact(value) !== value,
    });
    const directives: Array<ReturnType<typeof parseDirective>> = [];
    const result = await runHookProcess({
      file: command.file,
      args: command.args,
      cwd,
      env,
      timeoutMs: hook.timeout.ms,
      graceMs: this.options.graceMs,
      signal,
      redactor,
      trace: { LIFEBOAT_RUN_ID: run.id, LIFEBOAT_EVENT: event, LIFEBOAT_HOOK_ID: hook.id },
      buffers: this.buffers,
      onLines: (stream, text) => run.output(hook.id, stream, text),
      // Output nobody follows is not decoded (a flood then costs little more than reading it).
      wantsLines: () => run.hearsOutput,
      // Directives start their line with LIFEBOAT_: only lines holding it are looked at.
      watch: {
        text: 'LIFEBOAT_',
        onLine: (stream, line) => {
          if (stream !== 'stdout' || directives.length >= 1000) return;
          const directive = parseDirective(line);
          if (directive) directives.push(directive);
        },
      },
    });
    const base = { exitCode: result.exitCode, durationMs: result.durationMs, output: result.output };
    // What the hook left running in its own group is stopped with it (SPEC §4): said where its output is read.
    if (result.strayProcesses && !result.timedOut && !result.cancelled) base.output += `${new Date().toISOString()} stderr ${STOPPED_LEFTOVERS}\n`;
    const last = result.lastLines.stderr || result.lastLines.stdout;
    if (result.cancelled) return { ...base, outcome: { kind: 'cancelled', reason: `Hook "${hook.id}" was stopped because the run was cancelled` } };
    if (result.timedOut) return { ...base, outcome: { kind: 'error', reason: `Hook "${hook.id}" timed out after ${hook.timeout.text} and was stopped` } };
    if (result.startError) return { ...base, outcome: { kind: 'error', reason: `Hook "${hook.id}" could not start: ${result.startError}` } };
    if (result.exitCode === SKIP_EXIT_CODE) {
      return { ...base, outcome: { kind: 'skip', reason: last || `Hook "${hook.id}" asked to skip the run (exit ${SKIP_EXIT_CODE})` } };
    }
    if (result.exitCode !== 0) {
      const how = result.exitCode === null ? `was killed by ${result.signal}` : `failed (exit ${result.exitCode})`;
      return { ...base, outcome: { kind: 'error', reason: `Hook "${hook.id}" ${how}${last ? `: ${last}` : ''}` } };
    }
    const problem = applyDirectives(directives, event, run);
    if (problem) return { ...base, outcome: { kind: 'error', reason: `Hook "${hook.id}": ${problem}` } };
    if (result.heldOutput) {
      const warning = leftoverWarning(hook.id, result.holders);
      return { ...base, output: `${base.output}${new Date().toISOString()} stderr ${warning}\n`, warning, outcome: { kind: 'pass', reason: warning } };
    }
    return { ...base, outcome: { kind: 'pass', reason: `Hook "${hook.id}" succeeded` } };
  }

  /** What an outcome means for the run: the hook's verdict, the same one a test run shows. */
  private apply(hook: Hook, event: HookEvent, run: RunState, result: HookCallResult) {
    const { outcome } = result;
    const record = (status: RunStep['status']) => run.addStep(step(hook, event, status, result.exitCode, result.durationMs, result.output));
    const verdict = hookVerdict(outcome, hook.onError);
    switch (verdict.kind) {
      case 'pass':
        if (result.warning) {
          record('warning');
          run.warn(result.warning);
          return;
        }
        record('success');
        return;
      case 'cancelled':
        record('cancelled');
        return;
      case 'skip':
        record('skipped');
        run.skipRun(outcome.reason);
        return;
      case 'fail':
        record('failure');
        run.fail(outcome.reason);
        return;
      case 'warning':
        record('warning');
        run.warn(outcome.reason);
        return;
      case 'defer': {
        record('skipped');
        const retryAfterMs = hook.retryAfter.ms;
        run.deferral = { reason: outcome.reason, retryAfterMs };
        run.skipRun(`${outcome.reason} (deferred: tried again when that can have changed, or in ${formatDuration(retryAfterMs)})`);
        return;
      }
      default:
        return unreachable(verdict.kind);
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** Names what a hook left holding its output; Lifeboat stopped reading and left it running. */
const STOPPED_LEFTOVERS =
  'Lifeboat stopped the processes this hook left running in its process group when it exited. Start one meant to keep running with setsid, its output redirected (setsid cmd >/dev/null 2>&1 &).';

function leftoverWarning(hookId: string, holders: OutputHolder[]): string {
  const named = holders.map((holder) => `${holder.pid} (${holder.command})`).join(', ');
  const what = holders.length === 0 ? 'a process it started' : `process${holders.length === 1 ? '' : 'es'} ${named}`;
  return `Hook "${hookId}" exited, but ${what} still held its output; Lifeboat stopped reading and left ${holders.length > 1 ? 'them' : 'it'} running. Redirect its output (>/dev/null 2>&1) if that is a service meant to stay.`;
}

function asyncStatus(outcome: HookOutcome): RunStep['status'] {
  if (outcome.kind === 'pass') return 'success';
  if (outcome.kind === 'skip') return 'skipped';
  if (outcome.kind === 'cancelled') return 'cancelled';
  return 'failure';
}

function step(hook: Hook, event: HookEvent, status: RunStep['status'], exitCode: number | null, duration: number, output: string): RunStep {
  return { kind: 'hook', name: hook.id, event, status, exitCode, startedAt: new Date(Date.now() - duration).toISOString(), durationMs: duration, output };
}

/** Applies LIFEBOAT_WARNING and LIFEBOAT_SNAPSHOT_PATH; returns a problem sentence if one is misused. */
function applyDirectives(directives: Array<ReturnType<typeof parseDirective>>, event: HookEvent, run: RunState): string | undefined {
  for (const directive of directives) {
    if (!directive) continue;
    if (directive.kind === 'warning') {
      run.warn(directive.text);
      continue;
    }
    if (event !== 'backup.before') return `LIFEBOAT_SNAPSHOT_PATH only works in backup.before hooks (this is ${event})`;
    const sources = run.plan.sources;
    if (directive.source === undefined) {
      if (sources.length !== 1) {
        return `the plan has ${sources.length} sources, so say which one the snapshot replaces: LIFEBOAT_SNAPSHOT_PATH[${sources[0]}]=${directive.path}`;
      }
      run.redirects.set(sources[0]!, directive.path);
      continue;
    }
    const source = sources.find((candidate) => candidate === directive.source || candidate === expandHome(directive.source!));
    if (!source) return `LIFEBOAT_SNAPSHOT_PATH[${directive.source}] names no source of this plan (sources: ${sources.join(', ')})`;
    run.redirects.set(source, directive.path);
  }
  return undefined;
}

/** The run so far, for LIFEBOAT_SUMMARY_FILE. */
async function writeSummary(file: string, run: RunState): Promise<void> {
  const summary = {
    id: run.id,
    plan: run.plan.id,
    trigger: run.trigger,
    status: run.status,
    reason: run.reason,
    startedAt: run.record.startedAt,
    snapshotId: run.record.snapshotId,
    summary: run.record.summary,
    steps: run.record.steps.map(({ output: _output, ...rest }) => rest),
  };
  await writeFile(file, JSON.stringify(summary, null, 2), { mode: 0o600 });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
