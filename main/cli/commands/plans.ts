import { staleSentence } from '../../core/notify/staleness.ts';
import { isPaused } from '../../core/schedule/pause.ts';
import { describeSchedule } from '../../core/schedule/schedule-words.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime, statusMark, table, timeAgo } from '../format.ts';

export async function plansCommand(context: CommandContext): Promise<number> {
  const engine = await openEngine(context);
  const plans = await engine.listPlans();
  if (context.args.json) {
    printJson(context, plans);
    return EXIT.success;
  }
  if (plans.length === 0) {
    context.io.stdout(`No plans yet. Add one to ${engine.configFile}.\n`);
    return EXIT.success;
  }
  const rows = [['PLAN', 'NAME', 'REPOSITORY', 'SCHEDULE', 'LAST RUN', 'NEXT RUN']];
  for (const plan of plans) {
    const last = plan.lastRun ? `${statusMark(plan.lastRun.status)} ${plan.lastRun.status} ${timeAgo(plan.lastRun.startedAt)}` : 'never';
    rows.push([plan.id, plan.name, plan.repository, describeSchedule(engine.plan(plan.id).schedule), last, plan.nextRun ? localTime(plan.nextRun) : '—']);
  }
  context.io.stdout(table(rows));
  const stale = await engine.staleness();
  for (const plan of plans) {
    const snoozed = engine.snoozes.snoozedUntil(plan.id, new Date());
    if (snoozed) context.io.stdout(`\n${plan.name} is snoozed until ${localTime(snoozed.toISOString())}.\n`);
    const alarm = stale.get(plan.id);
    if (alarm) context.io.stdout(`\n${staleSentence(plan.name, alarm, new Date())}.\n`);
  }
  const pause = await engine.pauseStore.read();
  if (isPaused(pause, new Date())) context.io.stdout(`\nAll plans are paused ${pause?.until ? `until ${localTime(pause.until)}` : 'until resumed'}.\n`);
  return EXIT.success;
}
