import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { BoundedOutput } from '../util/bounded-output.ts';
import { LineSplitter } from '../util/line-splitter.ts';
import type { Redactor } from '../util/redactor.ts';
import { DELETE_REFUSED } from './classify.ts';
import { parseExitError } from './messages.ts';

export interface ResticInvocation {
  command: string;
  args: string[];
  exitCode: number | undefined;
  cancelled: boolean;
  /** Stopped by Lifeboat because the backend kept failing (restic would retry for 15 minutes). */
  backendGaveUp: boolean;
  /** Stopped by Lifeboat because the repository never answered: restic 0.17+ kept retrying to read its config. */
  unreachable: boolean;
  /** The server refused a delete (append-only): restic was stopped rather than left to retry, or said so and went on. */
  deleteRefused: boolean;
  durationMs: number;
  /** Redacted, bounded text of what restic printed that is worth keeping. */
  output: string;
  stderr: string;
}

export interface RunResticOptions {
  binary: string;
  args: string[];
  env: Record<string, string>;
  redactor: Redactor;
  signal?: AbortSignal | undefined;
  /** Time between SIGINT (restic removes its lock) and SIGKILL when cancelled. */
  graceMs?: number | undefined;
  onStdoutLine?: ((line: string) => void) | undefined;
  /**
   * Writes stdout, byte for byte, into this file (created or truncated) instead of reading it as
   * lines: restic waits while the disk is slower than it (back-pressure), so a large `dump`
   * never piles up in memory.
   */
  stdoutFile?: string | undefined;
  onStderrLine?: ((line: string) => void) | undefined;
  /** Whether a stdout line belongs in the kept output (status lines do not). */
  keepStdoutLine?: ((line: string) => boolean) | undefined;
  /**
   * How long restic may keep retrying a failing backend without any progress before it is
   * stopped and the run fails with the network sentence. Default 2 minutes.
   */
  backendGiveUpMs?: number | undefined;
  /**
   * How long restic 0.17 and newer may retry reading the repository's config (the repository
   * has not answered once) before it is stopped as unreachable; restic 0.14 gives up at once.
   * Default 10 seconds.
   */
  unreachableGiveUpMs?: number | undefined;
}

const BACKEND_RETRY = /returned error, retrying after/;
const CONFIG_RETRY = /^(Stat|Load)\(<config\/?>\) returned error, retrying after/;

