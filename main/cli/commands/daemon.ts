import { connectNotificationActions } from '../../api/notification-actions.ts';
import { createApi } from '../../api/router.ts';
import { keepTextfileCurrent, textfileFolder } from '../../core/metrics/textfile-refresh.ts';
import { describeSchedule } from '../../core/schedule/schedule-words.ts';
import { acquireSchedulerLock } from '../../core/schedule/scheduler-lock.ts';
import { projectVersion } from '../../core/util/project-root.ts';
import { followConfigChanges } from '../config-follow.ts';
import { type CommandContext, openEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime } from '../format.ts';
import { openRunLog } from '../open-run-log.ts';

/** `lifeboat daemon`: the scheduler, headless, until SIGTERM or Ctrl-C. */
export async function daemonCommand(context: CommandContext): Promise<number> {
  const { io } = context;
  const engine = await openEngine(context);
  const lock = await acquireSchedulerLock(engine.dataDir, 'lifeboat daemon');
  const log = (line: string) => io.stdout(`${new Date().toISOString()} ${line}\n`);
  try {
    const scheduler = engine.createScheduler({ log });
    // Buttons on notifications (Retry now, Snooze 1 h, Open log, Back up now) go through the API, as the GUI's do.
    const api = createApi({ engine, scheduler, version: projectVersion(), desktop: false });
    connectNotificationActions(api, engine.platform.notifier, {
      openRun: (runId, planId) => openRunLog(engine.dataDir, io.env, runId, planId, log),
      log,
    });
    log(`Lifeboat daemon started (PID ${process.pid}) with ${engine.config.plans.length} plan(s); config ${engine.configFile}`);
    for (const plan of await engine.listPlans()) {
      const schedule = engine.plan(plan.id).schedule;
      log(`${plan.id}: ${describeSchedule(schedule)}${plan.nextRun ? `; next ${localTime(plan.nextRun)}` : ''}`);
    }
    const stopTextfile = await keepTextfileCurrent(engine, textfileFolder(engine, context.args.textfile), log);
    await scheduler.start();
    const stopFollowing = followConfigChanges(engine, scheduler, io, log);
    if (scheduler.pauseInfo) log(`paused ${scheduler.pauseInfo.until ? `until ${scheduler.pauseInfo.until}` : 'until resumed'}`);
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    log('stopping: running backups are cancelled cleanly (restic removes its lock, clean-up hooks run)');
    stopFollowing();
    await scheduler.stop();
    await engine.platform.notifier.close?.();
    await stopTextfile();
    await engine.flushMonitors();
    await engine.history.writeKept();
    if (engine.history.keptCount > 0)
      io.stderr(
        `${engine.history.keptCount} run record(s) could not be written (the disk holding ${engine.dataDir} is full); they are lost, and those runs will show as interrupted.\n`,
      );
    log('stopped');
    return EXIT.success;
  } finally {
    await lock.release();
  }
}
