import type { Trigger } from '../../core/config/schema.ts';
import type { RunEvent } from '../../core/runs/run-state.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { exitCodeForStatus } from '../exit-codes.ts';
import { describeProgress, describeRun } from '../format.ts';

/** At most this often the progress line is redrawn (or, off a terminal, printed). */
const REDRAW_MS = 100;
const PLAIN_PROGRESS_MS = 10_000;

export async function runCommand(context: CommandContext): Promise<number> {
  const [planId] = context.args.positionals as [string];
  const trigger = cliTrigger(context.args.trigger);
  const engine = await openEngine(context);
  const plan = engine.plan(planId);
  const { io } = context;
  let lastDraw = 0;
  let drawn = false;
  const onEvent = (event: RunEvent) => {
    if (context.args.json) return;
    if (event.type === 'progress') {
      const now = Date.now();
      if (now - lastDraw < (io.interactive ? REDRAW_MS : PLAIN_PROGRESS_MS)) return;
      lastDraw = now;
      if (io.interactive) {
        io.stderr(`\r\x1b[2K${describeProgress(event.progress)}`);
        drawn = true;
      } else {
        io.stderr(`${describeProgress(event.progress)}\n`);
      }
    } else if (event.type === 'step-started') {
      if (drawn) io.stderr('\r\x1b[2K');
      drawn = false;
      io.stderr(`→ ${event.kind === 'restic' ? `restic ${event.name}` : `hook ${event.name} (${event.event})`}\n`);
    } else if (event.type === 'step-ended' && drawn) {
      io.stderr('\r\x1b[2K');
      drawn = false;
    }
  };
  if (!context.args.json) io.stderr(`Backing up ${plan.name} to ${engine.repository(plan.repository).name}…\n`);
  // Hook output is stored with the run, never shown live here: it need not be decoded for this listener.
  const record = await engine.runPlan(planId, { trigger, signal: io.signal, onEvent, output: false });
  // The result is shown once the run's own work (async hooks) has ended, without waiting for monitors that hang.
  await engine.settleRuns();
  if (drawn) io.stderr('\r\x1b[2K');
  if (context.args.json) {
    const full = (await engine.history.get(record.id)) ?? record;
    // SPEC §9's shape: what kept the machine awake is in `lifeboat history --json`.
    const { pid: _pid, repository: _repository, keepAwake: _keepAwake, ...shown } = full;
    printJson(context, shown);
  } else {
    io.stdout(describeRun(record, plan.name));
  }
  await engine.flushMonitors(); // pings and the pushgateway are sent before the process exits
  return exitCodeForStatus(record.status);
}

/** `cli` unless an external scheduler says `--trigger schedule`; `manual` is accepted too. */
function cliTrigger(value: string | undefined): Trigger {
  if (value === undefined) return 'cli';
  if (value === 'schedule' || value === 'manual') return value;
  throw new UsageError(`--trigger ${JSON.stringify(value)} is not allowed; use "manual" or "schedule".`);
}
