import { isAbsolute } from 'node:path';
import { expandHome } from '../../core/util/paths.ts';
import { ApiError } from '../api-error.ts';
import type { ChangeCall } from './changes.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

/** Snapshots of a plan: list, browse, restore (into an empty folder, or in place by an overwrite policy). */
export function snapshotHandlers({ engine }: HandlerContext): Omit<HandlersOf<'snapshots'>, ChangeCall> {
  return {
    'snapshots.list': async ({ plan }) => engine.snapshots(plan),
    'snapshots.browse': async ({ plan, snapshot, path }) => engine.browse(plan, snapshot, path),
    'snapshots.restore': async ({ plan, snapshot, target, inPlace, overwrite, include }) => {
      if ((target === undefined) === !inPlace)
        throw new ApiError(400, 'invalid-input', 'Give exactly one of target (an empty folder) or inPlace.', [
          { path: 'target', message: 'give an empty folder, or set inPlace with an overwrite policy' },
        ]);
      if (inPlace && !overwrite)
        throw new ApiError(400, 'invalid-input', 'inPlace needs an overwrite policy: never, if-newer or always.', [
          { path: 'overwrite', message: 'choose never, if-newer or always' },
        ]);
      const folder = target === undefined ? undefined : expandHome(target);
      if (folder !== undefined && !isAbsolute(folder))
        throw new ApiError(422, 'refused', `${folder} is not a full path; give the folder from the root (/home/me/restored) or the home folder (~/restored).`);
      const run = await engine.restore(plan, snapshot, { target: folder, inPlace, overwrite, include });
      return { status: run.status, reason: run.reason };
    },
  };
}
