import { ApiError } from '../api-error.ts';
import { brief, type HandlerContext, type HandlersOf } from './context.ts';

/** The run history: newest first, and one run with its steps. */
export function historyHandlers({ engine }: HandlerContext): HandlersOf<'history'> {
  return {
    'history.list': async ({ plan, limit }) => (await engine.history.list({ plan, limit: limit ?? 50 })).map(brief),
    'history.get': async ({ id }) => {
      const run = await engine.history.get(id);
      if (!run) throw new ApiError(404, 'not-found', `There is no run ${id} in the history.`);
      return { ...brief(run), steps: run.steps, summary: run.summary ? { ...run.summary } : null };
    },
  };
}
