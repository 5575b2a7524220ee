import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HookEvent } from '../../main/core/config/schema.ts';
import type { Plan } from '../../main/core/config/types.ts';
import type { HookDispatcher } from '../../main/core/runs/hook-dispatcher.ts';
import { runPhase } from '../../main/core/runs/phase.ts';
import { RunState } from '../../main/core/runs/run-state.ts';

/** A dispatcher that records which events were dispatched and the status each one saw. */
class RecordingDispatcher implements HookDispatcher {
  readonly seen: string[] = [];
  private readonly onEvent: (event: HookEvent, run: RunState) => void;
  constructor(onEvent: (event: HookEvent, run: RunState) => void = () => undefined) {
    this.onEvent = onEvent;
  }
  async dispatch(event: HookEvent, run: RunState): Promise<void> {
    this.seen.push(`${event}:${run.status}`);
    this.onEvent(event, run);
  }
}

function newRun(signal = new AbortController().signal): RunState {
  const plan = { id: 'docs', name: 'Docs', hooks: [] } as unknown as Plan;
  return new RunState({
    record: {
      id: 'r1',
      plan: 'docs',
      repository: 'local',
      trigger: 'manual',
      status: 'running',
      reason: null,
      startedAt: '',
      endedAt: null,
      snapshotId: null,
      steps: [],
      summary: null,
    },
    plan,
    repository: { id: 'local', name: 'Local', url: '/r', env: {} },
    signal,
    workingDir: '/tmp',
    emit: () => undefined,
  });
}

test('after-hooks run when the operation throws, and see the failure', async () => {
  const hooks = new RecordingDispatcher();
  const run = newRun();
  await runPhase('backup', run, hooks, async () => {
    throw new Error('restic exploded');
  });
  assert.deepEqual(hooks.seen, ['backup.before:success', 'backup.after:failure']);
  assert.equal(run.reason, 'restic exploded');
});

test('a before-hook that stops the run skips the operation but not the after-hooks', async () => {
  const hooks = new RecordingDispatcher((event, run) => {
    if (event === 'prune.before') run.skipRun('Battery at 15 %, below 30 %');
  });
  const run = newRun();
  let operated = false;
  await runPhase('prune', run, hooks, async () => {
    operated = true;
  });
  assert.equal(operated, false);
  assert.deepEqual(hooks.seen, ['prune.before:success', 'prune.after:skipped']);
});

test('after-hooks run when the run is cancelled during the operation', async () => {
  const controller = new AbortController();
  const hooks = new RecordingDispatcher();
  const run = newRun(controller.signal);
  await runPhase('check', run, hooks, async () => {
    controller.abort();
  });
  assert.deepEqual(hooks.seen, ['check.before:success', 'check.after:cancelled']);
});

test('the first failure decides the reason; a skip after a failure does not hide it', () => {
  const run = newRun();
  run.warn('1 file could not be read');
  assert.equal(run.status, 'warning');
  run.fail('first');
  run.fail('second');
  run.skipRun('later skip');
  assert.equal(run.status, 'failure');
  assert.equal(run.reason, 'first');
});
