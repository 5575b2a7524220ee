import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTime, isValid } from 'ulid';
import { newRunId } from '../../main/core/util/run-id.ts';

test('a run id is a ULID: 26 Crockford characters whose time part is when it was made', () => {
  for (const at of [0, 1, 1_764_478_800_000, Date.now(), 2 ** 48 - 1]) {
    const id = newRunId(at);
    assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.ok(isValid(id), id);
    assert.equal(decodeTime(id), at);
  }
});

test('run ids sort by the time they were made, and two made in the same millisecond differ', () => {
  const ids = [5, 1_000, 1_764_478_800_000, 1_764_478_800_001, 2_000_000_000_000].map((at) => newRunId(at));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 1000 }, () => newRunId(1_764_478_800_000)));
  assert.equal(same.size, 1000);
});

test('a time a run id cannot hold is refused, not wrapped', () => {
  for (const at of [-1, 2 ** 48, Number.NaN, 1.5]) assert.throws(() => newRunId(at), RangeError);
});
