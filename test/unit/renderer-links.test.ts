import assert from 'node:assert/strict';
import { test } from 'node:test';
import { href, parseRoute } from '../../renderer/src/route-links.ts';

const HOSTILE = [
  'docs',
  'my plan',
  'a+b=c&d',
  '50% #1?',
  `it's "quoted" (really) ~!*`,
  '$(rm -rf /) `x` ;|',
  'line\nbreak\ttab',
  'ünïcødé 日本 🚢',
  'lone \ud800 surrogate',
  '',
];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

test('a link with a query is written exactly as URLSearchParams writes it, for any value', () => {
  for (const value of HOSTILE) {
    const expected = new URLSearchParams({ plan: value, from: value }).toString();
    assert.equal(href('/compare', { plan: value, from: value }), `#/compare?${expected}`, JSON.stringify(value));
  }
});

test('a link reads back as the same route and values (a lone surrogate as U+FFFD, as the address bar has it)', () => {
  for (const value of HOSTILE) {
    const route = parseRoute(href('/history', { plan: value, skipped: undefined }));
    assert.equal(route.path, '/history');
    assert.equal(route.query.get('plan'), value.replace(LONE_SURROGATE, '\ufffd'));
    assert.equal(route.query.has('skipped'), false);
  }
});

test('a link without a query has no "?", and undefined values are left out', () => {
  assert.equal(href('/plans/docs'), '#/plans/docs');
  assert.equal(href('/history', { plan: undefined }), '#/history');
  assert.equal(href('/compare', { plan: 'a', from: undefined, to: 'b' }), '#/compare?plan=a&to=b');
});
