import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedOutput } from '../../main/core/util/bounded-output.ts';

test('output within the budget is kept whole, with no marker', () => {
  const output = new BoundedOutput(100);
  for (const line of ['one', 'two', 'three']) output.pushLine(line);
  assert.equal(output.toString(), 'one\ntwo\nthree\n');
  assert.equal(output.truncated, false);
});

test('past the budget the first and last halves are kept, whole lines only, with a marker counting what was left out', () => {
  const output = new BoundedOutput(40);
  for (let i = 0; i < 100; i += 1) output.pushLine(`line ${String(i).padStart(2, '0')}`);
  const text = output.toString();
  // Each line is 8 bytes: the 20-byte head holds 2 lines, the 20-byte tail ring the last 2 whole lines.
  assert.equal(text, 'line 00\nline 01\n[… 96 lines (768 bytes) left out …]\nline 98\nline 99\n');
  assert.equal(output.truncated, true);
});

test('multi-byte text wrapping around the ring is stored intact', () => {
  const output = new BoundedOutput(64);
  for (let i = 0; i < 37; i += 1) output.pushLine(`é${i}✓`);
  const text = output.toString();
  assert.ok(!text.includes('\ufffd'), text);
  assert.match(text, /é36✓\n$/);
});

test('memory does not grow with what is pushed', () => {
  const output = new BoundedOutput(1024 * 1024);
  const line = 'x'.repeat(100);
  for (let i = 0; i < 50_000; i += 1) output.pushLine(line);
  const before = process.memoryUsage().heapUsed;
  // 150 MB pushed: keeping it would show as far more than the 64 MiB allowed below.
  for (let i = 0; i < 1_500_000; i += 1) output.pushLine(line);
  assert.ok(Buffer.byteLength(output.toString()) <= 1024 * 1024 + 100);
  assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024);
});
