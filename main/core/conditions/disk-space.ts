import { statfs } from 'node:fs/promises';
import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { expandHome } from '../util/paths.ts';
import { formatBytes, parseSize } from '../util/size.ts';
import { defineCondition } from './condition.ts';

export const diskSpace = defineCondition({
  type: 'diskSpace',
  schema: ({ z, fields: { pathField, sizeField } }) => z.strictObject({ type: z.literal('diskSpace'), path: pathField.min(1), minFree: sizeField }),
  ...CONDITION_FACTS.diskSpace,
  async evaluate(condition) {
    const path = expandHome(condition.path);
    const wanted = parseSize(condition.minFree);
    if (!wanted.ok) return { pass: false, reason: wanted.message };
    let free: number;
    try {
      const stats = await statfs(path);
      free = stats.bavail * stats.bsize;
    } catch (error) {
      return { pass: false, reason: `Free space on ${path} unknown (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    const sentence = `${formatBytes(free)} free on ${path}`;
    return free >= wanted.bytes
      ? { pass: true, reason: `${sentence}, at least ${condition.minFree}` }
      : { pass: false, reason: `Only ${sentence}, below ${condition.minFree}` };
  },
});
