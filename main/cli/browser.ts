import { spawn } from 'node:child_process';
import { findOnPath } from '../core/restic/locate.ts';

export type BrowserResult = { ok: true } | { ok: false; why: string };

export interface BrowserCommand {
  command: string;
  args: string[];
  /** Windows: the arguments reach cmd.exe as written here, not re-quoted by Node. */
  windowsVerbatimArguments: boolean;
}

/**
 * A plain http(s) address: letters, digits and `-._~:/?#[]@=` only. None of these is
 * special to cmd.exe (`& | ^ < > % " ! ( )`, spaces) or a shell, and no other scheme
 * (`file:`, `javascript:`) is handed to an opener.
 */
const PLAIN_HTTP = /^https?:\/\/[A-Za-z0-9\-._~:/?#[\]@=]+$/;

/**
 * How `url` is handed to the platform's opener: `open url`, `xdg-open url`, or on Windows the
 * command line `cmd /d /c start "" "url"` (an empty window title, then the URL quoted). Throws
 * for anything but a plain http address, so nothing in it can run a command there.
 */
export function browserCommand(url: string, platform: NodeJS.Platform, opener = 'xdg-open'): BrowserCommand {
  if (!PLAIN_HTTP.test(url)) throw new RangeError('the address is not a plain http address, so it is not opened');
  if (platform === 'darwin') return { command: 'open', args: [url], windowsVerbatimArguments: false };
  if (platform === 'win32') return { command: 'cmd', args: ['/d', '/c', 'start', '""', `"${url}"`], windowsVerbatimArguments: true };
  return { command: opener, args: [url], windowsVerbatimArguments: false };
}

/**
 * Opens a URL in the person's browser (xdg-open / open / start), or says why it cannot:
 * no display, no opener, the opener failed, running as root (a browser should not), or an
 * address that is not a plain http one.
 */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv, platform = process.platform): Promise<BrowserResult> {
  if (!PLAIN_HTTP.test(url)) return { ok: false, why: 'the address is not a plain http address, so it is not opened' };
  if (process.getuid?.() === 0) return { ok: false, why: 'Lifeboat runs as root, and a browser should not' };
  let opener: string | undefined;
  if (platform !== 'darwin' && platform !== 'win32') {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, why: 'there is no desktop display (DISPLAY and WAYLAND_DISPLAY are unset)' };
    opener = await findOnPath('xdg-open', env);
    if (!opener) return { ok: false, why: 'xdg-open is not installed' };
  }
  const { command, args, windowsVerbatimArguments } = browserCommand(url, platform, opener);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', env, detached: platform !== 'win32', windowsVerbatimArguments });
    const timer = setTimeout(() => {
      // Some openers stay until the browser closes: it started, which is all that matters.
      child.unref();
      resolve({ ok: true });
    }, 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, why: `${command} could not start (${error.message})` });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true } : { ok: false, why: `${command} failed (exit ${code})` });
    });
  });
}
