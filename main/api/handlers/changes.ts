import { homedir } from 'node:os';
import { updatePlan } from '../../core/config/edit.ts';
import { excludePattern, excludeTarget, isExcludable } from '../../core/config/exclude-path.ts';
import { describeDiff, type SnapshotDiff } from '../../core/restic/diff.ts';
import { expandHome } from '../../core/util/paths.ts';
import type { CallName } from '../contract.ts';
import type { Handler, HandlerContext } from './context.ts';

/** The calls about what changed; their namespaces' own handler files leave them out. */
export type ChangeCall = 'runs.changes' | 'snapshots.diff' | 'plans.excludePreview' | 'plans.addExclude';
type ChangeHandlers = { [N in ChangeCall & CallName]: Handler<N> };

/**
 * What changed: a run's stored changes, a diff of any two snapshots, and the exclude a person
 * adds from a folder that grew (what it would skip first, then the edit, by revision).
 */
export function changeHandlers(context: HandlerContext): ChangeHandlers {
  const { engine } = context;
  const home = homedir();
  // Folders of a plan that is gone from the config since are not offered for excluding.
  // The sentence says ~ for the home folder, as the CLI does.
  const blame = <T extends Omit<SnapshotDiff, 'changes' | 'moreChanges'>>(changes: T) => {
    const plan = engine.config.plans.find((candidate) => candidate.id === changes.plan);
    const sources = plan?.sources.map((source) => expandHome(source)) ?? [];
    const excluded = (path: string) => plan?.excludes.includes(excludePattern(path)) ?? false;
    return {
      ...changes,
      topFolders: changes.topFolders.map((folder) => ({
        ...folder,
        excludable: isExcludable(sources, folder.path) && !excluded(folder.path),
        excluded: excluded(folder.path),
      })),
      sentence: describeDiff(changes, home),
    };
  };
  return {
    'runs.changes': async ({ runId }) => {
      const changes = await engine.runChanges(runId);
      return changes ? blame(changes) : null;
    },
    'snapshots.diff': async ({ plan, from, to }) => {
      return blame(await engine.diff(plan, { from, to }));
    },
    'plans.excludePreview': async ({ plan, path }) => {
      const preview = await engine.snapshotAnswers.excludePreview(plan, path);
      return { ...preview, revision: engine.configRevision };
    },
    'plans.addExclude': async ({ plan: planId, path, revision }) => {
      const plan = engine.plan(planId);
      const { pattern } = excludeTarget(
        plan.id,
        plan.sources.map((source) => expandHome(source)),
        path,
      );
      const config = context.rawConfig();
      const excludes = config.plans?.find((candidate) => candidate.id === plan.id)?.excludes ?? [];
      if (excludes.includes(pattern)) return { ok: true, pattern, added: false, revision: engine.configRevision };
      await context.saveConfig(updatePlan(config, plan.id, { excludes: [...excludes, pattern] }), { revision });
      return { ok: true, pattern, added: true, revision: engine.configRevision };
    },
  };
}
