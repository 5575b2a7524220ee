/**
 * The config's fixed numbers and patterns, without zod: what a run, the store and the importers
 * need of the schema's rules. schema.ts and fields.ts build their checks from these.
 */

export const CONFIG_VERSION = 1;

export const ID_PATTERN = /^[a-z0-9][a-z0-9-_]*$/;

/** A header's name: an HTTP token, so it can neither end the header early nor start another. */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What would end a header early: a line break or another control character (a tab is allowed in a value). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
export const HEADER_LINE_BREAK = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Headers the HTTP client (Node's fetch) writes itself or refuses: a webhook that sets one has every ping fail before it is sent. */
export const CLIENT_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

/** Longest id, name and path: far below what one environment variable or argument may hold (128 KiB). */
export const MAX_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 200;
export const MAX_PATH_LENGTH = 4096;
export const MAX_TEXT_LENGTH = 32_000;

/** The bounds of each duration field (SPEC §2): outside them a timer overflows, or work runs back to back. */
export const DURATION_BOUNDS = {
  mountMinInterval: ['1m', '7d'],
  scheduleEvery: ['1m', '366d'],
  hookTimeout: ['1s', '24h'],
  retryAfter: ['1m', '7d'],
  checkEvery: ['1h', '366d'],
  verifyEvery: ['1d', '366d'],
  alertAfter: ['1h', '366d'],
} as const satisfies Record<string, readonly [string, string]>;

/** How many files a restore check samples (SPEC §2: 1–1000), and how many when the plan does not say. */
export const VERIFY_SAMPLE_BOUNDS = [1, 1000] as const;
export const VERIFY_SAMPLE_DEFAULT = 20;

export const NOTIFY_STATUSES = ['success', 'warning', 'failure', 'skipped', 'recovery'] as const;
