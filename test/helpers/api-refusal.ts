import assert from 'node:assert/strict';
import { ApiError } from '../../main/api/api-error.ts';

/** The ApiError a call was refused with; fails the test if it was not refused, or with anything else. */
export async function apiRefusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call was not refused');
}
