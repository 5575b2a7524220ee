import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../core/util/errors.ts';
import { processIsAlive } from '../../core/util/process-alive.ts';
import { projectRoot } from '../../core/util/project-root.ts';
import { DEFAULT_PORT, readServeAddress, readServeToken } from '../../server/serve-files.ts';
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

/** A sign-in link from the serve this data dir belongs to, or undefined when none answers. */
export async function askForLink(dataDir: string, env: NodeJS.ProcessEnv): Promise<SignInLink | undefined> {
  const address = await readServeAddress(dataDir);
  if (address && !processIsAlive(address.pid)) return undefined;
  const token = await readServeToken(dataDir, env);
  if (!token) return undefined;
  const port = address?.port ?? DEFAULT_PORT;
  const host = !address || address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
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
  const body = (await response.json()) as { url?: unknown };
  if (typeof body.url !== 'string') throw new UserError(`The server at ${base} did not send a sign-in link; is it Lifeboat?`, { kind: 'unavailable' });
  return { base, url: body.url };
}

function startServe(dataDir: string, configFile: string, port: number, env: NodeJS.ProcessEnv) {
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
