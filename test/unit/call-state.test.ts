import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CallState, LatestCall } from '../../renderer/src/call-state.ts';

/** A promise the test settles by hand, in the order it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

function recorder<T>() {
  const states: CallState<T>[] = [];
  const call = new LatestCall<T>((state) => states.push(state));
  const last = () => states[states.length - 1];
  return { call, states, last };
}

/** Lets settled promises run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a slow first answer that arrives after a newer one never overwrites it', async () => {
  const { call, last } = recorder<string>();
  const slow = deferred<string>();
  const fast = deferred<string>();
  call.run(() => slow.promise);
  call.run(() => fast.promise);
  fast.resolve('newer');
  await settle();
  assert.deepEqual(last(), { data: 'newer', error: undefined, loading: false });
  slow.resolve('older');
  await settle();
  assert.deepEqual(last(), { data: 'newer', error: undefined, loading: false });
});

test('a stale failure is dropped too: the newer answer stays, no error shows', async () => {
  const { call, last } = recorder<string>();
  const slow = deferred<string>();
  const fast = deferred<string>();
  call.run(() => slow.promise);
  call.run(() => fast.promise);
  fast.resolve('newer');
  slow.reject(new Error('The server went away.'));
  await settle();
  assert.deepEqual(last(), { data: 'newer', error: undefined, loading: false });
});

test('while a call runs it is loading and keeps the data it had (a refresh does not blank the view)', async () => {
  const { call, last } = recorder<number>();
  const first = deferred<number>();
  call.run(() => first.promise);
  assert.deepEqual(last(), { data: undefined, error: undefined, loading: true });
  first.resolve(1);
  await settle();
  const second = deferred<number>();
  call.run(() => second.promise);
  assert.deepEqual(last(), { data: 1, error: undefined, loading: true });
  second.resolve(2);
  await settle();
  assert.deepEqual(last(), { data: 2, error: undefined, loading: false });
});

test('a failure keeps the last data, carries the error itself, and a retry that succeeds clears it', async () => {
  const { call, last } = recorder<number>();
  call.run(() => Promise.resolve(1));
  await settle();
  const failure = new Error('Lifeboat cannot reach the server; check that it runs.');
  call.run(() => Promise.reject(failure));
  await settle();
  assert.equal(last()?.error, failure);
  assert.equal(last()?.data, 1);
  assert.equal(last()?.loading, false);
  call.run(() => Promise.resolve(2));
  await settle();
  assert.deepEqual(last(), { data: 2, error: undefined, loading: false });
});

test('something thrown that is not an Error still reaches the view as an Error with its text', async () => {
  const { call, last } = recorder<number>();
  call.run(() => Promise.reject('plain text'));
  await settle();
  assert.ok(last()?.error instanceof Error);
  assert.equal(last()?.error?.message, 'plain text');
});

test('after cancel (the view went away or asks for something else) no answer is published at all', async () => {
  const { call, states } = recorder<string>();
  const pending = deferred<string>();
  call.run(() => pending.promise);
  const before = states.length;
  call.cancel();
  pending.resolve('late');
  await settle();
  assert.equal(states.length, before);
});

test('reset forgets the data of the input asked for before (another plan, another run)', async () => {
  const { call, last } = recorder<string>();
  call.run(() => Promise.resolve('plan A'));
  await settle();
  call.reset();
  assert.deepEqual(last(), { data: undefined, error: undefined, loading: false });
  const planB = deferred<string>();
  call.run(() => planB.promise);
  assert.deepEqual(last(), { data: undefined, error: undefined, loading: true });
  planB.resolve('plan B');
  await settle();
  assert.equal(last()?.data, 'plan B');
});

test('a call that throws before giving a promise is a failure like any other', async () => {
  const { call, last } = recorder<string>();
  call.run(() => {
    throw new Error('bad input');
  });
  await settle();
  assert.equal(last()?.error?.message, 'bad input');
  assert.equal(last()?.loading, false);
});
