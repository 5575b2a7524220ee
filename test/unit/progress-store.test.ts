import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Progress } from '../../main/api/contract.ts';
import { ProgressStore, type RedrawScheduler } from '../../renderer/src/progress-store.ts';
import { SameItems } from '../../renderer/src/same-items.ts';

/** Redraws happen when the test says so. */
function manualScheduler(): RedrawScheduler & { due: number; draw(): void } {
  let pending: (() => void) | undefined;
  return {
    due: 0,
    schedule(draw) {
      this.due += 1;
      pending = draw;
      return () => {
        pending = undefined;
      };
    },
    draw() {
      const draw = pending;
      pending = undefined;
      draw?.();
    },
  };
}

const at = (percent: number): Progress => ({ percent, filesDone: 1, totalFiles: 2, bytesDone: 3, totalBytes: 4, currentFile: '/a' }) as Progress;

test('many progress events between two redraws are one redraw, of the newest progress, told only to that plan', () => {
  const scheduler = manualScheduler();
  const store = new ProgressStore(scheduler);
  const told: string[] = [];
  store.subscribe('docs', () => told.push('docs'));
  store.subscribe('photos', () => told.push('photos'));
  for (let i = 1; i <= 60; i += 1) store.put('docs', at(i / 100));
  assert.equal(scheduler.due, 1, 'one redraw asked for, however many events');
  assert.equal(store.get('docs'), null, 'nothing shown before the redraw');
  scheduler.draw();
  assert.deepEqual(told, ['docs'], 'the other plan is not told');
  assert.equal(store.get('docs')?.percent, 0.6, 'the newest progress');
  store.put('docs', at(0.7));
  assert.equal(scheduler.due, 2, 'the next event asks for the next redraw');
});

test('a run that ends drops its progress at once, and one still waiting is never shown', () => {
  const scheduler = manualScheduler();
  const store = new ProgressStore(scheduler);
  const told: string[] = [];
  const off = store.subscribe('docs', () => told.push('docs'));
  store.put('docs', at(0.5));
  scheduler.draw();
  store.put('docs', at(0.9));
  store.end('docs');
  assert.equal(store.get('docs'), null);
  scheduler.draw();
  assert.equal(store.get('docs'), null, 'the progress sent before the end is not shown after it');
  assert.deepEqual(told, ['docs', 'docs']);
  off();
  store.put('docs', at(0.1));
  scheduler.draw();
  assert.deepEqual(told, ['docs', 'docs'], 'a listener gone is not told');
  store.end('photos'); // never running: nothing to drop, nobody told
});

test('a stopped store cancels the redraw on its way', () => {
  const scheduler = manualScheduler();
  const store = new ProgressStore(scheduler);
  store.put('docs', at(0.5));
  store.stop();
  scheduler.draw();
  assert.equal(store.get('docs'), null);
});

test('a list answered again keeps each unchanged item as the same object, and only changed ones are new', () => {
  const same = new SameItems<{ id: string; name: string; running: boolean }>();
  const first = same.keep([
    { id: 'a', name: 'A', running: false },
    { id: 'b', name: 'B', running: false },
  ]);
  const second = same.keep([
    { id: 'b', name: 'B', running: true },
    { id: 'a', name: 'A', running: false },
    { id: 'c', name: 'C "$(x)"\n', running: false },
  ]);
  assert.equal(second[1], first[0], 'unchanged, even moved: the same object');
  assert.notEqual(second[0], first[1], 'changed: the new answer');
  assert.deepEqual(second[0], { id: 'b', name: 'B', running: true });
  const third = same.keep([{ id: 'a', name: 'A', running: false }]);
  assert.equal(third[0], first[0]);
  const fourth = same.keep([{ id: 'c', name: 'C "$(x)"\n', running: false }]);
  assert.notEqual(fourth[0], second[2], 'an item that left and came back is not remembered');
  assert.deepEqual(same.keep([]), []);
});
