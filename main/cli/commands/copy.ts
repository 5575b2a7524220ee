import type { RunEvent } from '../../core/runs/run-state.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { describeRun } from '../format.ts';

/** `lifeboat copy <plan> --to <repository>`: the plan's snapshots the repository lacks, as a run of kind copy. */
export async function copyCommand(context: CommandContext): Promise<number> {
  const [planId] = context.args.positionals as [string];
  const to = context.args.to;
  if (to === undefined || to === '')
    throw new UsageError('"copy" needs --to <repository>, the repository to copy the snapshots to. Usage: lifeboat copy <plan> --to <repository> [--json]');
  const engine = await openEngine(context);
  const plan = engine.plan(planId);
  const target = engine.repository(to);
  const { io } = context;
  const onEvent = (event: RunEvent) => {
    if (!context.args.json && event.type === 'run-started') io.stderr(`Copying ${plan.name} to ${target.name}…\n`);
    if (!context.args.json && event.type === 'step-started')
      io.stderr(`→ ${event.kind === 'restic' ? `restic ${event.name}` : `hook ${event.name} (${event.event})`}\n`);
  };
  const record = await engine.copyPlan(planId, to, { trigger: 'cli', signal: io.signal, onEvent });
  // The result is shown once the run's own work (async hooks) has ended, without waiting for monitors that hang.
  await engine.settleRuns();
  if (context.args.json) {
    const full = (await engine.history.get(record.id)) ?? record;
    const { pid: _pid, ...shown } = full;
    printJson(context, shown);
  } else {
    io.stdout(describeRun(record, `${plan.name} → ${target.name}`));
  }
  await engine.flushMonitors(); // pings and the pushgateway are sent before the process exits
  return exitCodeForStatus(record.status);
}
