import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { isUnsupported } from '../platform/platform.ts';
import { formatDuration } from '../util/duration.ts';
import { defineCondition } from './condition.ts';

export const idle = defineCondition({
  type: 'idle',
  schema: ({ z, fields: { durationField } }) => z.strictObject({ type: z.literal('idle'), minIdle: durationField() }),
  ...CONDITION_FACTS.idle,
  async evaluate(condition, { platform }) {
    const seconds = await platform.idle.idleSeconds();
    if (isUnsupported(seconds)) return { pass: false, reason: `Idle time unknown: ${seconds.unsupported}` };
    const wanted = condition.minIdle.ms;
    const text = formatDuration(seconds * 1000);
    return seconds * 1000 >= wanted
      ? { pass: true, reason: `Idle for ${text}` }
      : { pass: false, reason: `In use (idle only ${text}, waiting for ${condition.minIdle.text})` };
  },
});
