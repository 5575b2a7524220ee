import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { canConnect, exited, waitFor, waitForBus } from './processes.ts';
import { tempDir } from './temp.ts';

/** Whether the programs of a desktop session are installed (Xvfb, dunst, D-Bus, notify-send). */
export function hasDesktopTools(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v Xvfb && command -v dunst && command -v dbus-daemon && command -v dbus-monitor && command -v notify-send'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A private desktop: its own D-Bus session bus, an Xvfb display, dunst as the notification
 * server, and dbus-monitor recording every Notify call.
 */
export async function desktopSession(t: TestContext, options: { dunstArgs?: string[] } = {}) {
  const dir = await tempDir(t, 'lifeboat-desktop-');
  const bus = `unix:path=${join(dir, 'bus')}`;
  const display = `:${100 + Math.floor(Math.random() * 800)}`;
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[], env: NodeJS.ProcessEnv = {}, log?: string) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log ? 'pipe' : 'ignore', 'ignore'] });
    if (log) child.stdout!.pipe(createWriteStream(log));
    children.push(child);
    return child;
  };
  t.after(async () => {
    for (const child of children.reverse()) {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
  start('dbus-daemon', ['--session', '--nofork', `--address=${bus}`]);
  await waitForBus(join(dir, 'bus'));
  start('Xvfb', [display, '-screen', '0', '800x600x24', '-nolisten', 'tcp']);
  const xSocket = `/tmp/.X11-unix/X${display.slice(1)}`;
  await waitFor(async () => existsSync(xSocket) && (await canConnect(xSocket)), 'the Xvfb display');
  const env = { DBUS_SESSION_BUS_ADDRESS: bus, DISPLAY: display };
  const monitorLog = join(dir, 'notify.log');
  start('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications',member='Notify'"], env, monitorLog);
  start('dunst', options.dunstArgs ?? [], env);
  await waitFor(async () => (await readFile(monitorLog, 'utf8').catch(() => '')).includes('NameAcquired'), 'dbus-monitor to listen');
  return {
    env,
    /** The Notify method calls seen on the bus so far, as dbus-monitor printed them. */
    notifyCalls: async () => {
      const text = await readFile(monitorLog, 'utf8').catch(() => '');
      return text.split(/^(?=method call )/m).filter((block) => block.startsWith('method call') && block.includes('member=Notify'));
    },
  };
}
