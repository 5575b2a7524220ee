import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../main/core/util/line-splitter.ts';

function split(chunks: Array<Buffer | string>, max?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), max);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

test('a multi-byte character split across chunks is decoded whole', () => {
  const bytes = Buffer.from('café ✓\n');
  for (let cut = 0; cut <= bytes.length; cut += 1) {
    assert.deepEqual(split([bytes.subarray(0, cut), bytes.subarray(cut)]), ['café ✓']);
  }
});

test('invalid UTF-8 is replaced, never fatal', () => {
  assert.deepEqual(split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]), ['a\ufffd\ufffdb']);
});

test('a last line without a newline is emitted at the end, and CRLF loses its CR', () => {
  assert.deepEqual(split(['one\r\ntwo\n', 'three']), ['one', 'two', 'three']);
});

test('an endless line is cut at the limit so memory stays bounded', () => {
  const lines = split(['x'.repeat(25), 'y'.repeat(5), '\nz\n'], 10);
  assert.deepEqual(lines, ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5) + 'y'.repeat(5), 'z']);
});
