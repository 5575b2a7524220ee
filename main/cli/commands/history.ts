import { runKind } from '../../core/runs/run-record.ts';
import { formatDuration } from '../../core/util/duration.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime, statusMark, table } from '../format.ts';

export async function historyCommand(context: CommandContext): Promise<number> {
  const [planId] = context.args.positionals;
  const limit = context.args.limit ?? 20; // a whole number of at least 1: checked with the command line
  const engine = await openEngine(context);
  if (planId !== undefined) engine.plan(planId);
  const runs = await engine.history.list({ plan: planId, limit, withOutput: context.args.json });
  if (context.args.json) {
    printJson(
      context,
      // A record written without a kind (every backup's) reads as a backup.
      runs.map(({ pid: _pid, repository: _repository, ...run }) => ({ ...run, kind: runKind(run) })),
    );
    return EXIT.success;
  }
  if (runs.length === 0) {
    context.io.stdout(planId ? `No runs of ${planId} yet.\n` : 'No runs yet.\n');
    return EXIT.success;
  }
  const rows = [['STARTED', 'KIND', 'PLAN', 'TRIGGER', 'STATUS', 'TOOK', 'REASON']];
  for (const run of runs) {
    const took = run.endedAt ? formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt)) : '';
    rows.push([localTime(run.startedAt), runKind(run), run.plan, run.trigger, `${statusMark(run.status)} ${run.status}`, took, run.reason ?? '']);
  }
  context.io.stdout(table(rows));
  return EXIT.success;
}
