import { shortSnapshotId } from '../../core/restic/snapshot-id.ts';
import type { RunRecord } from '../../core/runs/run-record.ts';
import { formatDuration } from '../../core/util/duration.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { shownPath, statusMark } from '../format.ts';

/** `lifeboat verify <plan> [--sample N]`: a restore check now, its findings printed. */
export async function verifyCommand(context: CommandContext): Promise<number> {
  const [planId] = context.args.positionals as [string];
  const sample = context.args.sample; // 1–1000: checked with the command line
  const engine = await openEngine(context);
  const plan = engine.plan(planId);
  const { io } = context;
  if (!context.args.json) io.stderr(`Checking a restore of ${plan.name}: ${sample ?? plan.verify?.sample ?? 20} sampled files…\n`);
  const record = await engine.verifyPlan(planId, { sample, trigger: 'cli', signal: io.signal });
  // The result is shown once the run's own work (async hooks) has ended, without waiting for monitors that hang.
  await engine.settleRuns();
  if (context.args.json) {
    const full = (await engine.history.get(record.id)) ?? record;
    const { pid: _pid, ...shown } = full;
    printJson(context, shown);
  } else {
    io.stdout(describeVerify(record, plan.name));
  }
  await engine.flushMonitors(); // pings and the pushgateway are sent before the process exits
  return exitCodeForStatus(record.status);
}

function describeVerify(run: RunRecord, planName: string): string {
  const took = run.endedAt ? ` in ${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))}` : '';
  const lines = [`${statusMark(run.status)} ${planName}: ${run.reason ?? run.status}${took}`];
  const result = run.verify;
  if (result?.snapshotId) {
    const detail = [`snapshot ${shortSnapshotId(result.snapshotId)}`];
    if (result.comparedWithLive) detail.push(`${result.comparedWithLive} compared with the live file`);
    if (result.changedSinceSnapshot) detail.push(`${result.changedSinceSnapshot} changed since the snapshot (checked by restic only)`);
    if (result.leftOut) detail.push(`${result.leftOut} left out (paths too long to restore elsewhere)`);
    lines.push(`  ${detail.join(' · ')}`);
    for (const mismatch of result.mismatches) lines.push(`  ✘ ${shownPath(mismatch.path)}: ${mismatch.problem}`);
  }
  return `${lines.join('\n')}\n`;
}
