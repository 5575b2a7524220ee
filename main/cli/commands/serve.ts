import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Api, ApiError, createApi } from '../../api/router.ts';
import type { ConfigInvalidError, ConfigParseError } from '../../core/config/store.ts';
import { acquireSchedulerLock } from '../../core/schedule/scheduler-lock.ts';
import { projectRoot, projectVersion } from '../../core/util/project-root.ts';
import { startServer } from '../../server/http-server.ts';
import { UsageError } from '../args.ts';
import { followConfigChanges } from '../config-follow.ts';
import { type CommandContext, isConfigError, openEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

export const RENDERER_DIR = join(projectRoot(), 'dist', 'renderer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `lifeboat serve`: the scheduler, the API and the browser UI, on 127.0.0.1 unless told otherwise. */
export async function serveCommand(context: CommandContext): Promise<number> {
  const { io, args } = context;
  const host = args.host ?? '127.0.0.1';
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${JSON.stringify(args.port)} is not a port number (0–65535; 0 picks a free one).`);
  const log = (line: string) => io.stderr(`${new Date().toISOString()} ${line}\n`);
  let engine: Awaited<ReturnType<typeof openEngine>>;
  try {
    engine = await openEngine(context);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    // The UI still starts, to say what is wrong with the config; nothing runs until it is fixed.
    return serveBrokenConfig(context, host, port, error, log);
  }
  const lock = await acquireSchedulerLock(engine.dataDir, 'lifeboat serve');
  try {
    const scheduler = engine.createScheduler({ log });
    await scheduler.start();
    followConfigChanges(engine, scheduler, io, log);
    const api = createApi({ engine, scheduler, version: projectVersion(), desktop: false });
    const token = io.env.LIFEBOAT_SERVE_TOKEN || randomBytes(24).toString('base64url');
    const server = await startServer({ api, host, port, token, staticDir: existsSync(RENDERER_DIR) ? RENDERER_DIR : undefined, log });
    if (!LOOPBACK.has(host)) io.stderr(`Warning: ${host} is reachable from other machines; anyone with the token controls your backups.\n`);
    io.stdout(`Lifeboat is serving at ${server.url}#token=${token}\n`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.close();
    await scheduler.stop();
    await engine.flushMonitors();
    return EXIT.success;
  } finally {
    await lock.release();
  }
}

/** `serve` with a config that cannot be used: every call answers with what is wrong and where. */
async function serveBrokenConfig(
  context: CommandContext,
  host: string,
  port: number,
  error: ConfigInvalidError | ConfigParseError,
  log: (line: string) => void,
): Promise<number> {
  const { io } = context;
  const problems = 'problems' in error ? error.problems : [{ path: '', message: error.message }];
  const api: Api = {
    call: async () => {
      throw new ApiError(503, 'config-broken', `${error.message.split('\n')[0]} Fix the file, then restart Lifeboat; nothing runs until then.`, problems);
    },
    subscribe: () => () => undefined,
  };
  const token = io.env.LIFEBOAT_SERVE_TOKEN || randomBytes(24).toString('base64url');
  const server = await startServer({ api, host, port, token, staticDir: existsSync(RENDERER_DIR) ? RENDERER_DIR : undefined, log });
  io.stderr(`${error.message}\n`);
  io.stdout(`Lifeboat is serving at ${server.url}#token=${token}\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return EXIT.usage;
}
