import { readPlanSeries } from '../../core/history/plan-series.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** The plan charts' data, from the stored run records and repository sizes. */
export function chartHandlers({ engine }: HandlerContext): HandlersOf<'charts'> {
  return {
    'charts.series': async ({ plan, days }) => {
      const { repository } = engine.plan(plan);
      // The size is taken when the charts are opened (once a day); a repository that cannot be read still has its runs charted.
      await engine.sampleRepositorySize(repository).catch(() => undefined);
      return readPlanSeries(engine.history, engine.repositorySizes, { plan, repository, days, now: new Date() });
    },
  };
}
