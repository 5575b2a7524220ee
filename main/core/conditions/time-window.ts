import { CONDITION_FACTS, WEEKDAYS } from '../config/vocabulary.ts';
import { defineCondition } from './condition.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function minutes(clock: string): number {
  const [hours, mins] = clock.split(':').map(Number);
  return hours! * 60 + mins!;
}

export const timeWindow = defineCondition({
  type: 'timeWindow',
  schema: ({ z, fields: { clockTimeField } }) =>
    z.strictObject({ type: z.literal('timeWindow'), from: clockTimeField, to: clockTimeField, days: z.array(z.enum(WEEKDAYS)).optional() }),
  ...CONDITION_FACTS.timeWindow,
  async evaluate(condition, { now }) {
    const from = minutes(condition.from);
    const to = minutes(condition.to);
    const current = now.getHours() * 60 + now.getMinutes();
    const crossesMidnight = from > to;
    const inside = crossesMidnight ? current >= from || current < to : current >= from && current < to;
    // After midnight in a window that began the evening before, the window's day is yesterday.
    const windowDay = crossesMidnight && current < to ? (now.getDay() + 6) % 7 : now.getDay();
    const dayOk = !condition.days || condition.days.includes(DAYS[windowDay]!);
    const window = `${condition.from}–${condition.to}${condition.days ? ` on ${condition.days.join(', ')}` : ''}`;
    const clock = `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
    if (inside && dayOk) return { pass: true, reason: `${clock} is inside ${window}` };
    return { pass: false, reason: `${clock} ${DAYS[now.getDay()]} is outside ${window}` };
  },
});
