import { currentExposition } from '../../core/metrics/plan-metrics.ts';
import { writeTextfile } from '../../core/metrics/textfile.ts';
import { type CommandContext, openEngine } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** `lifeboat metrics [--textfile DIR]`: every plan's state in Prometheus' text format, printed or written for node_exporter. */
export async function metricsCommand(context: CommandContext): Promise<number> {
  const engine = await openEngine(context);
  const exposition = await currentExposition(engine);
  if (context.args.textfile === undefined) {
    context.io.stdout(exposition);
    return EXIT.success;
  }
  const file = await writeTextfile(context.args.textfile, exposition);
  context.io.stdout(`Wrote ${file}\n`);
  return EXIT.success;
}
