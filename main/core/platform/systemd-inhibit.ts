import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { AwakeHold, AwakeVia, KeepAwake } from './platform.ts';

/** How long systemd-inhibit may take to hold the lock before Lifeboat goes on without it. */
const TAKE_MS = 3000;
/** How long it may take to go once its child saw the end of its input, before it is killed. */
const RELEASE_MS = 3000;
/** What systemd-inhibit runs while the lock is held: says so, then waits for the end of its input. */
const HOLDER = ['/bin/sh', '-c', 'echo held; exec cat >/dev/null'];
/**
 * How long a process remembers that systemd-inhibit is missing or logind cannot be reached, so a
 * daemon's runs do not each start a systemd-inhibit that is bound to fail; asked again after that.
 */
const REMEMBER_UNAVAILABLE_MS = 10 * 60_000;
/** Where systemd-inhibit finds the system bus (logind is on it) when DBUS_SYSTEM_BUS_ADDRESS does not say. */
const SYSTEM_BUS = '/run/dbus/system_bus_socket';
/** Only what systemd-inhibit needs to find the system bus; nothing else of Lifeboat's environment. */
const PASSED_ENV = ['PATH', 'DBUS_SYSTEM_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'LANG', 'LC_ALL'];

/**
 * Keeps a Linux machine awake with logind's inhibitor lock (`systemd-inhibit --what=sleep:idle
 * --mode=block`) held by a child that waits on a pipe from this process: closing the pipe releases
 * the lock, and so does this process dying in any way (the pipe closes with it, the child sees the
 * end of its input and exits, and systemd-inhibit with it). Where systemd-inhibit is missing or
 * logind cannot be reached, the hold says why and nothing is kept. A machine with no system bus at
 * all (a container, a minimal server) is told apart without starting systemd-inhibit.
 */
export class SystemdInhibit implements KeepAwake {
  private readonly env: NodeJS.ProcessEnv;
  private readonly takeMs: number;
  private readonly now: () => number;
  private readonly systemBus: string;
  /** Why the last try could not hold the lock, and until when that answer stands. */
  private unavailable: { via: AwakeVia; until: number } | undefined;

  constructor(
    env: NodeJS.ProcessEnv = process.env,
    options: { takeMs?: number | undefined; now?: (() => number) | undefined; systemBus?: string | undefined } = {},
  ) {
    this.env = env;
    this.takeMs = options.takeMs ?? TAKE_MS;
    this.now = options.now ?? Date.now;
    this.systemBus = options.systemBus ?? SYSTEM_BUS;
  }

  async keepAwake(reason: string): Promise<AwakeHold> {
    const known = this.unavailable;
    if (known && this.now() < known.until) return { via: known.via, release: async () => undefined };
    if (this.env.DBUS_SYSTEM_BUS_ADDRESS === undefined && !(await isSocket(this.systemBus))) {
      return unavailable(`no system bus (${this.systemBus}), so logind cannot hold a lock`);
    }
    const hold = await this.take(reason);
    // Only a settled "cannot" is remembered (not installed, no logind); a slow answer is tried again next time.
    this.unavailable =
      hold.via.startsWith('unavailable: ') && !hold.via.includes('did not take the lock')
        ? { via: hold.via, until: this.now() + REMEMBER_UNAVAILABLE_MS }
        : undefined;
    return hold;
  }

  private take(reason: string): Promise<AwakeHold> {
    const env: Record<string, string> = {};
    for (const name of PASSED_ENV) if (this.env[name] !== undefined) env[name] = this.env[name];
    const why = reason.replace(/[\r\n]+/g, ' ').slice(0, 200);
    let child: ChildProcess;
    try {
      child = spawn('systemd-inhibit', ['--what=sleep:idle', '--who=Lifeboat', `--why=${why}`, '--mode=block', ...HOLDER], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      return Promise.resolve(unavailable(`systemd-inhibit could not start (${(error as Error).message})`));
    }
    return new Promise((resolve) => {
      let stderr = '';
      let settled = false;
      const exited = new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) done();
        else child.once('close', () => done());
      });
      const settle = (hold: AwakeHold) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(hold);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(unavailable(`systemd-inhibit did not take the lock within ${this.takeMs / 1000} s`));
      }, this.takeMs);
      // The pipe to the child may be closed under us (it died): that is an end, not an error.
      child.stdin?.on('error', () => undefined);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (stderr.length < 4096) stderr += chunk.toString();
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        if (!settled && chunk.toString().includes('held')) settle({ via: 'systemd-inhibit', release: once(() => release(child, exited)) });
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        settle(unavailable(error.code === 'ENOENT' ? 'systemd-inhibit is not installed' : `systemd-inhibit could not start (${error.message})`));
      });
      child.once('close', (code, signal) => {
        const said = stderr.trim().split('\n').pop()?.trim();
        settle(unavailable(said ? `systemd-inhibit: ${said}` : `systemd-inhibit ended (${signal ?? `exit ${code}`}) before taking the lock`));
      });
    });
  }
}

async function isSocket(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isSocket();
  } catch {
    return false;
  }
}

function unavailable(why: string): AwakeHold {
  return { via: `unavailable: ${why}`, release: async () => undefined };
}

/** Ends the child's input (it exits, and systemd-inhibit lets go); kills it if it lingers. */
async function release(child: ChildProcess, exited: Promise<void>): Promise<void> {
  child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), RELEASE_MS);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= action();
    return done;
  };
}
