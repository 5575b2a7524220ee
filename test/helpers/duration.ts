import { type Duration, parseDuration } from '../../main/core/util/duration.ts';

/** A duration as the loaded config carries it, for plans and hooks a test builds by hand. */
export function loaded(text: string): Duration {
  const result = parseDuration(text);
  if (!result.ok) throw new Error(result.message);
  return { ms: result.ms, text };
}
