import { isAbsolute } from 'node:path';
import type { RestoreOptions } from '../../core/engine.ts';
import { expandHome } from '../../core/util/paths.ts';
import { ApiError } from '../api-error.ts';
import type { ChangeCall } from './changes.ts';
import type { CheckedInput, HandlerContext, HandlersOf } from './context.ts';

/** Snapshots of a plan: list, browse, restore (into an empty folder, or in place by an overwrite policy) and its preview. */
export function snapshotHandlers({ engine }: HandlerContext): Omit<HandlersOf<'snapshots'>, ChangeCall> {
  return {
    'snapshots.list': async ({ plan }) => engine.snapshots(plan),
    'snapshots.browse': async ({ plan, snapshot, path }) => engine.browse(plan, snapshot, path),
    'snapshots.restore': async (input) => {
      const run = await engine.restore(input.plan, input.snapshot, checkedRestore(input));
      return { status: run.status, reason: run.reason };
    },
    'snapshots.restorePreview': async (input) => engine.restorePreview(input.plan, input.snapshot, checkedRestore(input)),
  };
}

type RestoreInput = CheckedInput<'snapshots.restore'>;

/** The shape of a restore request, checked as the contract cannot: exactly one destination, a policy in place, a full target path. */
function checkedRestore({ target, inPlace, overwrite, include }: RestoreInput): RestoreOptions {
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
  return { target: folder, inPlace, overwrite, include };
}
