import { isUnsupported } from '../platform/platform.ts';
import { durationMs, formatDuration } from '../util/duration.ts';
import type { ConditionModule } from './condition.ts';

export const idle: ConditionModule<'idle'> = {
  type: 'idle',
  async evaluate(condition, { platform }) {
    const seconds = await platform.idle.idleSeconds();
    if (isUnsupported(seconds)) return { pass: false, reason: `Idle time unknown: ${seconds.unsupported}` };
    const wanted = durationMs(condition.minIdle);
    const text = formatDuration(seconds * 1000);
    return seconds * 1000 >= wanted
      ? { pass: true, reason: `Idle for ${text}` }
      : { pass: false, reason: `In use (idle only ${text}, waiting for ${condition.minIdle})` };
  },
};
