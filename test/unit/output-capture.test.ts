import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StreamCapture } from '../../main/core/hooks/output-capture.ts';
import { BoundedOutput } from '../../main/core/util/bounded-output.ts';
import { LineSplitter } from '../../main/core/util/line-splitter.ts';
import { Redactor } from '../../main/core/util/redactor.ts';

/** The redaction Lifeboat used before: every secret, longest first, split out and joined again. */
function oracleRedact(secrets: string[], text: string): string {
  let result = text;
  for (const secret of [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** Where each secret occurs, overlapping occurrences included. */
function occurrences(secrets: string[], text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const secret of new Set(secrets.filter((s) => s.length >= 4))) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) found.push([at, at + secret.length]);
  }
  return found;
}

/** True when every occurrence lies within one that overlaps nothing it does not contain: no two secrets share characters partly. */
function nestedOnly(found: Array<[number, number]>): boolean {
  const contains = (a: [number, number], b: [number, number]) => a[0] <= b[0] && b[1] <= a[1];
  const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];
  return found.every((a) => found.every((b) => !overlaps(a, b) || contains(a, b) || contains(b, a)));
}

// Few letters, so secrets often touch, nest and overlap; none of them can form "[redacted]".
const letter = fc.constantFrom('x', 'y', 'z', '0', '1');
const secretArb = fc.string({ unit: letter, minLength: 4, maxLength: 7 });
const textArb = fc.string({ unit: fc.oneof(letter, fc.constantFrom(' ', '\n')), maxLength: 80 });

test('no part of any secret survives redaction, however secrets nest, touch or overlap', () => {
  fc.assert(
    fc.property(fc.array(secretArb, { minLength: 1, maxLength: 4 }), textArb, (secrets, text) => {
      const redactor = new Redactor();
      for (const secret of secrets) redactor.add(secret);
      const result = redactor.redact(text);
      for (const secret of secrets) assert.ok(!result.includes(secret), `${JSON.stringify(secret)} left in ${JSON.stringify(result)}`);
      // Every character outside the occurrences is kept, in order.
      const covered = new Set(occurrences(secrets, text).flatMap(([start, end]) => Array.from({ length: end - start }, (_, i) => start + i)));
      const outside = [...text].filter((_, index) => !covered.has(index)).join('');
      assert.equal(result.replaceAll('[redacted]', ''), outside);
    }),
    { numRuns: 3000 },
  );
});

test('redaction gives what the split-and-join algorithm gave whenever occurrences only nest', () => {
  fc.assert(
    fc.property(fc.array(secretArb, { minLength: 1, maxLength: 4 }), textArb, (secrets, text) => {
      fc.pre(nestedOnly(occurrences(secrets, text)));
      const redactor = new Redactor();
      for (const secret of secrets) redactor.add(secret);
      assert.equal(redactor.redact(text), oracleRedact(secrets, text));
    }),
    { numRuns: 3000 },
  );
});

test('a redactor learns secrets added after it was first used, from add and from merge', () => {
  const redactor = new Redactor().add('first-secret');
  assert.equal(redactor.redact('a first-secret b later-secret c'), 'a [redacted] b later-secret c');
  redactor.add('later-secret');
  assert.equal(redactor.redact('a first-secret b later-secret c'), 'a [redacted] b [redacted] c');
  redactor.merge(new Redactor().add('merged-one'));
  assert.equal(redactor.redact('merged-one'), '[redacted]');
  const text = 'nothing to hide here';
  assert.equal(redactor.redact(text), text);
});

/** What the capture used to do: split into lines (cut at the limit), redact each, store each with its stamp. */
function oracleCapture(bytes: Buffer[], secrets: string[], maxLineBytes: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(oracleRedact(secrets, line)), maxLineBytes);
  for (const chunk of bytes) splitter.push(chunk);
  splitter.end();
  return lines;
}

/** Cuts `whole` into chunks at the given byte positions (anywhere, inside a character too). */
function chunked(whole: Buffer, cuts: number[]): Buffer[] {
  const positions = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const position of [...positions, whole.length]) {
    if (position > from) chunks.push(whole.subarray(from, position));
    from = Math.max(from, position);
  }
  return chunks;
}

const captureTextArb = fc.string({ unit: fc.oneof(letter, fc.constantFrom(' ', '\n', '\r\n', 'é', '✓')), maxLength: 200 });

