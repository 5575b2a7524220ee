import { randomBytes } from 'node:crypto';

/** Crockford's base 32, as ULIDs use it. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new run id: a ULID (26 characters; 10 of time in milliseconds, so ids sort by when runs
 * started, then 16 random ones). Made here from node:crypto's randomBytes, which a run has
 * loaded already, rather than through Web Crypto, whose first use costs a run milliseconds.
 */
export function newRunId(now: number = Date.now()): string {
  if (!Number.isSafeInteger(now) || now < 0 || now > 2 ** 48 - 1) throw new RangeError(`a run id cannot hold the time ${now}`);
  let time = '';
  let rest = now;
  for (let index = 0; index < 10; index += 1) {
    time = ALPHABET[rest % 32]! + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(16)) random += ALPHABET[byte & 31]!;
  return time + random;
}
