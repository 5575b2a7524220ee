import type { HookEvent } from '../../core/config/schema.ts';
import { HOOK_EVENTS } from '../../core/config/vocabulary.ts';
import type { HookVerdictKind } from '../../core/hooks/hook-verdict.ts';
import type { RunEvent } from '../../core/runs/run-state.ts';
import { formatDuration } from '../../core/util/duration.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, openEngine, printJson } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/** `lifeboat hooks test <plan> <hook> [--event E]`: one hook, sample variables, live output, a verdict. */
export async function hooksCommand(context: CommandContext): Promise<number> {
  const [, planId, hookId] = context.args.positionals as [string, string, string];
  const event = context.args.event;
  if (event !== undefined && !(HOOK_EVENTS as readonly string[]).includes(event)) {
    throw new UsageError(`--event ${JSON.stringify(event)} is not an event; use one of ${HOOK_EVENTS.join(', ')}.`);
  }
  const engine = await openEngine(context);
  const onEvent = (runEvent: RunEvent) => {
    if (runEvent.type === 'output' && !context.args.json) {
      (runEvent.stream === 'stderr' ? context.io.stderr : context.io.stdout)(`${runEvent.text}\n`);
    }
  };
  const result = await engine.testHook(planId, hookId, { event: event as HookEvent | undefined, onEvent });
  const { verdict } = result;
  const shown = SHOWN[verdict.kind];
  if (context.args.json) {
    printJson(context, {
      plan: planId,
      hook: hookId,
      event: result.event,
      outcome: result.outcome.kind,
      reason: result.outcome.reason,
      verdict: verdict.text,
      verdictKind: verdict.kind,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      output: result.output,
    });
  } else {
    context.io.stdout(`${shown.mark} ${verdict.text} (${result.event}, ${formatDuration(result.durationMs)})\n`);
  }
  return shown.code;
}

/** How the terminal shows each verdict, and the exit code it gives (75: the run would be skipped or postponed). */
const SHOWN: Record<HookVerdictKind, { mark: string; code: number }> = {
  pass: { mark: '✔', code: EXIT.success },
  skip: { mark: '⏭', code: EXIT.skipped },
  defer: { mark: '⏭', code: EXIT.skipped },
  warning: { mark: '⚠', code: EXIT.failure },
  fail: { mark: '✘', code: EXIT.failure },
  cancelled: { mark: '■', code: EXIT.failure },
};
