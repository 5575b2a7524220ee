import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTime } from 'ulid';
import type { SnapshotDiff } from '../restic/diff.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

/** What a backup run changed, kept beside its record: bounded (the top lists, not every path). */
export type RunChanges = Omit<SnapshotDiff, 'changes' | 'moreChanges'> & {
  run: string;
  /** The run card's line. */
  sentence: string;
  computedAt: string;
};

const RUN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * `changes/<run>.json` in the history folder, one small file per backup run, written once the
 * diff is ready (after the run is recorded). Files of runs older than the history keeps go
 * when a new one is written.
 */
export class RunChangesStore {
  readonly folder: string;

  constructor(folder: string) {
    this.folder = folder;
  }

  async save(changes: RunChanges, options: { keepSince?: Date | undefined } = {}): Promise<void> {
    if (!RUN_ID.test(changes.run)) throw new Error(`not a run id: ${JSON.stringify(changes.run)}`);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.folder, `${changes.run}.json`), `${JSON.stringify(changes)}\n`);
    if (options.keepSince) await this.prune(options.keepSince);
  }

  /** The changes of a run, or undefined: not a backup, not ready yet, or from before this was kept. */
  async read(runId: string): Promise<RunChanges | undefined> {
    if (!RUN_ID.test(runId)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.folder, `${runId}.json`), 'utf8')) as RunChanges;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Removes the files of runs that started before `cutoff` (run ids are ULIDs: their time is in them). */
  async prune(cutoff: Date): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.folder).catch(() => [] as string[])) {
      const id = name.replace(/\.json$/, '');
      if (!RUN_ID.test(id) || decodeTime(id) >= cutoff.getTime()) continue;
      await rm(join(this.folder, name), { force: true });
      removed += 1;
    }
    return removed;
  }
}