test('captured lines are those of the whole stream, redacted, wherever the chunks break, secrets across chunk breaks included', () => {
  fc.assert(
    fc.property(
      fc.array(secretArb, { maxLength: 3 }),
      captureTextArb,
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 8, max: 64 }),
      (secrets, text, cuts, maxLineBytes) => {
        const whole = Buffer.from(text);
        const redactor = new Redactor();
        for (const secret of secrets) redactor.add(secret);
        const seen: string[] = [];
        const output = new BoundedOutput(1024 * 1024);
        const capture = new StreamCapture(
          'stdout',
          { output, redact: (value) => redactor.redact(value), onLine: (_stream, line) => seen.push(line) },
          maxLineBytes,
        );
        for (const chunk of chunked(whole, cuts)) capture.push(chunk);
        capture.end();
        const expected = oracleCapture([whole], secrets, maxLineBytes);
        const longLine = text.split('\n').some((line) => Buffer.byteLength(line) > maxLineBytes);
        assert.deepEqual(seen, expected);
        const stored = output.toString();
        assert.equal(stored.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z stdout /gm, 'T stdout '), seen.map((line) => `T stdout ${line}\n`).join(''));
        // A line cut at the limit is stored as pieces, each redacted on its own, as before.
        for (const secret of secrets) {
          if (!longLine) assert.ok(!stored.includes(secret), `${JSON.stringify(secret)} stored`);
        }
        const lastNonBlank = [...seen].reverse().find((line) => line.trim()) ?? '';
        assert.equal(capture.lastLine, lastNonBlank);
      },
    ),
    { numRuns: 2000 },
  );
});

test('a secret split across two chunks of one line is redacted', () => {
  const redactor = new Redactor().add('hunter2-very-secret');
  const seen: string[] = [];
  const output = new BoundedOutput();
  const capture = new StreamCapture('stderr', { output, redact: (value) => redactor.redact(value), onLine: (_s, line) => seen.push(line) });
  for (const part of ['first line\npassword is hunt', 'er2-very-', 'secret, done\nlast']) capture.push(Buffer.from(part));
  capture.end();
  assert.deepEqual(seen, ['first line', 'password is [redacted], done', 'last']);
  assert.ok(!output.toString().includes('hunter2'));
  assert.match(output.toString(), /^\d{4}-\d\d-\d\dT[\d:.]+Z stderr first line\n/);
});

test('the stored tail is the same whether lines arrive one by one or in blocks', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'é'), maxLength: 12 }), { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 10, max: 300 }),
      (lines, groups, budget) => {
        const prefix = 'T stdout ';
        const single = new BoundedOutput(budget);
        for (const line of lines) single.pushLine(prefix + line);
        const blocks = new BoundedOutput(budget);
        let index = 0;
        for (let g = 0; index < lines.length; g += 1) {
          const size = groups[g % groups.length]!;
          const group = lines.slice(index, index + size);
          blocks.pushLines(prefix, group.join('\n'), group.length);
          index += size;
        }
        assert.equal(blocks.toString(), single.toString());
        assert.equal(blocks.truncated, single.truncated);
        assert.ok(Buffer.byteLength(single.toString().replace(/\[… .* …\]\n/, '')) <= budget);
      },
    ),
    { numRuns: 2000 },
  );
});

/** Hands each chunk to the capture in one piece of memory that is overwritten right after, as a pipe read into one buffer is. */
function pushThroughOneBuffer(capture: StreamCapture, chunks: Buffer[]): void {
  const memory = Buffer.alloc(Math.max(1, ...chunks.map((chunk) => chunk.length)));
  for (const chunk of chunks) {
    chunk.copy(memory);
    capture.push(memory.subarray(0, chunk.length));
    memory.fill(0x58); // 'X': whatever the capture kept a view of now reads as X
  }
  capture.end();
}

test('chunks read into one reused buffer are captured as the whole stream, whatever the capture keeps between them', () => {
  fc.assert(
    fc.property(
      fc.array(secretArb, { maxLength: 3 }),
      captureTextArb,
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 8, max: 64 }),
      (secrets, text, cuts, maxLineBytes) => {
        const whole = Buffer.from(text);
        const redactor = new Redactor();
        for (const secret of secrets) redactor.add(secret);
        const seen: string[] = [];
        const blocks: string[] = [];
        const output = new BoundedOutput(1024 * 1024);
        const capture = new StreamCapture(
          'stdout',
          {
            output,
            redact: (value) => redactor.redact(value),
            onLine: (_stream, line) => seen.push(line),
            onLines: (_stream, block) => blocks.push(block),
          },
          maxLineBytes,
        );
        pushThroughOneBuffer(capture, chunked(whole, cuts));
        const expected = oracleCapture([whole], secrets, maxLineBytes);
        assert.deepEqual(seen, expected);
        assert.deepEqual(blocks.join('\n').split('\n'), blocks.length === 0 ? [''] : expected);
        const stored = output.toString();
        assert.equal(stored.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z stdout /gm, 'T stdout '), expected.map((line) => `T stdout ${line}\n`).join(''));
      },
    ),
    { numRuns: 2000 },
  );
});

