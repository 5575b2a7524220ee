import { z } from 'zod';
import { type Duration, parseDuration } from '../util/duration.ts';
import { parseSize } from '../util/size.ts';
import { MAX_NAME_LENGTH, MAX_PATH_LENGTH, MAX_TEXT_LENGTH } from './limits.ts';

/** The field types the config schema and each condition's schema are made of. */

export { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH, MAX_TEXT_LENGTH } from './limits.ts';

/** 32000 → "32,000", without loading the locale data that toLocaleString needs (tens of ms at start-up). */
const groupThousands = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
export const longerThan = (limit: number, hint = '') => ({ error: `is longer than ${groupThousands(limit)} characters${hint}` });
export const nameField = z.string().max(MAX_NAME_LENGTH, longerThan(MAX_NAME_LENGTH, '; use a shorter name'));
export const pathField = z.string().max(MAX_PATH_LENGTH, longerThan(MAX_PATH_LENGTH, ', longer than any path the system accepts'));
export const textField = z.string().max(MAX_TEXT_LENGTH, longerThan(MAX_TEXT_LENGTH, '; keep long text in a file'));

/**
 * A duration is parsed here, once, when the config loads: from then on it is milliseconds (with
 * the person's words kept for sentences), and nothing past loading parses it again. Spaces around it
 * (" 5m", a line break a paste left) are not part of it, in every duration field and in the words
 * kept; spaces inside it ("1h 30m") are refused with the duration written without them.
 */
export function durationField(bounds?: readonly [string, string]) {
  const limits = bounds?.map((text) => {
    const result = parseDuration(text);
    return result.ok ? result.ms : Number.NaN;
  });
  // `continue`: like a refinement's issue, so a union (a schedule) names this field's problem rather than its shapes.
  return z.string().transform((value, ctx): Duration => {
    const text = value.trim();
    const result = parseDuration(text);
    if (text === '') {
      const within = bounds ? ` (between ${bounds[0]} and ${bounds[1]})` : '';
      ctx.addIssue({ code: 'custom', message: `is empty; write a duration such as "10m" or "6h"${within}`, input: value, continue: true });
    } else if (!result.ok) ctx.addIssue({ code: 'custom', message: withoutInnerSpaces(text) ?? result.message, input: value, continue: true });
    else if (bounds && limits && (result.ms < limits[0]! || result.ms > limits[1]!))
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(text)} is out of bounds; use a duration between ${bounds[0]} and ${bounds[1]}`,
        input: value,
        continue: true,
      });
    else return { ms: result.ms, text };
    return z.NEVER;
  });
}

/** The sentence for a duration that reads as one once its inner spaces go ("1h 30m" → try "1h30m"). */
function withoutInnerSpaces(value: string): string | undefined {
  const joined = value.replace(/\s+/g, '');
  if (joined === value || !parseDuration(joined).ok) return undefined;
  const shown = value.length > 40 ? `${JSON.stringify(value.slice(0, 37))}…` : JSON.stringify(value);
  return `${shown} is not a duration (try ${JSON.stringify(joined)})`;
}

export const sizeField = z.string().superRefine((value, ctx) => {
  const result = parseSize(value);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
});

export const clockTimeField = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a time of day (use 24-hour "HH:MM", e.g. "22:00")`,
});

/**
 * A folder that becomes a mount point when a drive arrives (`schedule.onMount`): written from the
 * root or the home folder, one line, and not `/` itself (always mounted, so it never arrives).
 */
export const mountPathField = z
  .string()
  .min(1, { error: 'is empty; give the folder the drive is mounted on, e.g. "/media/me/usb"' })
  .max(MAX_PATH_LENGTH, longerThan(MAX_PATH_LENGTH, ', longer than any path the system accepts'))
  .superRefine((value, ctx) => {
    if (value === '') return;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
    if (/[\u0000-\u001f\u007f]/.test(value))
      ctx.addIssue({ code: 'custom', message: 'contains a line break or another control character; write the folder on one line, e.g. "/media/me/usb"' });
    else if (!value.startsWith('/') && value !== '~' && !value.startsWith('~/'))
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value)} is a relative path; write the mount folder from the root, e.g. "/media/me/usb"`,
      });
    else if (/^\/+$/.test(value))
      ctx.addIssue({ code: 'custom', message: '"/" is always mounted, so it never arrives; give the drive\'s own folder, e.g. "/media/me/usb"' });
  });
