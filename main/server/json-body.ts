import { ApiError } from '../api/api-error.ts';

/** Deeper than any call's input needs; deep enough nesting would exhaust the stack of whatever walks it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a request body as JSON, refusing what JSON.parse would let through but nobody
 * sends on purpose: nesting deeper than MAX_JSON_DEPTH, and a key twice in one object
 * (which one wins differs between parsers, so what was checked may not be what is used).
 * One linear pass before JSON.parse; nothing recursive touches the text.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  // An object's keys seen so far, or null for an array.
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (keys && expectKey) {
        const key = decodeKey(text.slice(i, end + 1));
        if (key !== undefined && keys.has(key)) {
          throw new ApiError(
            400,
            'duplicate-key',
            `The request body has the key ${JSON.stringify(key.slice(0, 100))} twice in one object; send each key once.`,
          );
        }
        if (key !== undefined) keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      stack.push(char === '{' ? new Set() : null);
      expectKey = char === '{';
      if (stack.length > MAX_JSON_DEPTH)
        throw new ApiError(400, 'too-deep', `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no call takes that.`);
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'malformed-json', 'The request body is not valid JSON.');
  }
}

function decodeKey(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined; // not a valid string: JSON.parse below says so
  }
}
