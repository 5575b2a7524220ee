import { checkRetentionDraft } from '../../core/config/retention-draft.ts';
import { retentionWhatIf } from '../../core/restic/retention-what-if.ts';
import { ApiError } from '../api-error.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** Retention what-if: what `forget` would do with a draft policy, before it is saved. */
export function retentionHandlers(context: HandlerContext): HandlersOf<'retention'> {
  const { engine } = context;
  return {
    'retention.preview': async ({ plan, retention }) => {
      engine.plan(plan); // an unknown plan is told as such, before the draft
      let draft: Parameters<typeof engine.snapshotAnswers.retentionPreview>[1];
      if (retention !== undefined) {
        const checked = checkRetentionDraft(context.rawConfig(), plan, retention);
        if (!checked.ok)
          throw new ApiError(422, 'invalid-input', 'This retention policy has problems; fix the fields marked to see what it would remove.', checked.problems);
        draft = checked.retention;
      }
      return retentionWhatIf(await engine.snapshotAnswers.retentionPreview(plan, draft));
    },
  };
}
