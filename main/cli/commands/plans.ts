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
  const rows = [['PLAN', 'NAME', 'REPOSITORY', 'LAST RUN', 'NEXT RUN']];
  for (const plan of plans) {
    const last = plan.lastRun ? `${statusMark(plan.lastRun.status)} ${plan.lastRun.status} ${timeAgo(plan.lastRun.startedAt)}` : 'never';
    rows.push([plan.id, plan.name, plan.repository, last, plan.nextRun ? localTime(plan.nextRun) : 'manual']);
  }
  context.io.stdout(table(rows));
  return EXIT.success;
}
