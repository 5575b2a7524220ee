import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CONDITION_FACTS } from '../config/vocabulary.ts';
import { expandHome } from '../util/paths.ts';
import { defineCondition } from './condition.ts';

/** A mount point sits on another device than its parent folder (or is the root). */
async function isMountPoint(path: string): Promise<boolean> {
  const parent = dirname(path);
  if (parent === path) return true;
  const [own, above] = await Promise.all([stat(path), stat(parent)]);
  return own.dev !== above.dev || own.ino === above.ino;
}

export const pathCondition = defineCondition({
  type: 'path',
  schema: ({ z, fields: { pathField } }) =>
    z.strictObject({ type: z.literal('path'), path: pathField.min(1), mounted: z.boolean().optional(), writable: z.boolean().optional() }),
  ...CONDITION_FACTS.path,
  async evaluate(condition) {
    const path = expandHome(condition.path);
    try {
      await stat(path);
    } catch {
      return { pass: false, reason: `${path} does not exist (is the drive connected?)` };
    }
    if (condition.mounted && !(await isMountPoint(path))) return { pass: false, reason: `${path} is not mounted` };
    if (condition.writable) {
      try {
        await access(path, constants.W_OK);
      } catch {
        return { pass: false, reason: `${path} is not writable` };
      }
    }
    return { pass: true, reason: `${path} is there${condition.mounted ? ', mounted' : ''}${condition.writable ? ' and writable' : ''}` };
  },
});
