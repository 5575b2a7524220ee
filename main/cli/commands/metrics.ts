import { hostname } from 'node:os';
import { currentExposition, planMetrics } from '../../core/metrics/plan-metrics.ts';
import { writeTextfile } from '../../core/metrics/textfile.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** `lifeboat metrics [--textfile DIR] [--json]`: every plan's state in Prometheus' text format, printed or written for node_exporter. */
export async function metricsCommand(context: CommandContext): Promise<number> {
  const engine = await openEngine(context);
  const exposition = await currentExposition(engine);
  const file = context.args.textfile === undefined ? undefined : await writeTextfile(context.args.textfile, exposition);
  if (context.args.json) {
    // The same state as the exposition, as data: one entry per plan (times as ISO strings).
    printJson(context, { ...(file === undefined ? {} : { file }), host: hostname(), plans: await planMetrics(engine) });
  } else if (file === undefined) {
    context.io.stdout(exposition);
  } else {
    context.io.stdout(`Wrote ${file}\n`);
  }
  return EXIT.success;
}
