import type { HistoryStore } from './history/history-store.ts';
import type { RunChanges } from './history/run-changes.ts';
import type { SnapshotDiff } from './restic/diff.ts';
import { type RunRecord, runKind } from './runs/run-record.ts';
import type { SnapshotAnswers } from './snapshot-answers.ts';
import { errorMessage, UserError } from './util/errors.ts';

export interface RunChangesServiceOptions {
  answers: () => SnapshotAnswers;
  history: HistoryStore;
  log?: ((line: string) => void) | undefined;
}

/**
 * What each backup run changed, kept off the run's clock: a run never computes or waits for it.
 * It is worked out on first request (`runs.changes`, a diff of the run's snapshot pair) and
 * stored; the long-running processes also work it out in the background after a run ends.
 * One computation at a time (restic's diff and two listings cost CPU a next backup may need),
 * and however many ask for the same run at once, it is worked out once.
 */
export class RunChangesService {
  private readonly options: RunChangesServiceOptions;
  private readonly inFlight = new Map<string, Promise<RunChanges | undefined>>();
  private readonly background = new Set<Promise<void>>();
  private abandon = new AbortController();
  private turn: Promise<unknown> = Promise.resolve();
  private readonly storedListeners = new Set<(changes: RunChanges) => void>();

  constructor(options: RunChangesServiceOptions) {
    this.options = options;
  }

  /** The changes of a run by its id: stored, or worked out now; null for a run that made no snapshot. */
  async ofRun(runId: string): Promise<RunChanges | null> {
    const run = await this.options.history.get(runId);
    if (!run) throw new UserError(`There is no run ${shownId(runId)} in the history; pick one from "lifeboat history".`, { kind: 'not-found' });
    return this.of(run);
  }

  /** The changes of a run: stored, or worked out now; null for a run that made no snapshot (not a backup, or it failed). */
  async of(run: RunRecord): Promise<RunChanges | null> {
    if (runKind(run) !== 'backup' || !run.snapshotId) return null;
    const stored = await this.options.answers().changesOf(run.id);
    if (stored) return stored;
    return (await this.compute(run)) ?? null;
  }

  /** The changes of a run only if they are stored already: never works anything out (the dashboard's list asks this for every plan). */
  async stored(runId: string): Promise<RunChanges | undefined> {
    return this.options.answers().changesOf(runId);
  }

  /** Told whenever the changes of a run have been worked out and stored. */
  onStored(listener: (changes: RunChanges) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /** After a run ends (daemon, serve, the app): worked out in the background; a failure is logged, and the next request tries again. */
  later(run: RunRecord): void {
    if (runKind(run) !== 'backup' || !run.snapshotId) return;
    const signal = this.abandon.signal;
    const pending = this.compute(run, signal).then(
      () => undefined,
      (error: unknown) => {
        // Stopped on exit: nothing went wrong, and a later request works it out.
        if (!signal.aborted) this.options.log?.(`${run.plan}: what run ${run.id} changed could not be worked out: ${errorMessage(error)}`);
      },
    );
    this.background.add(pending);
    void pending.finally(() => this.background.delete(pending));
  }

  /** A diff of a run's snapshot against the one before it, made for someone who asked: kept as the run's changes when none are stored. */
  async keepDiff(planId: string, diff: SnapshotDiff): Promise<void> {
    if (!diff.from) return; // a plan's first snapshot: its run's record says "in the first backup", which a diff never does
    const run = await this.runOfSnapshot(planId, diff.to.id);
    if (!run || this.inFlight.has(run.id)) return;
    const answers = this.options.answers();
    if (await answers.changesOf(run.id)) return;
    const kept = await answers.keepChanges(run.id, diff);
    for (const listener of this.storedListeners) listener(kept);
  }

  /** The background work done (for tests and a quiet exit). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Stops background work: it can be redone on request, so an exit never waits for it. */
  stop(): void {
    this.abandon.abort();
    this.abandon = new AbortController();
  }

  private compute(run: RunRecord, signal?: AbortSignal): Promise<RunChanges | undefined> {
    const running = this.inFlight.get(run.id);
    if (running) return running;
    const answers = this.options.answers();
    const work = this.turn.then(async () => {
      const stored = await answers.changesOf(run.id);
      if (stored) return stored;
      const recorded = await answers.recordChanges(run, signal);
      if (recorded) for (const listener of this.storedListeners) listener(recorded);
      return recorded;
    });
    this.turn = work.catch(() => undefined);
    this.inFlight.set(run.id, work);
    void work.then(
      () => this.inFlight.delete(run.id),
      () => this.inFlight.delete(run.id),
    );
    return work;
  }

  /** The backup run that made a snapshot: the plan's last successful backup, else a look back through its recent runs. */
  private async runOfSnapshot(planId: string, snapshotId: string): Promise<RunRecord | undefined> {
    const last = (await this.options.history.latestByPlan()).get(planId)?.lastSuccess;
    if (last?.snapshotId === snapshotId) return last;
    const recent = await this.options.history.list({ plan: planId, limit: 500 });
    return recent.find((run) => run.snapshotId === snapshotId && runKind(run) === 'backup');
  }
}

function shownId(id: string): string {
  const text = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
  return /^[0-9A-Za-z]+$/.test(id) ? id : text;
}
