import { formatProblem } from '../core/config/problem.ts';
import type { Engine } from '../core/engine.ts';
import type { Scheduler } from '../core/schedule/scheduler.ts';
import type { CliIo } from './io.ts';

/**
 * `daemon` and `serve` follow the config file: a valid edit on disk is taken into use within
 * seconds and the scheduler set anew; an edit with problems is told on stderr and the last
 * good config keeps running. Returns the function that stops following.
 */
export function followConfigChanges(engine: Engine, scheduler: Scheduler, io: Pick<CliIo, 'stderr'>, log: (line: string) => void): () => void {
  return engine.watchConfig(async ({ changed, problems }) => {
    if (problems.length > 0) {
      const list = problems.map((problem) => `  ${formatProblem(problem)}`).join('\n');
      io.stderr(
        `${new Date().toISOString()} The config ${engine.configFile} changed on disk and has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; the last good config keeps running until it is fixed:\n${list}\n`,
      );
      return;
    }
    if (!changed) return;
    log(`config reloaded from ${engine.configFile}: ${engine.config.plans.length} plan(s)`);
    await scheduler.configChanged();
  });
}
