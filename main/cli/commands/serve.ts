import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from '../../api/router.ts';
import { acquireSchedulerLock } from '../../core/schedule/scheduler-lock.ts';
import { projectRoot, projectVersion } from '../../core/util/project-root.ts';
import { startServer } from '../../server/http-server.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine } from '../context.ts';
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
  const engine = await openEngine(context);
  const lock = await acquireSchedulerLock(engine.dataDir, 'lifeboat serve');
  const log = (line: string) => io.stderr(`${new Date().toISOString()} ${line}\n`);
  try {
    const scheduler = engine.createScheduler({ log });
    await scheduler.start();
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
