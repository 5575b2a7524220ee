import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
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

test('blocks pushed with the bytes they came as store exactly what blocks of text store, however the tail wraps around', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '✓', ' '), maxLength: 30 }), { minLength: 1, maxLength: 8 }), {
        minLength: 1,
        maxLength: 80,
      }),
      fc.integer({ min: 10, max: 600 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
      (blocks, budget, withBytes) => {
        const asText = new BoundedOutput(budget);
        const asBytes = new BoundedOutput(budget);
        blocks.forEach((lines, index) => {
          const prefix = `T${index % 3} stdout `;
          const text = lines.join('\n');
          asText.pushLines(prefix, text, lines.length);
          // Bytes read into memory that is overwritten afterwards, as a pipe's are; some blocks come as text only.
          const memory = Buffer.from(text);
          asBytes.pushLines(prefix, text, lines.length, withBytes[index % withBytes.length] ? memory : undefined);
          memory.fill(0x58);
        });
        assert.equal(asBytes.toString(), asText.toString());
        assert.equal(asBytes.truncated, asText.truncated);
      },
    ),
    { numRuns: 2000 },
  );
});

test('what is kept is the true start and the true end of what was pushed, however many empty lines and wrap-arounds came between', () => {
  fc.assert(
    fc.property(
      // Empty lines are common in hook output; a block of one empty line is an empty piece of memory.
      fc.array(fc.array(fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom('a', 'é', ' '), maxLength: 12 })), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 200,
      }),
      fc.integer({ min: 10, max: 120 }),
      (blocks, budget) => {
        const output = new BoundedOutput(budget);
        let full = '';
        blocks.forEach((lines, index) => {
          const prefix = `T${index % 3} `;
          const memory = Buffer.from(lines.join('\n'));
          output.pushLines(prefix, lines.join('\n'), lines.length, memory);
          memory.fill(0x58); // a pipe's memory is read into again
          full += lines.map((line) => `${prefix}${line}\n`).join('');
        });
        const kept = output.toString();
        const marker = /\[… \d+ lines \(\d+ bytes\) left out …\]\n/.exec(kept);
        if (!marker) {
          assert.equal(kept, full);
          return;
        }
        assert.ok(full.startsWith(kept.slice(0, marker.index)), 'the head is the start of what was pushed');
        assert.ok(full.endsWith(kept.slice(marker.index + marker[0].length)), 'the tail is the end of what was pushed');
      },
    ),
    { numRuns: 4000 },
  );
});

test('bytes that are not UTF-8 are stored as their text is, with the same byte count', () => {
  const invalid = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0x63]);
  const text = invalid.toString('utf8');
  const asText = new BoundedOutput(40);
  const asBytes = new BoundedOutput(40);
  for (let i = 0; i < 20; i += 1) {
    asText.pushLines('T ', text, 2);
    asBytes.pushLines('T ', text, 2, invalid);
  }
  assert.equal(asBytes.toString(), asText.toString());
  assert.match(asBytes.toString(), /T a\ufffd\ufffdb\nT c\n$/);
});

test('memory does not grow with the blocks of bytes pushed', () => {
  const output = new BoundedOutput(1024 * 1024);
  const lines = Array.from({ length: 300 }, (_, index) => `line ${index} ${'x'.repeat(100)}`);
  const text = lines.join('\n');
  const raw = Buffer.from(text);
  for (let i = 0; i < 100; i += 1) output.pushLines('T stdout ', text, lines.length, raw);
  const before = process.memoryUsage().arrayBuffers;
  // 300 MB pushed: the bytes kept for the tail stay within a few times its half of the budget.
  for (let i = 0; i < 10_000; i += 1) output.pushLines('T stdout ', text, lines.length, raw);
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024, `${process.memoryUsage().arrayBuffers - before} bytes more`);
  assert.match(output.toString(), /\[… \d+ lines \(\d+ bytes\) left out …\]\nT stdout line \d+ x+\n/);
  assert.match(output.toString(), /T stdout line 299 x+\n$/);
});
