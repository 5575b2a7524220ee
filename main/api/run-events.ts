import type { Engine } from '../core/engine.ts';
import type { BackupProgress } from '../core/restic/messages.ts';
import type { AnyEvent } from './contract.ts';
import { brief } from './handlers/context.ts';

/** Output lines per run pushed to a UI at most this often; the rest are counted, not sent. */
const OUTPUT_LINES_PER_SECOND = 200;

/**
 * The engine's run events as the contract's events, output lines capped per run and second.
 * Keeps the last progress of each plan's run under way, for plans.list.
 */
export function forwardRunEvents(engine: Pick<Engine, 'subscribe'>, publish: (event: AnyEvent) => void): { progress(planId: string): BackupProgress | null } {
  const progress = new Map<string, BackupProgress>();
  const outputBudget = new Map<string, { second: number; sent: number }>();
  /** How many more lines this run may send in the current second. */
  const budgetLeft = (runId: string): { take(): boolean } => {
    const second = Math.floor(Date.now() / 1000);
    let budget = outputBudget.get(runId);
    if (!budget || budget.second !== second) {
      budget = { second, sent: 0 };
      outputBudget.set(runId, budget);
    }
    const current = budget;
    return {
      take() {
        if (current.sent >= OUTPUT_LINES_PER_SECOND) return false;
        current.sent += 1;
        return true;
      },
    };
  };

  engine.subscribe((event) => {
    switch (event.type) {
      case 'run-started':
        publish({ name: 'run.started', payload: { run: brief(event.run) } });
        break;
      case 'progress':
        progress.set(event.plan, event.progress);
        publish({ name: 'run.progress', payload: { runId: event.runId, plan: event.plan, progress: event.progress } });
        break;
      case 'output':
        {
          const budget = budgetLeft(event.runId);
          // Lines are taken from the block only while the budget lasts: a flood is never split whole.
          for (let start = 0; start <= event.text.length && budget.take(); ) {
            const end = event.text.indexOf('\n', start);
            const line = end === -1 ? event.text.slice(start) : event.text.slice(start, end);
            publish({ name: 'run.output', payload: { runId: event.runId, step: event.step, stream: event.stream, line } });
            if (end === -1) break;
            start = end + 1;
          }
        }
        break;
      case 'step-started':
        publish({ name: 'run.step', payload: { runId: event.runId, kind: event.kind, name: event.name, event: event.event } });
        break;
      case 'step-ended':
        publish({
          name: 'run.step',
          payload: { runId: event.runId, kind: event.step.kind, name: event.step.name, event: event.step.event, status: event.step.status },
        });
        break;
      case 'run-ended':
        progress.delete(event.run.plan);
        outputBudget.delete(event.run.id);
        publish({ name: 'run.ended', payload: { run: brief(event.run) } });
        break;
    }
  });
  return { progress: (planId) => progress.get(planId) ?? null };
}
