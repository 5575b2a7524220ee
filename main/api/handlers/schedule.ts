import { validateConfig } from '../../core/config/validate.ts';
import { mountTriggerOf } from '../../core/schedule/mount-trigger.ts';
import { pauseUntil } from '../../core/schedule/pause.ts';
import { upcomingRuns } from '../../core/schedule/schedule-times.ts';
import { describeSchedule } from '../../core/schedule/schedule-words.ts';
import { type HandlerContext, type HandlersOf, problemsWithin } from './context.ts';

/** Schedules: a preview in words with the next runs, and pausing all plans. */
export function scheduleHandlers(context: HandlerContext): HandlersOf<'schedule'> {
  const { scheduler } = context;
  return {
    'schedule.preview': async ({ schedule }) => {
      // The schedule is checked as part of a one-plan config, by the same rules as a saved one.
      const probe = { version: 1, repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }], plans: [{ id: 'p', repository: 'r', sources: ['/p'], schedule }] };
      const result = validateConfig(probe);
      if (!result.ok) return { sentence: '', next: [], problems: problemsWithin(result.problems, /^plans\[0\]\.schedule\.?/) };
      const plan = result.config.plans[0]!;
      // A config may move between machines, so drive arrival where it cannot work is a notice, not a refusal.
      const unsupported = mountTriggerOf(plan.schedule) ? scheduler.driveArrivalUnsupported : undefined;
      return {
        sentence: `${describeSchedule(plan.schedule)}${unsupported ? ` (${unsupported})` : ''}`,
        next: upcomingRuns(plan, { firstSeenAt: new Date().toISOString() }, new Date()).map((d) => d.toISOString()),
        problems: [],
      };
    },
    'schedule.pause': async ({ choice }) => {
      const state = await scheduler.pause(pauseUntil(choice, new Date()));
      context.publish({ name: 'status.changed', payload: {} });
      return { until: state.until };
    },
    'schedule.resume': async () => {
      await scheduler.unpause();
      context.publish({ name: 'status.changed', payload: {} });
      return { ok: true };
    },
  };
}
