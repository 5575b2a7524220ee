import { HOOK_EVENTS, type HookEvent } from '../../core/config/schema.ts';
import type { HookTestResult } from '../../core/engine.ts';
import type { RunEvent } from '../../core/runs/run-state.ts';
import { formatDuration } from '../../core/util/duration.ts';
import { unreachable } from '../../core/util/errors.ts';
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
      (runEvent.stream === 'stderr' ? context.io.stderr : context.io.stdout)(`${runEvent.line}\n`);
    }
  };
  const result = await engine.testHook(planId, hookId, { event: event as HookEvent | undefined, onEvent });
  const verdict = describeVerdict(result);
  if (context.args.json) {
    printJson(context, {
      plan: planId,
      hook: hookId,
      event: result.event,
      outcome: result.outcome.kind,
      reason: result.outcome.reason,
      verdict: verdict.text,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      output: result.output,
    });
  } else {
    context.io.stdout(`${verdict.mark} ${verdict.text} (${result.event}, ${formatDuration(result.durationMs)})\n`);
  }
  return verdict.code;
}

function describeVerdict(result: HookTestResult): { mark: string; text: string; code: number } {
  const { outcome, hook } = result;
  if (outcome.kind === 'pass') return { mark: '✔', text: `passed: ${outcome.reason}`, code: EXIT.success };
  if (outcome.kind === 'skip') return { mark: '⏭', text: `would skip the run: ${outcome.reason}`, code: EXIT.skipped };
  if (outcome.kind === 'cancelled') return { mark: '■', text: outcome.reason, code: EXIT.failure };
  switch (hook.onError) {
    case 'skip':
      return { mark: '⏭', text: `would skip the run (onError "skip"): ${outcome.reason}`, code: EXIT.skipped };
    case 'ignore':
      return { mark: '⚠', text: `failed, and the run would go on with a warning (onError "ignore"): ${outcome.reason}`, code: EXIT.failure };
    case 'defer':
      return { mark: '⏭', text: `would postpone the run (onError "defer"): ${outcome.reason}`, code: EXIT.skipped };
    case 'fail':
      return { mark: '✘', text: `would fail the run: ${outcome.reason}`, code: EXIT.failure };
    default:
      return unreachable(hook.onError);
  }
}
