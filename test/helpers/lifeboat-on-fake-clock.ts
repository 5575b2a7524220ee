import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { connectNotificationActions } from '../../main/api/notification-actions.ts';
import { createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { FakeClock } from './fake-clock.ts';
import { writeSetup } from './lifeboat.ts';
import { fakeNotificationServer, privateBus } from './notification-server.ts';

/** A restic repository (initialised) for a whole test file to share: `<dir>/repo`, its cache in `<dir>/cache`. */
export async function sharedRepository(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-shared-repo-'));
  const setup = await writeSetup(dir, []);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  await engine.initRepository('local');
  return dir;
}

/**
 * The engine, its scheduler and the API on a fake clock starting at `start`, desktop
 * notifications going to a fake notification server (with buttons) on a private bus, whose
 * presses go through the API. `restart` stops it all and opens the same data dir again at
 * another time, as a person closing and reopening the app.
 */
export async function lifeboatOnFakeClock(t: TestContext, root: string, shared: string, start: Date, plans: Array<Record<string, unknown>>) {
  const address = await privateBus(t);
  const server = await fakeNotificationServer(t, address, ['actions', 'body']);
  const setup = await writeSetup(root, plans, { url: join(shared, 'repo') });
  const env = { ...process.env, ...setup.env, RESTIC_CACHE_DIR: join(shared, 'cache'), DBUS_SESSION_BUS_ADDRESS: address };
  const open = async (at: Date) => {
    let scheduler!: ReturnType<Engine['createScheduler']>;
    const clock = new FakeClock(at, async () => {
      await scheduler.idle();
      await engine.runs.settle();
    });
    const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env, now: () => clock.now() });
    scheduler = engine.createScheduler({ clock, waitForNetwork: async () => undefined });
    const api = createApi({ engine, scheduler, version: 'test', desktop: false });
    connectNotificationActions(api, engine.platform.notifier, { openRun: () => undefined });
    await scheduler.start();
    await scheduler.idle();
    await engine.runs.settle();
    const stop = async () => {
      await scheduler.stop();
      await engine.platform.notifier.close?.();
      await engine.flushMonitors();
    };
    return { engine, scheduler, api, clock, stop };
  };
  let current = await open(start);
  t.after(() => current.stop());
  return {
    server,
    setup,
    get app() {
      return current;
    },
    async restart(at: Date) {
      await current.stop();
      current = await open(at);
    },
  };
}
