import { type ChildProcess, spawn } from 'node:child_process';
import { LineSplitter } from '../util/line-splitter.ts';
import type { MountEvent, MountEvents, MountWatch } from './mount-events.ts';

/** Restart delays after findmnt dies: doubling from 1 s to at most a minute; a minute of health starts over. */
const FIRST_RESTART_MS = 1000;
const LONGEST_RESTART_MS = 60_000;
const HEALTHY_AFTER_MS = 60_000;
/** Between SIGTERM and SIGKILL when the watch stops. */
const STOP_GRACE_MS = 2000;

const ACTIONS: ReadonlySet<string> = new Set(['mount', 'umount', 'remount', 'move']);

/**
 * Mount events from `findmnt --poll` (util-linux): one child for every watched path, which the
 * kernel wakes on each change of the mount table, so nothing here polls. Raw output, because
 * `--json` with `--poll` aborts in util-linux 2.38. The child gets SIGTERM should Lifeboat die
 * without stopping it (`setpriv --pdeathsig`, where setpriv exists), and is started again with
 * backoff if it dies.
 */
export class FindmntMountEvents implements MountEvents {
  readonly unsupported = undefined;
  private readonly findmnt: string;
  private readonly setpriv: string | undefined;

  constructor(options: { findmnt: string; setpriv?: string | undefined }) {
    this.findmnt = options.findmnt;
    this.setpriv = options.setpriv;
  }

  watch(listener: (event: MountEvent) => void, log: (line: string) => void = () => undefined): MountWatch {
    const args = ['--poll', '--noheadings', '--raw', '--output', 'ACTION,TARGET'];
    const command = this.setpriv ? [this.setpriv, '--pdeathsig', 'TERM', '--', this.findmnt, ...args] : [this.findmnt, ...args];
    let child: ChildProcess | undefined;
    let restart: NodeJS.Timeout | undefined;
    let stopped = false;
    let failures = 0;

    const start = () => {
      restart = undefined;
      if (stopped) return;
      const startedAt = Date.now();
      const current = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      child = current;
      const lines = new LineSplitter((line) => {
        const event = parseFindmntLine(line);
        if (event) listener(event);
      });
      current.stdout?.on('data', (chunk: Buffer) => lines.push(chunk));
      const errors = new LineSplitter((line) => log(`findmnt: ${line}`));
      current.stderr?.on('data', (chunk: Buffer) => errors.push(chunk));
      current.on('error', (error) => log(`findmnt could not start: ${error.message}`));
      current.on('close', (code, signal) => {
        lines.end();
        errors.end();
        if (child === current) child = undefined;
        if (stopped) return;
        failures = Date.now() - startedAt >= HEALTHY_AFTER_MS ? 0 : failures + 1;
        const delay = Math.min(FIRST_RESTART_MS * 2 ** Math.max(0, failures - 1), LONGEST_RESTART_MS);
        log(`findmnt stopped (${signal ?? `exit ${code}`}); drive arrivals are watched again in ${Math.round(delay / 1000)} s`);
        restart = setTimeout(start, delay);
      });
    };
    start();

    return {
      stop: async () => {
        stopped = true;
        if (restart) clearTimeout(restart);
        const current = child;
        if (!current || current.exitCode !== null || current.signalCode !== null) return;
        const closed = new Promise<void>((resolve) => current.once('close', () => resolve()));
        current.kill('SIGTERM');
        const kill = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
        await closed;
        clearTimeout(kill);
      },
    };
  }
}

/** One line of `findmnt --poll --raw -o ACTION,TARGET`: the action, a space, the target with `\xNN` escapes. */
export function parseFindmntLine(line: string): MountEvent | undefined {
  const space = line.indexOf(' ');
  if (space === -1) return undefined;
  const action = line.slice(0, space);
  if (!ACTIONS.has(action)) return undefined;
  const target = unescapeRaw(line.slice(space + 1));
  return target.startsWith('/') ? { action: action as MountEvent['action'], target } : undefined;
}

/** findmnt's raw output writes unsafe bytes (space, tab, newline, backslash, …) as `\xNN`. */
function unescapeRaw(text: string): string {
  if (!text.includes('\\x')) return text;
  const parts: Buffer[] = [];
  let last = 0;
  for (const escaped of text.matchAll(/\\x([0-9a-fA-F]{2})/g)) {
    parts.push(Buffer.from(text.slice(last, escaped.index)), Buffer.from([Number.parseInt(escaped[1]!, 16)]));
    last = escaped.index + escaped[0].length;
  }
  parts.push(Buffer.from(text.slice(last)));
  return Buffer.concat(parts).toString('utf8');
}
