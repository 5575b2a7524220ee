import { expandHome } from '../../core/util/paths.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** One file across a plan's snapshots: its versions, and putting one back (beside the live file or in its place). */
export function fileHandlers({ engine }: HandlerContext): HandlersOf<'files'> {
  return {
    'files.versions': async ({ plan, path }) => engine.snapshotAnswers.versions(plan, expandHome(path)),
    'files.restoreVersion': async ({ plan, path, snapshot, mode }) => engine.restoreVersion(plan, expandHome(path), snapshot, { inPlace: mode === 'in-place' }),
  };
}
