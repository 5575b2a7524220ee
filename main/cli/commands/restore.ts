import { resolve } from 'node:path';
import { expandHome } from '../../core/util/paths.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { statusMark } from '../format.ts';

export async function restoreCommand(context: CommandContext): Promise<number> {
  const [planId, snapshot] = context.args.positionals as [string, string];
  if (!context.args.target) {
    throw new UsageError(
      `restore needs --target DIR, the folder to restore into (the snapshot's paths are recreated under it). Usage: lifeboat restore ${planId} ${snapshot} --target ~/restored`,
    );
  }
  const target = resolve(expandHome(context.args.target));
  const engine = await openEngine(context);
  engine.plan(planId);
  const record = await engine.restore(planId, snapshot, { target, include: context.args.include, signal: context.io.signal });
  if (context.args.json) {
    printJson(context, { plan: planId, snapshot, target, status: record.status, reason: record.reason, steps: record.steps });
  } else if (record.status === 'success') {
    context.io.stdout(`${statusMark('success')} Restored ${snapshot} of ${planId} into ${target}\n`);
  } else {
    context.io.stdout(`${statusMark(record.status)} Restore of ${snapshot} of ${planId}: ${record.status}\n  ${record.reason ?? ''}\n`);
  }
  return exitCodeForStatus(record.status);
}
