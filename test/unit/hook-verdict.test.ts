import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ON_ERROR } from '../../main/core/config/vocabulary.ts';
import { type HookOutcome, hookVerdict } from '../../main/core/hooks/hook-verdict.ts';

const failed: HookOutcome = { kind: 'error', reason: 'Hook "check" failed (exit 1): down' };
const asked: HookOutcome = { kind: 'skip', reason: 'no drive' };

test('a hook that exits 75 skips the run whatever onError says', () => {
  for (const onError of ON_ERROR) assert.deepEqual(hookVerdict(asked, onError), { kind: 'skip', text: 'would skip the run: no drive' }, onError);
});

test('a failing hook with onError "skip" skips the run, as a run would', () => {
  assert.deepEqual(hookVerdict(failed, 'skip'), { kind: 'skip', text: 'would skip the run (onError "skip"): Hook "check" failed (exit 1): down' });
});

test('a failing hook fails, warns or postpones the run by onError fail, ignore and defer', () => {
  assert.deepEqual(hookVerdict(failed, 'fail'), { kind: 'fail', text: 'would fail the run: Hook "check" failed (exit 1): down' });
  assert.deepEqual(hookVerdict(failed, 'ignore'), {
    kind: 'warning',
    text: 'failed, and the run would go on with a warning (onError "ignore"): Hook "check" failed (exit 1): down',
  });
  assert.deepEqual(hookVerdict(failed, 'defer'), { kind: 'defer', text: 'would postpone the run (onError "defer"): Hook "check" failed (exit 1): down' });
});

test('a passing hook passes and a cancelled one says it was stopped, whatever onError says', () => {
  for (const onError of ON_ERROR) {
    assert.deepEqual(hookVerdict({ kind: 'pass', reason: 'Hook "a" succeeded' }, onError), { kind: 'pass', text: 'passed: Hook "a" succeeded' });
    assert.deepEqual(hookVerdict({ kind: 'cancelled', reason: 'stopped' }, onError), { kind: 'cancelled', text: 'stopped' });
  }
});
