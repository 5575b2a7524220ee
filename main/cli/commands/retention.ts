import { describeRetentionPreview } from '../../core/restic/retention-preview.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { localTime } from '../format.ts';

/** `lifeboat retention preview <plan>`: restic's `forget --dry-run` with the plan's policy; nothing is removed. */
export async function retentionCommand(context: CommandContext): Promise<number> {
  const [, planId] = context.args.positionals as [string, string];
  const engine = await openEngine(context);
  const preview = await engine.snapshotAnswers.retentionPreview(planId, undefined, context.io.signal);
  if (context.args.json) {
    printJson(context, preview);
    return EXIT.success;
  }
  const lines = [describeRetentionPreview(preview, localTime)];
  if (preview.remove.length > 0) {
    lines.push('Would remove:');
    for (const snapshot of preview.remove) lines.push(`  ${snapshot.shortId}  ${localTime(snapshot.time)}`);
  }
  context.io.stdout(`${lines.join('\n')}\n`);
  return EXIT.success;
}
