import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { isUnsupported } from '../platform/platform.ts';
import { defineCondition } from './condition.ts';

export const battery = defineCondition({
  type: 'battery',
  schema: ({ z }) => z.strictObject({ type: z.literal('battery'), minPercent: z.number().min(0).max(100), allowOnAC: z.boolean().optional() }),
  ...CONDITION_FACTS.battery,
  async evaluate(condition, { platform }) {
    const state = await platform.power.read();
    if (isUnsupported(state)) return { pass: false, reason: `Battery level unknown: ${state.unsupported}` };
    if (state.batteries.length === 0) return { pass: true, reason: 'No battery: on mains power' };
    const percent = Math.min(...state.batteries.map((b) => b.percent));
    if (state.onAC && condition.allowOnAC !== false) return { pass: true, reason: `On AC power (battery at ${percent} %)` };
    if (percent >= condition.minPercent) return { pass: true, reason: `Battery at ${percent} %, at least ${condition.minPercent} %` };
    return { pass: false, reason: `Battery at ${percent} %, below ${condition.minPercent} %` };
  },
});
