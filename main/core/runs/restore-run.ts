import { lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mergeRestored } from '../restic/merge-restored.ts';
import { type OverwritePolicy, type Restic, ResticError } from '../restic/restic.ts';
import { whereItPoints } from '../restic/restore-target.ts';
import { type Redirect, storedPath } from '../restic/snapshot-paths.ts';
import { expandHome } from '../util/paths.ts';
import { resticRunStep } from './backup-run.ts';
import type { RunState } from './run-state.ts';

export interface RestoreRequest {
  /** The snapshot's full id, found among the plan's own (never `latest` or a prefix: the run is about one snapshot). */
  snapshot: string;
  /** An empty folder, checked already; undefined: in place, by `overwrite`. */
  target: string | undefined;
  overwrite?: OverwritePolicy | undefined;
  include?: string[] | undefined;
  /**
   * In place, for a snapshot of sources a hook redirected (LIFEBOAT_SNAPSHOT_PATH): the snapshot
   * holds them under the redirected paths, and they go back to the sources' own paths.
   */
  redirects?: Redirect[] | undefined;
}

/**
 * The overwrite policy as the restore dialog asks it ("Files that are there already"), for the step
 * the history keeps: the app shows it, so it names no command-line flag.
 */
const POLICY_IN_WORDS: Record<OverwritePolicy, string> = {
  never: 'never replaced',
  'if-newer': 'replaced where the backup is newer',
  always: 'always replaced',
};

/**
 * The restore itself, between restore.before and restore.after (withRun puts those around it):
 * into `target` in restic's layout, or back to the original paths by the overwrite policy.
 */
export async function restoreSnapshot(run: RunState, restic: Restic, request: RestoreRequest): Promise<void> {
  const { snapshot, target } = request;
  const redirects = target === undefined ? (request.redirects ?? []) : [];
  // A live path of a redirected source is asked for by the path the snapshot holds it under.
  const include = request.include?.map((path) => storedPath(path, redirects));
  const restoreInto = async (folder: string, overwrite?: OverwritePolicy) => {
    try {
      const result = await restic.restore({ snapshot, target: folder, include, overwrite, signal: run.signal });
      for (const invocation of result.invocations) run.addStep(resticRunStep(invocation));
    } catch (error) {
      if (error instanceof ResticError) for (const invocation of error.invocations) run.addStep(resticRunStep(invocation));
      throw error;
    }
  };
  if (target !== undefined) {
    await mkdir(target, { recursive: true });
    await restoreInto(target);
  } else if (restic.canOverwrite && redirects.length === 0) {
    await restoreInto('/', request.overwrite);
  } else {
    // restic before 0.17 cannot overwrite by a policy, and no restic knows a redirected source's
    // own path: restore next to the data, then move in by ours.
    const scratch = await scratchBeside(
      run.plan.sources.map((source) => expandHome(source)),
      run.workingDir,
    );
    try {
      await restoreInto(scratch);
      const started = Date.now();
      const counts = { written: 0, kept: 0 };
      for (const redirect of redirects) {
        const restored = join(scratch, redirect.stored);
        if (!(await exists(restored))) continue;
        const moved = await mergeRestored(restored, request.overwrite!, redirect.original);
        counts.written += moved.written;
        counts.kept += moved.kept;
        await rm(restored, { recursive: true, force: true });
      }
      const rest = await mergeRestored(scratch, request.overwrite!, '/', { skipEmptyFolders: redirects.length > 0 });
      counts.written += rest.written;
      counts.kept += rest.kept;
      run.addStep({
        kind: 'restic',
        name: 'restore in place',
        event: null,
        status: 'success',
        exitCode: 0,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        output: `Put back ${counts.written} item(s); kept ${counts.kept} existing one(s) (files that are there already: ${POLICY_IN_WORDS[request.overwrite!]}).\n`,
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/** A private folder on the same filesystem as the plan's first source (so moves are renames), else in the run's folder. */
async function scratchBeside(sources: string[], fallback: string): Promise<string> {
  for (const source of sources) {
    const parent = dirname(await whereItPoints(source));
    const folder = await mkdtemp(join(parent, '.lifeboat-restore-')).catch(() => undefined);
    if (folder) return folder;
  }
  return mkdtemp(join(fallback, 'restore-'));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
