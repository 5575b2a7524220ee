import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RepositoryQueue } from '../../main/core/runs/repository-queue.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test('runs against the same repository wait for each other; another repository does not wait', async () => {
  const queue = new RepositoryQueue();
  const events: string[] = [];
  const firstGate = deferred();
  const first = queue.enqueue('nas', async () => {
    events.push('nas-1 start');
    await firstGate.promise;
    events.push('nas-1 end');
  });
  const second = queue.enqueue('nas', async () => {
    events.push('nas-2 start');
  });
  const other = queue.enqueue('cloud', async () => {
    events.push('cloud start');
  });
  await other;
  assert.deepEqual(events, ['nas-1 start', 'cloud start'], 'cloud ran while nas-1 was still going; nas-2 waited');
  firstGate.resolve();
  await Promise.all([first, second]);
  assert.deepEqual(events, ['nas-1 start', 'cloud start', 'nas-1 end', 'nas-2 start']);
  assert.equal(queue.busy('nas'), false);
});

test('a failed run does not block the next one on the same repository', async () => {
  const queue = new RepositoryQueue();
  await assert.rejects(queue.enqueue('nas', async () => Promise.reject(new Error('boom'))));
  assert.equal(await queue.enqueue('nas', async () => 'ran'), 'ran');
});
