import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { isUnsupported } from '../platform/platform.ts';
import { defineCondition } from './condition.ts';

export const acPower = defineCondition({
  type: 'acPower',
  schema: ({ z }) => z.strictObject({ type: z.literal('acPower') }),
  ...CONDITION_FACTS.acPower,
  async evaluate(_condition, { platform }) {
    const state = await platform.power.read();
    if (isUnsupported(state)) return { pass: false, reason: `Power source unknown: ${state.unsupported}` };
    if (state.batteries.length === 0) return { pass: true, reason: 'No battery: on mains power' };
    return state.onAC
      ? { pass: true, reason: 'On AC power' }
      : { pass: false, reason: `On battery (${Math.min(...state.batteries.map((b) => b.percent))} %), not plugged in` };
  },
});
