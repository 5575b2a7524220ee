import { spawn } from 'node:child_process';
import { findOnPath } from '../core/restic/locate.ts';

export type BrowserResult = { ok: true } | { ok: false; why: string };

/**
 * Opens a URL in the person's browser (xdg-open / open / start), or says why it cannot:
 * no display, no opener, the opener failed, or running as root (a browser should not).
 */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv, platform = process.platform): Promise<BrowserResult> {
  if (process.getuid?.() === 0) return { ok: false, why: 'Lifeboat runs as root, and a browser should not' };
  let command: string;
  let args: string[];
  if (platform === 'darwin') [command, args] = ['open', [url]];
  else if (platform === 'win32') [command, args] = ['cmd', ['/c', 'start', '""', url]];
  else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, why: 'there is no desktop display (DISPLAY and WAYLAND_DISPLAY are unset)' };
    const opener = await findOnPath('xdg-open', env);
    if (!opener) return { ok: false, why: 'xdg-open is not installed' };
    [command, args] = [opener, [url]];
  }
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', env, detached: platform !== 'win32' });
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
