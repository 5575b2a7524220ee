import { resolve } from 'node:path';
import type { OverwritePolicy } from '../../core/restic/restic.ts';
import { snapshotIdProblem } from '../../core/restic/snapshot-id.ts';
import { expandHome } from '../../core/util/paths.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { statusMark } from '../format.ts';

const POLICIES: readonly OverwritePolicy[] = ['never', 'if-newer', 'always'];

export async function restoreCommand(context: CommandContext): Promise<number> {
  const [planId, snapshot] = context.args.positionals as [string, string];
  const { inPlace, overwrite } = context.args;
  const snapshotProblem = snapshotIdProblem(snapshot);
  if (snapshotProblem) throw new UsageError(snapshotProblem);
  if (!context.args.target && !inPlace) {
    throw new UsageError(
      `restore needs --target DIR, an empty folder to restore into (the snapshot's paths are recreated under it), or --in-place --overwrite never|if-newer|always to put files back where they were. Usage: lifeboat restore ${planId} ${snapshot} --target ~/restored`,
    );
  }
  if (context.args.target && inPlace) throw new UsageError('Give either --target DIR or --in-place, not both.');
  if (inPlace && overwrite === undefined)
    throw new UsageError(
      '--in-place needs --overwrite never|if-newer|always: keep existing files, replace them when the snapshot is newer, or always replace them.',
    );
  if (overwrite !== undefined && !POLICIES.includes(overwrite as OverwritePolicy))
    throw new UsageError(`--overwrite ${JSON.stringify(overwrite)} is not a policy; use never, if-newer or always.`);
  if (overwrite !== undefined && !inPlace)
    throw new UsageError('--overwrite goes with --in-place; a --target folder must be empty, so nothing there is overwritten.');
  const target = context.args.target ? resolve(expandHome(context.args.target)) : undefined;
  const engine = await openEngine(context);
  engine.plan(planId);
  // A refused target (RestoreRefusedError, kind "refused") exits 2 like any other usage mistake.
  const record = await engine.restore(planId, snapshot, {
    target,
    inPlace,
    overwrite: overwrite as OverwritePolicy | undefined,
    include: context.args.include,
    signal: context.io.signal,
  });
  const where = target ? `into ${target}` : `in place (--overwrite ${overwrite})`;
  if (context.args.json) {
    // `id` is the restore's run in `lifeboat history`.
    printJson(context, {
      id: record.id,
      plan: planId,
      snapshot,
      target: target ?? null,
      inPlace,
      status: record.status,
      reason: record.reason,
      steps: record.steps,
    });
  } else if (record.status === 'success') {
    context.io.stdout(`${statusMark('success')} Restored ${snapshot} of ${planId} ${where}\n`);
  } else {
    context.io.stdout(`${statusMark(record.status)} Restore of ${snapshot} of ${planId}: ${record.status}\n  ${record.reason ?? ''}\n`);
  }
  return exitCodeForStatus(record.status);
}
