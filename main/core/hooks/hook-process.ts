import { spawn } from 'node:child_process';
import { BoundedOutput } from '../util/bounded-output.ts';
import type { Redactor } from '../util/redactor.ts';
import { type EscapedProcess, escapedDescendants, signalEscaped, signalTree, treeAlive } from './kill-tree.ts';
import { type CaptureSink, StreamCapture } from './output-capture.ts';
import { type OutputHolder, processesWithEnvironment, tracedProcesses } from './output-holders.ts';
import { type PipeBuffers, readPipe } from './pipe-reader.ts';

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
  /** Blocks of complete lines, joined by newlines (see CaptureSink.onLines). */
  onLines?: ((stream: 'stdout' | 'stderr', text: string, time: Date) => void) | undefined;
  /** Whether `onLines` wants the next block: when nobody follows the output, it is not decoded. */
  wantsLines?: (() => boolean) | undefined;
  /** Lines holding a text (as directives hold `LIFEBOAT_`), found without decoding the rest (see CaptureSink.watch). */
  watch?: CaptureSink['watch'];
  redact?: ((text: string) => string) | undefined;
  /** The secrets to scrub (instead of `redact`), looked for in the bytes too: output nobody reads is then stored without decoding it. */
  redactor?: Redactor | undefined;
  maxOutputBytes?: number | undefined;
  /** Variables that trace the hook's descendants (its run id and event), to name what it left behind. */
  trace?: Record<string, string> | undefined;
  /** Where the output pipes' read buffers come from and go back to (the runner's, shared by its hooks). */
  buffers?: PipeBuffers | undefined;
}

export interface HookProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The process could not be started at all. */
  startError?: string | undefined;
  /** Processes of the hook's own group still alive after it exited, which were stopped. */
  strayProcesses: boolean;
  /**
   * Processes that left the hook's group (setsid, a restarted service) and still held its output
   * when it exited: reading stopped there, and they were left running. `heldOutput` is true even
   * where they cannot be named.
   */
  heldOutput: boolean;
  holders: OutputHolder[];
  durationMs: number;
  /** Time-stamped lines, at most `maxOutputBytes` (head and tail kept, a marker between). */
  output: string;
  lastLines: { stdout: string; stderr: string };
}

/** After the hook's group is gone, how long its output may take to drain before it counts as held. */
const DRAIN_MS = 150;
const POLL_MS = 25;
/** After the hook exits, how long its group gets before leftovers in it are judged. */
const SETTLE_MS = 100;
/** How many times a holder is looked for before the warning goes out unnamed. */
const HOLDER_LOOKUPS = 8;

/**
 * Runs a hook as the leader of its own process group. On timeout or cancel the whole group
 * gets SIGTERM, then SIGKILL after the grace period; whatever of its group the hook left
 * running when it exited is stopped the same way. A process that left the group (setsid, a
 * restarted service) and holds the output does not hold the hook: reading stops once the
 * group is gone, and the process is named, not killed.
 */
export function runHookProcess(options: HookProcessOptions): Promise<HookProcessResult> {
  const started = performance.now();
  const grace = options.graceMs ?? KILL_GRACE_MS;
  const { redactor } = options;
  const redact = redactor ? (text: string) => redactor.redact(text) : (options.redact ?? ((text: string) => text));
  // Bytes can be known free of secrets only by a redactor, or when there are none.
  const secretIn = redactor ? (bytes: Buffer) => redactor.foundIn(bytes) : options.redact ? undefined : () => false;
  const output = new BoundedOutput(options.maxOutputBytes ?? 1024 * 1024);
  const sink: CaptureSink = {
    output,
    redact,
    secretIn,
    onLine: options.onLine,
    onLines: options.onLines,
    wantsLines: options.wantsLines,
    watch: options.watch,
  };
  const captures = { stdout: new StreamCapture('stdout', sink), stderr: new StreamCapture('stderr', sink) };

  return new Promise((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let strayProcesses = false;
    let heldOutput = false;
    let holders: OutputHolder[] = [];
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

    // On a timeout or cancel, what left the group while the hook runs is part of its tree too:
    // a setsid child (found by parent before the group is signalled, as its parent may go with
    // it) and a daemon's double fork (whose parent is gone: found by the variables it inherited).
    // Leftovers judged after a normal exit are only those of its group: a daemon it started on
    // purpose keeps running (SPEC §4).
    let escaped: EscapedProcess[] = [];
    const leftGroup = (pid: number): EscapedProcess[] => [
      ...escapedDescendants(pid),
      ...(options.trace ? tracedProcesses(options.trace).map(({ pid, start }) => ({ pid, start })) : []),
    ];
    const stopTree = (whole: boolean) => {
      if (child.pid === undefined) return;
      if (whole) escaped = [...escaped, ...leftGroup(child.pid)];
      signalTree(child.pid, 'SIGTERM');
      signalEscaped(escaped, 'SIGTERM');
      killTimer ??= setTimeout(() => {
        if (whole) escaped = [...escaped, ...leftGroup(child.pid!)];
        signalTree(child.pid!, 'SIGKILL');
        signalEscaped(escaped, 'SIGKILL');
      }, grace);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stopTree(true);
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stopTree(true);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    if (child.stdout) readPipe(child.stdout, (chunk) => captures.stdout.push(chunk), options.buffers);
    if (child.stderr) readPipe(child.stderr, (chunk) => captures.stderr.push(chunk), options.buffers);

    const finish = (startError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      // Processes that left the group and were told to stop still get their SIGKILL when the grace ends.
      if (escaped.length === 0) clearTimeout(killTimer);
      clearTimeout(pipeTimer);
      options.signal?.removeEventListener('abort', onAbort);
      captures.stdout.end();
      captures.stderr.end();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        cancelled,
        startError,
        strayProcesses,
        heldOutput,
        holders,
        durationMs: Math.round(performance.now() - started),
        output: output.toString(),
        lastLines: { stdout: captures.stdout.lastLine, stderr: captures.stderr.lastLine },
      });
    };

    let pipeTimer: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      const exited = performance.now();
      let groupGoneAt: number | undefined;
      let lookups = 0;
      const check = () => {
        if (settled) return;
        const now = performance.now();
        if (groupGoneAt === undefined) {
          // A `setsid daemon &` just before the hook's exit may not have left the group yet.
          if (now - exited < SETTLE_MS) {
            pipeTimer = setTimeout(check, POLL_MS);
            return;
          }
          // Leftovers in the hook's group are part of the hook: stop them.
          if (child.pid !== undefined && treeAlive(child.pid) && now - exited < grace + 1000) {
            if (!strayProcesses) {
              strayProcesses = true;
              stopTree(false);
            }
            pipeTimer = setTimeout(check, POLL_MS);
            return;
          }
          groupGoneAt = now;
        }
        if (now - groupGoneAt < DRAIN_MS) {
          pipeTimer = setTimeout(check, POLL_MS);
          return;
        }
        // Still open with the group gone: a process that left the group holds the output. One
        // caught mid-exec shows no environment for a moment, so it is looked for a few times.
        holders = options.trace ? processesWithEnvironment(options.trace) : [];
        if (holders.length === 0 && options.trace && lookups < HOLDER_LOOKUPS) {
          lookups += 1;
          pipeTimer = setTimeout(check, POLL_MS);
          return;
        }
        heldOutput = true;
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      };
      pipeTimer = setTimeout(check, POLL_MS);
    });
    child.on('close', () => finish());
    child.on('error', (error) => {
      exit ??= { code: null, signal: null };
      finish(error.message);
    });
  });
}
