import { maskConfig, problemsOfMasked, unmaskConfig } from '../../core/config/secrets-mask.ts';
import { validateConfig } from '../../core/config/validate.ts';
import { ApiError } from '../api-error.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** The whole config, as the config editor reads and writes it: secrets masked out, and put back on save by id. */
export function configHandlers(context: HandlerContext): Omit<HandlersOf<'config'>, 'config.importPreview' | 'config.import'> {
  const { engine } = context;
  return {
    'config.get': async () => ({ config: maskConfig(engine.rawConfig), revision: engine.configRevision, problems: engine.configProblems }),
    // Checked as it would be saved: a masked secret stands for the stored one of the same id.
    'config.validate': async ({ config }) => ({
      problems: problemsOfMasked(config, engine.rawConfig, (unmasked) => {
        const result = validateConfig(unmasked);
        return result.ok ? [] : result.problems;
      }),
    }),
    'config.save': async ({ config, revision }) => {
      const unmasked = unmaskConfig(config, engine.rawConfig);
      if (!unmasked.ok)
        throw new ApiError(422, 'unknown-mask', 'A hidden secret does not belong to any saved item; type it again. Nothing was saved.', unmasked.problems);
      await context.saveConfig(unmasked.config, { revision });
      return { ok: true, revision: engine.configRevision };
    },
  };
}
