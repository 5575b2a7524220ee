import { schemas } from '../../core/config/schema.ts';
import { normalizeHook, validateConfig } from '../../core/config/validate.ts';
import { loadHookTemplates } from '../../core/hooks/templates.ts';
import { ApiError } from '../api-error.ts';
import { hookTestPreview } from '../hook-test-preview.ts';
import { type HandlerContext, type HandlersOf, problemsWithin, zodProblems } from './context.ts';

const HOOK_PROBLEMS = 'The hook has problems; fix them before a test run.';

/** Hooks: a test run of one being edited (not saved yet), and the template gallery. */
export function hookHandlers(context: HandlerContext): HandlersOf<'hooks' | 'templates'> {
  const { engine } = context;
  return {
    'hooks.test': async ({ plan, hook, event, testId }) => {
      const parsed = schemas().hookSchema.safeParse(hook, { reportInput: true });
      if (!parsed.success) throw new ApiError(422, 'invalid-hook', HOOK_PROBLEMS, zodProblems(parsed.error));
      // The rules beyond the schema (conditions, interpolation) are checked as in a saved config.
      const probe = validateConfig({
        version: 1,
        repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
        plans: [{ id: 'p', repository: 'r', sources: ['/p'], hooks: [hook] }],
      });
      if (!probe.ok) throw new ApiError(422, 'invalid-hook', HOOK_PROBLEMS, problemsWithin(probe.problems, /^plans\[0\]\.hooks\[0\]\.?/));
      // The live lines are a bounded preview; the answer carries the test's whole (bounded) output.
      const preview = hookTestPreview(testId, context.publish);
      const result = await engine
        .testHook(plan, normalizeHook(parsed.data), {
          event,
          onEvent: (runEvent) => {
            if (runEvent.type === 'output') preview.push(runEvent.stream, runEvent.text);
          },
        })
        .finally(() => preview.end());
      return {
        testId,
        outcome: result.outcome.kind,
        reason: result.outcome.reason,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        output: result.output,
        verdict: result.verdict,
      };
    },
    'templates.list': async () =>
      (await loadHookTemplates())
        .filter((template) => !template.platforms || template.platforms.includes(process.platform))
        .map((template) => ({
          id: template.id,
          title: template.title,
          description: template.description,
          requires: template.requires,
          hooks: template.hooks.map((hook) => ({ ...hook })),
        })),
  };
}
