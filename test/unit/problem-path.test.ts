import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { byId, formatPath, listProblems, parsePath, pathOf, problemsAt, problemsUnder, relativeTo, startsWith } from '../../renderer/src/problem-path.ts';

test('pathOf formats to the dotted wire path the engine and `lifeboat validate --json` use', () => {
  assert.equal(formatPath(pathOf('plans', 2, 'hooks', 0, 'script')), 'plans[2].hooks[0].script');
  assert.equal(formatPath(pathOf('repositories', 0, 'env', 'AWS_SECRET_ACCESS_KEY')), 'repositories[0].env.AWS_SECRET_ACCESS_KEY');
  assert.equal(formatPath(pathOf()), '');
  assert.equal(formatPath(pathOf(3, 'x')), '[3].x');
});

test('wire paths parse into typed segments: numbers for list positions, strings for keys', () => {
  assert.deepEqual(parsePath('plans[2].hooks[0].script'), ['plans', 2, 'hooks', 0, 'script']);
  assert.deepEqual(parsePath('plans[0].sources[1]'), ['plans', 0, 'sources', 1]);
  assert.deepEqual(parsePath(''), []);
  assert.deepEqual(parsePath('[0]'), [0]);
  assert.deepEqual(parsePath('version'), ['version']);
  assert.deepEqual(parsePath('matrix[1][2]'), ['matrix', 1, 2]);
});

test('an item named by its identity (uid), not its position, formats as list#uid and parses back', () => {
  const path = pathOf('hooks', byId('3f2a-9'), 'env');
  assert.equal(formatPath(path), 'hooks#3f2a-9.env');
  assert.deepEqual(parsePath('hooks#3f2a-9.env'), path);
  assert.deepEqual(parsePath('sources#u1'), ['sources', byId('u1')]);
});

test('format then parse gives the same path back', () => {
  for (const path of [pathOf('plans', 10, 'hooks', 3, 'condition', 'type'), pathOf('hooks', byId('a'), 'on', 0), pathOf('retention', 'keepLast')]) {
    assert.deepEqual(parsePath(formatPath(path)), path);
  }
});

test('odd keys never throw: a stray bracket stays part of the key', () => {
  assert.deepEqual(parsePath('env.A[b'), ['env', 'A[b']);
  assert.deepEqual(parsePath('a.[x]'), ['a', '[x]']);
  assert.equal(formatPath(parsePath('env.A[b')), 'env.A[b');
});

test('prefix matching is by whole segments: hooks[1] is not a prefix of hooks[10], name not of names', () => {
  assert.ok(startsWith(parsePath('plans[0].hooks[1].timeout'), pathOf('plans', 0, 'hooks', 1)));
  assert.ok(!startsWith(parsePath('plans[0].hooks[10].timeout'), pathOf('plans', 0, 'hooks', 1)));
  assert.ok(!startsWith(parsePath('names'), pathOf('name')));
  assert.ok(startsWith(parsePath('name'), pathOf('name')));
  assert.ok(startsWith(parsePath('anything'), pathOf()));
  assert.ok(!startsWith(pathOf('a'), pathOf('a', 'b')));
});

test('identity segments match by id, never by position, and never equal a number or a key', () => {
  assert.ok(startsWith(pathOf('hooks', byId('u1'), 'timeout'), pathOf('hooks', byId('u1'))));
  assert.ok(!startsWith(pathOf('hooks', byId('u1'), 'timeout'), pathOf('hooks', byId('u12'))));
  assert.ok(!startsWith(pathOf('hooks', byId('0')), pathOf('hooks', 0)));
  assert.ok(!startsWith(pathOf('hooks', '0'), pathOf('hooks', 0)));
});

test('relativeTo gives the rest of a path under a prefix, or nothing when it is not under it', () => {
  assert.deepEqual(relativeTo(pathOf('hooks', byId('u'), 'condition', 'type'), pathOf('hooks', byId('u'))), ['condition', 'type']);
  assert.equal(relativeTo(pathOf('sources', byId('v')), pathOf('hooks', byId('v'))), undefined);
});

test('problemsAt keeps the problems at or under a field; problemsUnder makes their paths relative to it', () => {
  const problems = [
    { path: 'hooks#u1.timeout', message: 'is not a duration' },
    { path: 'hooks#u1.condition.minPercent', message: 'must be at most 100' },
    { path: 'hooks#u10.timeout', message: 'belongs to another hook' },
    { path: 'name', message: 'is empty' },
    { path: 'names', message: 'is not a setting' },
  ];
  assert.deepEqual(
    problemsAt(problems, 'name').map((p) => p.message),
    ['is empty'],
  );
  assert.deepEqual(problemsUnder(problems, pathOf('hooks', byId('u1'))), [
    { path: 'timeout', message: 'is not a duration' },
    { path: 'condition.minPercent', message: 'must be at most 100' },
  ]);
  assert.deepEqual(
    problemsAt(problems, pathOf('hooks', byId('u1'), 'condition')).map((p) => p.path),
    ['hooks#u1.condition.minPercent'],
  );
});

test('any text at all parses without throwing or hanging, into segments that format back to a path', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '.', '[', ']', '#', '0', '9', ' ', '$', '\n') }), (text) => {
      const path = parsePath(text);
      assert.deepEqual(parsePath(formatPath(path)), path);
    }),
  );
  assert.deepEqual(parsePath('a..b.'), ['a', 'b']);
});

test("a list's own problems leave out those its items show themselves (named by identity), and keep the ones at a bare position", () => {
  const problems = [
    { path: 'sources', message: 'needs at least one folder' },
    { path: 'sources#u1', message: 'is not an absolute path' },
    { path: 'sources[4]', message: 'could not be tied to a row' },
    { path: 'sourcesExtra', message: 'is not a setting' },
  ];
  assert.deepEqual(
    listProblems(problems, pathOf('sources')).map((p) => p.message),
    ['needs at least one folder', 'could not be tied to a row'],
  );
});
