import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime, table } from '../format.ts';

export async function snapshotsCommand(context: CommandContext): Promise<number> {
  const [planId] = context.args.positionals as [string];
  const engine = await openEngine(context);
  const snapshots = await engine.snapshots(planId);
  if (context.args.json) {
    printJson(context, snapshots);
    return EXIT.success;
  }
  if (snapshots.length === 0) {
    context.io.stdout(`No snapshots of ${planId} yet. Run "lifeboat run ${planId}" to make one.\n`);
    return EXIT.success;
  }
  const rows = [['ID', 'TIME', 'HOST', 'PATHS']];
  for (const snapshot of [...snapshots].reverse()) rows.push([snapshot.shortId, localTime(snapshot.time), snapshot.hostname, snapshot.paths.join(', ')]);
  context.io.stdout(table(rows));
  return EXIT.success;
}
