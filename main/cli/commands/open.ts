import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/util/errors.ts';
import { projectRoot } from '../../core/util/project-root.ts';
import { DEFAULT_PORT, liveServeAddress, readServeAddress, readServeToken } from '../../server/serve-files.ts';
import { openInBrowser } from '../browser.ts';
import { type CommandContext, locations } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

interface SignInLink {
  base: string;
  url: string;
}

const START_TIMEOUT_MS = 30_000;

/**
 * `lifeboat open`: asks the running `serve` (started here if it is not running) for a one-time
 * sign-in link and opens it in the browser. The token is read from the data dir and sent in a
 * header; only the single-use, 60-second code ever appears in another process's command line.
 */
export async function openCommand(context: CommandContext): Promise<number> {
  const { io } = context;
  const { dataDir, configFile } = locations(context);
  let link = await askForLink(dataDir, io.env);
  if (!link) {
    io.stderr('Lifeboat is not serving yet; starting "lifeboat serve" in the background.\n');
    const child = startServe(dataDir, configFile, (await readServeAddress(dataDir))?.port ?? DEFAULT_PORT, io.env);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!link && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      link = await askForLink(dataDir, io.env);
    }
    if (!link) throw new UserError(`"lifeboat serve" did not start; its output is in ${join(dataDir, 'serve.log')}.`, { kind: 'unavailable' });
  }
  const opened = await openInBrowser(link.url, io.env);
  if (opened.ok) io.stdout(`Opened Lifeboat in your browser (${link.base}).\n`);
  else io.stdout(`Could not open a browser: ${opened.why}. Open this one-time address within 60 s: ${link.url}\n`);
  return EXIT.success;
}

/**
 * A sign-in link from the serve this data dir belongs to, or undefined when none is running.
 * The token goes only to the address in serve.json, and only while the process that wrote it
 * still runs (never to whatever happens to listen on the default port); the answer is used only
 * when it has the shape serve's own has.
 */
export async function askForLink(dataDir: string, env: NodeJS.ProcessEnv): Promise<SignInLink | undefined> {
  const address = await liveServeAddress(dataDir);
  if (!address) return undefined;
  const token = await readServeToken(dataDir, env);
  if (!token) return undefined;
  const host = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
  let response: Response;
  try {
    response = await fetch(`${base}api/session-code`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
  } catch {
    return undefined; // nothing listening there (yet)
  }
  if (response.status === 401)
    throw new UserError(
      `The server at ${base} does not take the token in ${join(dataDir, 'serve-token')}; it belongs to another data dir. Stop it, or use that one's --data-dir.`,
      { kind: 'conflict' },
    );
  if (!response.ok)
    throw new UserError(`The server at ${base} answered ${response.status} instead of a sign-in link; is it Lifeboat?`, { kind: 'unavailable' });
  const body = (await response.json().catch(() => ({}))) as { url?: unknown };
  const url = signInLink(base, body.url);
  if (!url)
    throw new UserError(
      `The server at ${base} answered with something other than its sign-in link (${base}auth?code=…); Lifeboat opens nothing else. Is it Lifeboat?`,
      { kind: 'unavailable' },
    );
  return { base, url };
}

/**
 * `url` when it is the link serve's `POST /api/session-code` answers, `<base>auth?code=<code>`
 * (the code base64url): nothing else is opened. Such a URL holds no character a shell or
 * cmd.exe acts on.
 */
export function signInLink(base: string, url: unknown): string | undefined {
  if (typeof url !== 'string' || !url.startsWith(base)) return undefined;
  return /^auth\?code=[A-Za-z0-9_-]{1,256}$/.test(url.slice(base.length)) ? url : undefined;
}

function startServe(dataDir: string, configFile: string, port: number, env: NodeJS.ProcessEnv) {
  // A fresh install has no data dir yet: made as the engine makes it (0700) for serve.log.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = openSync(join(dataDir, 'serve.log'), 'a', 0o600);
  const child = spawn(
    process.execPath,
    [join(projectRoot(), 'bin', 'lifeboat.js'), '--config', configFile, '--data-dir', dataDir, 'serve', '--port', String(port)],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env,
    },
  );
  child.unref();
  return child;
}
