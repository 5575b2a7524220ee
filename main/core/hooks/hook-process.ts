import { spawn } from 'node:child_process';
import { BoundedOutput } from '../util/bounded-output.ts';
import { LineSplitter } from '../util/line-splitter.ts';
import { signalTree, treeAlive } from './kill-tree.ts';

export const KILL_GRACE_MS = 5000;

export interface HookProcessOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Cancels the hook: its tree is stopped as on a timeout. */
  signal?: AbortSignal | undefined;
  graceMs?: number | undefined;
  /** Each line as it arrives, already redacted. */
  onLine?: ((stream: 'stdout' | 'stderr', line: string, time: Date) => void) | undefined;
  redact?: ((text: string) => string) | undefined;
  maxOutputBytes?: number | undefined;
}

export interface HookProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process could not be started at all. */
  startError?: string | undefined;
  /** Processes of the hook still alive after it exited, which were stopped. */
  strayProcesses: boolean;
  durationMs: number;
  /** Time-stamped lines, at most `maxOutputBytes` (head and tail kept, a marker between). */
  output: string;
  lastLines: { stdout: string; stderr: string };
}

/**
 * Runs a hook as the leader of its own process group. On timeout or cancel the whole group
 * gets SIGTERM, then SIGKILL after the grace period; whatever the hook left running when it
 * exited is stopped the same way, so no orphan outlives it.
 */
export function runHookProcess(options: HookProcessOptions): Promise<HookProcessResult> {
  const started = performance.now();
  const grace = options.graceMs ?? KILL_GRACE_MS;
  const redact = options.redact ?? ((text: string) => text);
  const output = new BoundedOutput(options.maxOutputBytes ?? 1024 * 1024);
  const lastLines = { stdout: '', stderr: '' };
  const splitters = {
    stdout: new LineSplitter((line) => record('stdout', line), 64 * 1024),
    stderr: new LineSplitter((line) => record('stderr', line), 64 * 1024),
  };
  function record(stream: 'stdout' | 'stderr', raw: string): void {
    const line = redact(raw);
    const time = new Date();
    if (line.trim()) lastLines[stream] = line;
    output.pushLine(`${time.toISOString()} ${stream} ${line}`);
    options.onLine?.(stream, line, time);
  }

  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let strayProcesses = false;
    let killTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;

    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    const stopTree = () => {
      if (child.pid === undefined) return;
      signalTree(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalTree(child.pid!, 'SIGKILL'), grace);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stopTree();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stopTree();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => splitters.stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => splitters.stderr.push(chunk));

    const finish = (startError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearTimeout(pipeTimer);
      options.signal?.removeEventListener('abort', onAbort);
      splitters.stdout.end();
      splitters.stderr.end();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        cancelled,
        startError,
        strayProcesses,
        durationMs: Math.round(performance.now() - started),
        output: output.toString(),
        lastLines,
      });
    };

    let pipeTimer: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Leftovers in the hook's group keep its pipes open and would live on: stop them.
      if (child.pid !== undefined && treeAlive(child.pid)) {
        strayProcesses = true;
        stopTree();
      }
      // A process that left the group (setsid) may still hold the pipes: do not wait forever.
      pipeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, grace + 1000);
    });
    child.on('close', () => finish());
    child.on('error', (error) => {
      exit ??= { code: null, signal: null };
      finish(error.message);
    });
  });
}
