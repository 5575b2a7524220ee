import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { WayOutError } from './restic-read.ts';

/**
 * A restore that would overwrite live data or land somewhere unexpected: refused before anything runs.
 * With `choice`, the way out is another destination (WayOut `destination`): the message adds it to
 * the `problem` in the restore dialog's words, and `lifeboat restore` names its flags instead.
 */
export class RestoreRefusedError extends WayOutError {
  override name = 'RestoreRefusedError';
  constructor(problem: string, options: { cause?: unknown; choice?: boolean } = {}) {
    super(problem, options.choice ? { to: 'destination' } : undefined, { cause: options.cause, kind: 'refused' });
  }
}

/** Refused for where it would land: the way out is another destination. */
function refusedDestination(problem: string): RestoreRefusedError {
  return new RestoreRefusedError(problem, { choice: true });
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Where a path really is: the real path of its deepest existing ancestor with the rest
 * appended, so a symlink anywhere along the way is followed the way a restore would follow it.
 */
export async function whereItPoints(path: string): Promise<string> {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(existing), ...rest.reverse());
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') throw error;
      const link = await lstat(existing).catch(() => undefined);
      if (link?.isSymbolicLink()) throw refusedDestination(`${existing} is a symbolic link to a place that does not exist.`);
    }
    const parent = dirname(existing);
    if (parent === existing) return resolve(path);
    rest.push(basename(existing));
    existing = parent;
  }
}

function isInside(child: string, parent: string): boolean {
  return parent === sep ? child !== sep : child.startsWith(parent + sep);
}

export interface PlanSources {
  plan: string;
  sources: string[];
}

/**
 * Checks a restore target against the live data: not `/`, not a source of any plan, not a
 * folder that holds one, not a folder inside one, and empty. Returns the resolved target
 * (symlinks followed), which is where the restore must go.
 */
export async function checkRestoreTarget(target: string, plans: PlanSources[]): Promise<string> {
  const resolved = await whereItPoints(target);
  const shown = resolved === resolve(target) ? resolved : `${resolve(target)} (which points to ${resolved})`;
  if (resolved === sep || /^[a-zA-Z]:\\?$/.test(resolved)) {
    throw refusedDestination(`Restoring into ${shown} would put the snapshot's files over the live system.`);
  }
  for (const { plan, sources } of plans) {
    for (const source of sources) {
      const real = await whereItPoints(source);
      if (real === resolved) throw refusedDestination(`${shown} is the source folder of plan "${plan}"; restoring there would overwrite live files.`);
      if (isInside(real, resolved))
        throw refusedDestination(`${shown} contains ${real}, a source of plan "${plan}"; restoring there would overwrite live files.`);
      if (isInside(resolved, real))
        throw refusedDestination(
          `${shown} is inside ${real}, a source of plan "${plan}"; restored files would mix with the live data and go into its next backup.`,
        );
    }
  }
  const info = await lstat(resolved).catch(() => undefined);
  if (info && !info.isDirectory()) throw refusedDestination(`${shown} is a file, not a folder.`);
  if (info && (await readdir(resolved)).length > 0) throw refusedDestination(`${shown} is not empty; restoring into it could overwrite what is there.`);
  return resolved;
}
