import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { defineCondition } from './condition.ts';

export const networkUnmetered = defineCondition({
  type: 'networkUnmetered',
  schema: ({ z }) => z.strictObject({ type: z.literal('networkUnmetered') }),
  ...CONDITION_FACTS.networkUnmetered,
  async evaluate(_condition, { platform }) {
    const metered = await platform.network.metered();
    if (typeof metered === 'object') return { pass: true, reason: `Passing: ${metered.unknown}` };
    return metered ? { pass: false, reason: 'On a metered connection' } : { pass: true, reason: 'On an unmetered connection' };
  },
});