test('a character of several bytes split across two chunks is stored and handed on whole, at every split', () => {
  const text = 'price 5€, check ✓, emoji 🛟 done\nnext ✓\n';
  const whole = Buffer.from(text);
  for (let cut = 1; cut < whole.length; cut += 1) {
    const seen: string[] = [];
    const output = new BoundedOutput();
    const capture = new StreamCapture('stdout', { output, redact: (value) => value, onLine: (_s, line) => seen.push(line) });
    pushThroughOneBuffer(capture, [whole.subarray(0, cut), whole.subarray(cut)]);
    assert.deepEqual(seen, ['price 5€, check ✓, emoji 🛟 done', 'next ✓'], `cut at byte ${cut}`);
    assert.ok(!output.toString().includes('\ufffd'), `cut at byte ${cut}: ${output.toString()}`);
  }
});

test('a line that never ends is handed on in pieces as it arrives, and what is stored stays within the budget', () => {
  const pieces: number[] = [];
  const output = new BoundedOutput(64 * 1024);
  const capture = new StreamCapture('stdout', { output, redact: (value) => value, onLine: (_s, line) => pieces.push(line.length) }, 4096);
  const chunk = Buffer.alloc(10_000, 'y');
  // 20 MB without a newline: the pieces come while it is still being printed, never all at the end.
  for (let i = 0; i < 2000; i += 1) capture.push(chunk);
  assert.equal(pieces.length, Math.floor((2000 * 10_000) / 4096));
  assert.ok(pieces.every((length) => length === 4096));
  capture.end();
  assert.equal(
    pieces.reduce((sum, length) => sum + length, 0),
    20_000_000,
  );
  const stored = output.toString();
  assert.ok(Buffer.byteLength(stored) <= 64 * 1024 + 100, `${Buffer.byteLength(stored)} bytes stored`);
  assert.match(stored, /\[… \d+ lines \(\d+ bytes\) left out …\]\n/);
});

test('a secret split across two reads of one buffer is redacted, in what is stored and in what is handed on', () => {
  const redactor = new Redactor().add('hunter2-very-secret');
  const blocks: string[] = [];
  const output = new BoundedOutput();
  const capture = new StreamCapture('stdout', { output, redact: (value) => redactor.redact(value), onLines: (_s, text) => blocks.push(text) });
  pushThroughOneBuffer(
    capture,
    ['pass: hunt', 'er2-very-sec', 'ret\nok hunter2-very-', 'secret\n'].map((part) => Buffer.from(part)),
  );
  assert.deepEqual(blocks.join('\n').split('\n'), ['pass: [redacted]', 'ok [redacted]']);
  assert.ok(!output.toString().includes('hunter2'), output.toString());
});

// Units of a hook's bytes: words, line ends of both kinds, multi-byte characters, a byte that is not UTF-8, a directive's start.
const byteUnitArb = fc.oneof(
  fc.constantFrom('x', 'y', 'z', '0', ' ', '\n', '\r\n', 'é', '✓', 'LIFEBOAT_', 'LIFEBOAT_WARNING=low').map((unit) => Buffer.from(unit)),
  fc.constant(Buffer.from([0xff])),
);
const unstamped = (text: string) => text.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|stderr) /gm, 'T $1 ');

test('what nobody reads as text is stored from its bytes exactly as decoded text would be: secrets, line ends, bad bytes and directives included', () => {
  fc.assert(
    fc.property(
      fc.array(secretArb, { maxLength: 2 }),
      fc.array(byteUnitArb, { maxLength: 120 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 8, max: 64 }),
      fc.integer({ min: 40, max: 400 }),
      (secrets, units, cuts, maxLineBytes, budget) => {
        const whole = Buffer.concat(units);
        const redactor = new Redactor();
        for (const secret of secrets) redactor.add(secret);
        const redact = (value: string) => redactor.redact(value);
        const watched = { text: [] as string[], bytes: [] as string[] };
        const asText = new BoundedOutput(budget);
        const textCapture = new StreamCapture(
          'stdout',
          { output: asText, redact, onLines: () => undefined, watch: { text: 'LIFEBOAT_', onLine: (_s, line) => watched.text.push(line) } },
          maxLineBytes,
        );
        const asBytes = new BoundedOutput(budget);
        const bytesCapture = new StreamCapture(
          'stdout',
          {
            output: asBytes,
            redact,
            secretIn: (bytes) => redactor.foundIn(bytes),
            onLines: () => assert.fail('nobody wants the text'),
            wantsLines: () => false,
            watch: { text: 'LIFEBOAT_', onLine: (_s, line) => watched.bytes.push(line) },
          },
          maxLineBytes,
        );
        pushThroughOneBuffer(textCapture, chunked(whole, cuts));
        pushThroughOneBuffer(bytesCapture, chunked(whole, cuts));
        assert.equal(unstamped(asBytes.toString()), unstamped(asText.toString()));
        assert.deepEqual(watched.bytes, watched.text);
        assert.equal(bytesCapture.lastLine, textCapture.lastLine);
        const lines = oracleCapture([whole], secrets, maxLineBytes);
        assert.deepEqual(
          watched.text,
          lines.map((line) => line.replace(/\r$/, '')).filter((line) => line.includes('LIFEBOAT_')),
        );
      },
    ),
    { numRuns: 2000 },
  );
});
