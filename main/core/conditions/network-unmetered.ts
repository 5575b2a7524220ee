import type { ConditionModule } from './condition.ts';

export const networkUnmetered: ConditionModule<'networkUnmetered'> = {
  type: 'networkUnmetered',
  async evaluate(_condition, { platform }) {
    const metered = await platform.network.metered();
    if (typeof metered === 'object') return { pass: true, reason: `Passing: ${metered.unknown}` };
    return metered ? { pass: false, reason: 'On a metered connection' } : { pass: true, reason: 'On an unmetered connection' };
  },
};
