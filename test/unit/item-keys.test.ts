import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyedBy } from '../../renderer/src/item-keys.ts';

const step = (name: string, startedAt: string) => ({ kind: 'hook', name, startedAt });
const identity = (s: { kind: string; name: string; startedAt: string }) => `${s.kind}:${s.name}:${s.startedAt}`;

test('each item gets the key its identity gives it, whatever its position', () => {
  const a = step('dump', '2026-01-01T00:00:00.000Z');
  const b = step('notify', '2026-01-01T00:00:01.000Z');
  const keys = (items: (typeof a)[]) => new Map(keyedBy(items, identity).map(({ key, item }) => [item, key]));
  assert.deepEqual(keys([a, b]), keys([b, a]));
  assert.equal(keys([a, b]).get(a), 'hook:dump:2026-01-01T00:00:00.000Z');
});

test('items that are exactly alike still get keys of their own, and the first keeps its plain key', () => {
  const twin = step('dump', '2026-01-01T00:00:00.000Z');
  const keys = keyedBy([twin, { ...twin }, { ...twin }], identity).map(({ key }) => key);
  assert.equal(new Set(keys).size, 3);
  assert.equal(keys[0], identity(twin));
  const other = step('x', 'y');
  assert.equal(keyedBy([other, twin, { ...twin }], identity)[1]?.key, identity(twin), 'a twin added elsewhere does not change the first one');
});
