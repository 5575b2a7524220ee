/** Durations are strings such as `500ms`, `30s`, `10m`, `6h`, `7d`, or sums like `1h30m`. */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const WORD_UNITS: Record<string, Unit> = {
  millisecond: 'ms',
  milliseconds: 'ms',
  msec: 'ms',
  msecs: 'ms',
  second: 's',
  seconds: 's',
  sec: 's',
  secs: 's',
  minute: 'm',
  minutes: 'm',
  min: 'm',
  mins: 'm',
  hour: 'h',
  hours: 'h',
  hr: 'h',
  hrs: 'h',
  day: 'd',
  days: 'd',
};

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseDuration(text: string): DurationResult {
  const trimmed = text.trim();
  if (/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) {
    let total = 0;
    for (const part of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
      total += Number(part[1]) * UNIT_MS[part[2] as Unit];
    }
    if (!Number.isSafeInteger(Math.round(total))) return { ok: false, message: `${quoted(text)} is too long to be a duration` };
    return { ok: true, ms: Math.round(total) };
  }
  return { ok: false, message: `${quoted(text)} is not a duration (try ${JSON.stringify(suggestDuration(trimmed))})` };
}

/**
 * A duration as the loaded config carries it: parsed once, when the config loads, into
 * milliseconds for the code, with the person's own words kept for sentences ("timed out after 1s").
 */
export interface Duration {
  ms: number;
  text: string;
}

function quoted(text: string): string {
  return text.length > 40 ? `${JSON.stringify(text.slice(0, 37))}…` : JSON.stringify(text);
}

function suggestDuration(text: string): string {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text);
  const unit = match?.[2] ? WORD_UNITS[match[2].toLowerCase()] : undefined;
  if (match && unit) return `${match[1]}${unit}`;
  if (/^\d+$/.test(text)) return `${text}s`;
  return '10m';
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
