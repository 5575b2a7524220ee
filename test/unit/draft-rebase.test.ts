import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebaseDraft, sameJson } from '../../renderer/src/views/draft-rebase.ts';
import type { PlanJson } from '../../renderer/src/views/plan-draft.ts';

const base: PlanJson = {
  id: 'docs',
  name: 'Documents',
  repository: 'usb',
  sources: ['/a'],
  retention: { keepLast: 3, keepDaily: 7 },
  hooks: [{ id: 'one', on: ['backup.before'], script: { command: 'true' } }],
};

test('an edit restored over a plan saved since keeps what was saved since where the edit left it alone', () => {
  const edited = { ...base, retention: { keepLast: 5, keepDaily: 7 } };
  const current = { ...base, name: 'Saved in another tab', sources: ['/a', '/b'] };
  const { plan, conflicts } = rebaseDraft(base, edited, current);
  assert.deepEqual(plan, { ...base, name: 'Saved in another tab', sources: ['/a', '/b'], retention: { keepLast: 5, keepDaily: 7 } });
  assert.deepEqual(conflicts, []);
});

test('objects are merged key by key: a key changed on each side keeps both changes', () => {
  const edited = { ...base, retention: { keepLast: 5, keepDaily: 7 } };
  const current = { ...base, retention: { keepLast: 3, keepDaily: 30 } };
  const { plan, conflicts } = rebaseDraft(base, edited, current);
  assert.deepEqual(plan.retention, { keepLast: 5, keepDaily: 30 });
  assert.deepEqual(conflicts, []);
});

test('a part changed on both sides is the edit’s, and is named; a list is one part', () => {
  const edited = { ...base, name: 'Mine', sources: ['/a', '/mine'], retention: { keepLast: 9, keepDaily: 7 } };
  const current = { ...base, name: 'Theirs', sources: ['/theirs'], retention: { keepLast: 4, keepDaily: 7 } };
  const { plan, conflicts } = rebaseDraft(base, edited, current);
  assert.equal(plan.name, 'Mine');
  assert.deepEqual(plan.sources, ['/a', '/mine']);
  assert.deepEqual(plan.retention, { keepLast: 9, keepDaily: 7 });
  assert.deepEqual(conflicts.sort(), ['name', 'retention.keepLast', 'sources']);
});

test('a key the edit removed is removed; a key added since stays; the same change on both sides is no conflict', () => {
  const { retention: _dropped, ...withoutRetention } = base;
  const edited: PlanJson = { ...withoutRetention, name: 'Same' };
  const current: PlanJson = { ...base, name: 'Same', alertAfter: '2d' };
  const { plan, conflicts } = rebaseDraft(base, edited, current);
  assert.equal('retention' in plan, false);
  assert.equal(plan.alertAfter, '2d');
  assert.equal(plan.name, 'Same');
  assert.deepEqual(conflicts, []);
});

test('the same JSON whatever the order of its keys; lists keep their order', () => {
  assert.equal(sameJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }), true);
  assert.equal(sameJson([1, 2], [2, 1]), false);
  assert.equal(sameJson({ a: undefined }, {}), true);
  assert.equal(sameJson({ a: null }, {}), false);
});
