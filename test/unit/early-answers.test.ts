import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EarlyAnswers } from '../../renderer/src/api/early-answers.ts';

test('an early answer is taken once by the same question', async () => {
  const answers = new EarlyAnswers(5000, () => 0);
  answers.put('plans.list {}', Promise.resolve(['a']));
  assert.deepEqual(await answers.take('plans.list {}'), ['a']);
  assert.equal(answers.take('plans.list {}'), undefined, 'a second view asks for itself');
});

test('an early answer older than its freshness is not used', () => {
  let now = 0;
  const answers = new EarlyAnswers(5000, () => now);
  answers.put('plans.list {}', Promise.resolve([]));
  now = 5000;
  assert.equal(answers.take('plans.list {}'), undefined);
});

test('anything happening (an event) forgets every early answer', () => {
  const answers = new EarlyAnswers(5000, () => 0);
  answers.put('plans.list {}', Promise.resolve([]));
  answers.put('app.status {}', Promise.resolve({}));
  answers.clear();
  assert.equal(answers.take('plans.list {}'), undefined);
  assert.equal(answers.take('app.status {}'), undefined);
});

test('another question does not take an early answer, and a failed one is no unhandled rejection', async () => {
  const answers = new EarlyAnswers(5000, () => 0);
  answers.put('history.list {"limit":5}', Promise.reject(new Error('offline')));
  assert.equal(answers.take('history.list {"limit":6}'), undefined);
  await assert.rejects(answers.take('history.list {"limit":5}')!, /offline/);
});

test('an early answer that has arrived is handed over at once, once, and one still on its way or failed is not', async () => {
  const answers = new EarlyAnswers(5000, () => 0);
  answers.put('plans.list {}', Promise.resolve(['a']));
  let fail!: (error: Error) => void;
  answers.put('app.status {}', new Promise((_, reject) => (fail = reject)));
  answers.put('history.list {}', new Promise(() => undefined));
  assert.equal(answers.takeArrived('plans.list {}'), undefined, 'not before its promise settles');
  await Promise.resolve();
  assert.deepEqual(answers.takeArrived('plans.list {}'), { data: ['a'] });
  assert.equal(answers.takeArrived('plans.list {}'), undefined, 'taken once');
  fail(new Error('refused'));
  await Promise.resolve();
  assert.equal(answers.takeArrived('app.status {}'), undefined, 'a failure is for the call that takes it');
  await assert.rejects(answers.take('app.status {}')!, /refused/);
  assert.equal(answers.takeArrived('history.list {}'), undefined);
});
