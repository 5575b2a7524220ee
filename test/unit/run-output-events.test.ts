import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyEvent } from '../../main/api/contract.ts';
import { forwardRunEvents } from '../../main/api/run-events.ts';
import type { RunEvent } from '../../main/core/runs/run-state.ts';

function forwarder() {
  let send: (event: RunEvent) => void = () => undefined;
  const published: AnyEvent[] = [];
  forwardRunEvents(
    {
      subscribe(listener) {
        send = listener;
        return () => undefined;
      },
    },
    (event) => published.push(event),
  );
  const lines = () => published.flatMap((event) => (event.name === 'run.output' ? [event.payload.line] : []));
  return { send, lines };
}

test('a block of hook output reaches the UI as one run.output event per line, in order', () => {
  const { send, lines } = forwarder();
  send({ type: 'output', runId: 'r1', step: 'dump', stream: 'stdout', text: 'first\n\nthird' });
  send({ type: 'output', runId: 'r1', step: 'dump', stream: 'stdout', text: 'fourth' });
  assert.deepEqual(lines(), ['first', '', 'third', 'fourth']);
});

test('a flood of output is cut at the per-second budget, however it is split into blocks', () => {
  const { send, lines } = forwarder();
  const block = Array.from({ length: 150 }, (_, index) => `line ${index}`).join('\n');
  send({ type: 'output', runId: 'r1', step: 'dump', stream: 'stdout', text: block });
  send({ type: 'output', runId: 'r1', step: 'dump', stream: 'stderr', text: block });
  send({ type: 'output', runId: 'r2', step: 'dump', stream: 'stdout', text: 'another run has its own budget' });
  const sent = lines();
  // 200 a second per run (unless the second turned between the sends: then up to 300); the other run's line always goes.
  assert.ok(sent.length >= 201 && sent.length <= 301, `${sent.length} lines sent`);
  assert.equal(sent.at(-1), 'another run has its own budget');
  assert.deepEqual(sent.slice(0, 150), block.split('\n'));
});
