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
export function forwardRunEvents(engine: Engine, publish: (event: AnyEvent) => void): { progress(planId: string): BackupProgress | null } {
  const progress = new Map<string, BackupProgress>();
  const outputBudget = new Map<string, { second: number; sent: number }>();
  const underBudget = (runId: string): boolean => {
    const second = Math.floor(Date.now() / 1000);
    const budget = outputBudget.get(runId);
    if (!budget || budget.second !== second) {
      outputBudget.set(runId, { second, sent: 1 });
      return true;
    }
    budget.sent += 1;
    return budget.sent <= OUTPUT_LINES_PER_SECOND;
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
        if (underBudget(event.runId))
          publish({ name: 'run.output', payload: { runId: event.runId, step: event.step, stream: event.stream, line: event.line } });
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