/** Runs restic once, streaming its lines; secrets reach it only through `env`. */
export async function runRestic(options: RunResticOptions): Promise<ResticInvocation> {
  const started = performance.now();
  const giveUp = new AbortController();
  let backendGaveUp = false;
  let unreachable = false;
  let deleteRefused = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let configTimer: NodeJS.Timeout | undefined;
  const configFailing = () => {
    configTimer ??= setTimeout(() => {
      unreachable = true;
      giveUp.abort();
    }, options.unreachableGiveUpMs ?? 10_000);
  };
  let bytesDone = -1;
  const backendFailing = () => {
    retryTimer ??= setTimeout(() => {
      backendGaveUp = true;
      giveUp.abort();
    }, options.backendGiveUpMs ?? 120_000);
  };
  const progressed = (line: string) => {
    const done = Number(/"bytes_done":(\d+)/.exec(line)?.[1] ?? -1);
    if (done > bytesDone) {
      bytesDone = done;
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
  };
  const output = new BoundedOutput();
  const stderrText = new BoundedOutput(256 * 1024);
  const keep = options.keepStdoutLine ?? (() => true);
  const stdout = new LineSplitter((line) => {
    if (retryTimer && line.includes('"bytes_done"')) progressed(line);
    options.onStdoutLine?.(line);
    if (keep(line)) output.pushLine(options.redactor.redact(line));
  });
  const stderr = new LineSplitter((line) => {
    if (DELETE_REFUSED.test(line)) {
      // An append-only server never changes its mind: no point in restic's minute of retries.
      deleteRefused = true;
      giveUp.abort();
    } else if (CONFIG_RETRY.test(line)) configFailing();
    else if (BACKEND_RETRY.test(line)) backendFailing();
    // restic 0.17+ tells its fatal error as JSON under --json; kept as the words 0.14 prints.
    const clean = options.redactor.redact(parseExitError(line)?.text ?? line);
    options.onStderrLine?.(line);
    output.pushLine(clean);
    stderrText.pushLine(clean);
  });
  const result = await spawnRestic(options, options.signal ? AbortSignal.any([options.signal, giveUp.signal]) : giveUp.signal, {
    stdout: options.stdoutFile ?? ((chunk) => stdout.push(chunk)),
    stderr: (chunk) => stderr.push(chunk),
  });
  clearTimeout(retryTimer);
  clearTimeout(configTimer);
  stdout.end();
  stderr.end();
  if (result.writeError !== undefined) {
    const message = options.redactor.redact(`restic's output could not be written to ${options.stdoutFile}: ${result.writeError}`);
    stderrText.pushLine(message);
    output.pushLine(message);
  }
  if (result.startError !== undefined) {
    const message = options.redactor.redact(`${options.binary} could not be started: ${result.startError}`);
    stderrText.pushLine(message);
    output.pushLine(message);
  }
  return {
    command: options.args[0] ?? '',
    args: options.args,
    // Output that could not be kept is a failure whatever restic said.
    exitCode: result.writeError !== undefined && result.exitCode === 0 ? 1 : result.exitCode,
    cancelled: result.cancelled && !backendGaveUp && !unreachable && !deleteRefused,
    backendGaveUp,
    unreachable,
    deleteRefused,
    durationMs: Math.round(performance.now() - started),
    output: output.toString(),
    stderr: stderrText.toString(),
  };
}

/** restic processes still running: stopped if Lifeboat exits before them (a second Ctrl-C), so none keeps a lock. */
const running = new Set<ChildProcess>();
let exitHook = false;

interface SpawnResult {
  /** undefined when restic was killed by a signal or never started. */
  exitCode: number | undefined;
  cancelled: boolean;
  startError?: string | undefined;
  /** stdout went to a file that could not be written (disk full, no permission). */
  writeError?: string | undefined;
}

/**
 * Starts restic with exactly `env`; on `cancel` it gets SIGINT (restic removes its lock) and,
 * `graceMs` later, SIGKILL.
 */
function spawnRestic(
  options: RunResticOptions,
  cancel: AbortSignal,
  on: { stdout: ((chunk: Buffer) => void) | string; stderr: (chunk: Buffer) => void },
): Promise<SpawnResult> {
  return new Promise((resolve) => {
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let startError: string | undefined;
    let writeError: string | undefined;
    let settled = false;
    const child = spawn(options.binary, options.args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    running.add(child);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const child of running) child.kill('SIGTERM');
      });
    }
    const onCancel = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      cancelled = true;
      child.kill('SIGINT');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 10_000);
    };
    if (cancel.aborted) onCancel();
    else cancel.addEventListener('abort', onCancel, { once: true });
    let written: Promise<void> = Promise.resolve();
    if (typeof on.stdout === 'string') {
      // pipeline pauses restic's stdout while the file catches up.
      written = pipeline(child.stdout!, createWriteStream(on.stdout)).catch((error: unknown) => {
        writeError = (error as Error).message;
        onCancel();
      });
    } else {
      child.stdout?.on('data', on.stdout);
    }
    child.stderr?.on('data', on.stderr);
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      running.delete(child);
      clearTimeout(killTimer);
      cancel.removeEventListener('abort', onCancel);
      void written.then(() => resolve({ exitCode: code ?? undefined, cancelled: cancelled && writeError === undefined, startError, writeError }));
    };
    child.on('error', (error) => {
      startError = error.message;
      // Not started at all: no 'close' follows for certain.
      if (child.pid === undefined) finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}
