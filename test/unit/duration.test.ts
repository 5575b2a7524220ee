import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../main/core/util/duration.ts';
import { parseSize } from '../../main/core/util/size.ts';

test('durations in every unit and sums of them parse to milliseconds', () => {
  const cases: Array<[string, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['6h', 21_600_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ];
  for (const [text, ms] of cases) assert.deepEqual(parseDuration(text), { ok: true, ms }, text);
});

test('a duration written in words is refused with the short form to use', () => {
  assert.deepEqual(parseDuration('10 minutes'), { ok: false, message: '"10 minutes" is not a duration (try "10m")' });
  assert.deepEqual(parseDuration('2 hours'), { ok: false, message: '"2 hours" is not a duration (try "2h")' });
  assert.deepEqual(parseDuration('90'), { ok: false, message: '"90" is not a duration (try "90s")' });
  assert.equal(parseDuration('').ok, false);
  assert.equal(parseDuration('-5m').ok, false);
});

test('sizes accept decimal and binary units', () => {
  assert.deepEqual(parseSize('5GB'), { ok: true, bytes: 5e9 });
  assert.deepEqual(parseSize('1.5 GiB'), { ok: true, bytes: 1610612736 });
  assert.equal(parseSize('lots').ok, false);
});
