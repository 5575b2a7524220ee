import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectNotificationActions } from '../../api/notification-actions.ts';
import { type Api, ApiError, createApi } from '../../api/router.ts';
import type { ConfigInvalidError, ConfigParseError } from '../../core/config/store.ts';
import { currentExposition } from '../../core/metrics/plan-metrics.ts';
import { keepTextfileCurrent, textfileFolder } from '../../core/metrics/textfile-refresh.ts';
import { acquireSchedulerLock } from '../../core/schedule/scheduler-lock.ts';
import { UserError } from '../../core/util/errors.ts';
import { projectRoot, projectVersion } from '../../core/util/project-root.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../server/http-server.ts';
import { DEFAULT_PORT, removeServeAddress, serveToken, writeServeAddress } from '../../server/serve-files.ts';
import { followConfigChanges } from '../config-follow.ts';
import { type CommandContext, isConfigError, locations, openEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { openRunLog } from '../open-run-log.ts';

export const RENDERER_DIR = join(projectRoot(), 'dist', 'renderer');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `lifeboat serve`: the scheduler, the API and the browser UI, on 127.0.0.1:17878 unless told otherwise. */
export async function serveCommand(context: CommandContext): Promise<number> {
  const { io, args } = context;
  const host = args.host ?? '127.0.0.1';
  const port = args.port ?? DEFAULT_PORT; // 0–65535: checked with the command line
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
    const api = createApi({ engine, scheduler, version: projectVersion(), desktop: false });
    connectNotificationActions(api, engine.platform.notifier, {
      openRun: (runId, planId) => openRunLog(engine.dataDir, io.env, runId, planId, log),
      log,
    });
    await scheduler.start();
    followConfigChanges(engine, scheduler, io, log);
    const stopTextfile = await keepTextfileCurrent(engine, textfileFolder(engine, undefined), log);
    const metrics = () => currentExposition(engine);
    const metricsWithoutToken = () => engine.config.settings.metrics.loopbackWithoutToken;
    const server = await listen(context, engine.dataDir, { api, host, port, log, metrics, metricsWithoutToken });
    await stopped(context);
    await server.close();
    await removeServeAddress(engine.dataDir, process.pid);
    await scheduler.stop();
    await stopTextfile();
    await engine.platform.notifier.close?.();
    await engine.flushMonitors();
    return EXIT.success;
  } finally {
    await lock.release();
  }
}

/** Starts the server with the data dir's token, notes its address for `lifeboat open`, and prints it (never the token). */
async function listen(
  context: CommandContext,
  dataDir: string,
  options: Pick<ServerOptions, 'api' | 'host' | 'port' | 'log' | 'metrics' | 'metricsWithoutToken'>,
): Promise<RunningServer> {
  const { io } = context;
  const token = await serveToken(dataDir, io.env);
  let server: RunningServer;
  try {
    server = await startServer({ ...options, token, staticDir: existsSync(RENDERER_DIR) ? RENDERER_DIR : undefined });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(
        `Port ${options.port} on ${options.host} is already in use (is Lifeboat already serving? "lifeboat open" opens it). Pick another port with --port N.`,
        { kind: 'busy' },
      );
    if ((error as NodeJS.ErrnoException).code === 'EACCES')
      throw new UserError(`Port ${options.port} needs privileges to bind; pick one above 1023 with --port N.`, { kind: 'invalid' });
    throw error;
  }
  await writeServeAddress(dataDir, { host: options.host, port: server.port, pid: process.pid });
  if (!LOOPBACK.has(options.host)) io.stderr(`Warning: ${options.host} is reachable from other machines; anyone with the token controls your backups.\n`);
  io.stdout(`Lifeboat is serving at ${server.url} (run "lifeboat open" to open it in your browser)\n`);
  return server;
}

function stopped(context: CommandContext): Promise<void> {
  return new Promise<void>((resolve) => {
    if (context.io.signal.aborted) resolve();
    else context.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
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
  const refuse = async (): Promise<never> => {
    throw new ApiError(503, 'config-broken', `${error.message.split('\n')[0]} Fix the file, then restart Lifeboat; nothing runs until then.`, problems);
  };
  const api: Api = {
    call: refuse,
    receive: refuse,
    subscribe: () => () => undefined,
  };
  const { dataDir } = locations(context);
  io.stderr(`${error.message}\n`);
  const server = await listen(context, dataDir, { api, host, port, log });
  await stopped(context);
  await server.close();
  await removeServeAddress(dataDir, process.pid);
  return EXIT.usage;
}
