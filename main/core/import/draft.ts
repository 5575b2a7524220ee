import { isAbsolute, resolve } from 'node:path';
import { ID_PATTERN, MAX_ID_LENGTH, MAX_NAME_LENGTH } from '../config/limits.ts';
import type { HookEvent, RunStatus } from '../config/schema.ts';
import type { ImportNotes } from './import-report.ts';

/** A repository read from another tool's config; `password` (an inline secret) never goes into the config itself. */
export interface DraftRepository {
  config: Record<string, unknown> & { id: string; url: string };
  password?: string | undefined;
  /** Where it came from in the foreign file, for the report. */
  origin: string;
}

export interface DraftPlan {
  config: Record<string, unknown> & { id: string; repository: string; hooks: Array<Record<string, unknown>> };
  origin: string;
}

/** What an importer produces: Lifeboat shapes plus the notes on what did not map. */
export interface ImportDraft {
  repositories: DraftRepository[];
  plans: DraftPlan[];
  notes: ImportNotes;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that may be one string or a list of them (every tool allows both). */
export function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.map(String);
  return undefined;
}

/** Turns any foreign name into a Lifeboat id (`[a-z0-9][a-z0-9-_]*`, at most 64 characters). */
export function idFrom(name: string, fallback: string): string {
  const cleaned = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_ID_LENGTH - 4)
    .replace(/-+$/, '');
  return ID_PATTERN.test(cleaned) ? cleaned : fallback;
}

/** Hands out ids that are unique among those already taken, adding -2, -3… on a collision. */
export class IdAllocator {
  private readonly taken: Set<string>;
  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }
  has(id: string): boolean {
    return this.taken.has(id);
  }
  take(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.taken.has(id); n += 1) id = `${wanted.slice(0, MAX_ID_LENGTH - String(n).length - 1)}-${n}`;
    this.taken.add(id);
    return id;
  }
}

export function displayName(name: string): string {
  const flat = name.replace(/[\r\n\t]+/g, ' ').trim();
  return (flat || 'Imported').slice(0, MAX_NAME_LENGTH);
}

/** A path from the foreign file: `~` stays for Lifeboat to expand, a relative one is taken from the file's folder. */
export function absolutePath(path: string, baseDir: string): string {
  if (path === '~' || path.startsWith('~/') || isAbsolute(path)) return path;
  return resolve(baseDir, path);
}

/** Paths into the foreign file as a person reads them: `locations.home.hooks.before`. */
export function keyPath(...parts: Array<string | number>): string {
  return parts
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (index === 0) return part; // already a path
      return /^[A-Za-z0-9_-]+$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
    })
    .join('')
    .replace(/^\./, '');
}

/**
 * One hook from a foreign list of shell commands. It stays off until its owner enables it (SPEC §4).
 * Several commands become one script that stops at the first failure, as the other tools do.
 */
export function importedHook(
  id: string,
  name: string,
  commands: string[],
  on: HookEvent[],
  options: { states?: RunStatus[]; onError?: 'fail' | 'skip' | 'ignore' | 'defer'; retryAfter?: string; cwd?: string } = {},
): { hook: Record<string, unknown>; templated: boolean } {
  const escaped = commands.map(escapeInterpolation);
  const templated = escaped.some((text, index) => text !== commands[index]);
  const single = escaped.length === 1 && !escaped[0]!.includes('\n') && escaped[0]!.trim() !== '';
  const hook: Record<string, unknown> = {
    id,
    name: displayName(name),
    enabled: false,
    on,
    ...(options.states ? { states: options.states } : {}),
    script: single ? { command: escaped[0] } : { inline: `#!/bin/sh\nset -e\n${escaped.join('\n')}\n` },
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.retryAfter ? { retryAfter: options.retryAfter } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
  return { hook, templated };
}

/** `{{` is Lifeboat's interpolation; another tool's templates (`{{ .Plan }}`) are kept as literal text. */
function escapeInterpolation(text: string): string {
  return text.replace(/(^|[^\\])\{\{/g, '$1\\{{');
}

/** restic's `--keep-*` names and Lifeboat's retention keys. */
const KEEP_FLAGS: Record<string, string> = {
  'keep-last': 'keepLast',
  'keep-hourly': 'keepHourly',
  'keep-daily': 'keepDaily',
  'keep-weekly': 'keepWeekly',
  'keep-monthly': 'keepMonthly',
  'keep-yearly': 'keepYearly',
};

/**
 * restic's forget flags (`keep-daily: 7`) as a Lifeboat retention; flags it cannot express are
 * noted. `undefined` when nothing is kept by count or age.
 */
export function retentionFromFlags(flags: JsonObject, origin: string, notes: ImportNotes, ignore: readonly string[] = []): JsonObject | undefined {
  const retention: JsonObject = {};
  for (const [flag, value] of Object.entries(flags)) {
    const key = KEEP_FLAGS[flag.replace(/^--/, '')];
    if (ignore.includes(flag)) continue;
    if (key) {
      if (value === false || value === 0 || value === null) continue;
      const count = typeof value === 'string' ? Number(value) : value;
      if (typeof count === 'number' && Number.isInteger(count) && count >= 1) retention[key] = count;
      else if (count === -1)
        notes.notMapped(keyPath(origin, flag), 'unlimited (-1) keeps everything of that kind; Lifeboat keeps counts from 1 up, so it was left out');
      else notes.notMapped(keyPath(origin, flag), `${JSON.stringify(value)} is not a whole number of snapshots`);
    } else if (flag.replace(/^--/, '') === 'keep-within') {
      const within = typeof value === 'string' ? resticDuration(value) : undefined;
      if (within) {
        retention.keepWithin = within.duration;
        if (within.approximate) notes.notMapped(keyPath(origin, flag), `${JSON.stringify(value)} counts calendar months or years; kept as ${within.duration}`);
      } else notes.notMapped(keyPath(origin, flag), `${JSON.stringify(value)} is not a restic duration such as "14d"`);
    } else {
      notes.notMapped(
        keyPath(origin, flag),
        `Lifeboat's retention has no "${flag}"; it keeps snapshots by count (keepLast…keepYearly) and age (keepWithin) per plan`,
      );
    }
  }
  return Object.keys(retention).length > 0 ? retention : undefined;
}

/** restic's `1y6m2d3h` (m = months) in Lifeboat's units (m = minutes): days and hours. */
function resticDuration(text: string): { duration: string; approximate: boolean } | undefined {
  const match = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?(?:(\d+)h)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [years, months, days, hours] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  const totalDays = years * 365 + months * 30 + days;
  const duration = `${totalDays ? `${totalDays}d` : ''}${hours ? `${hours}h` : ''}`;
  return duration ? { duration, approximate: years > 0 || months > 0 } : undefined;
}

/** Reports each key of `object` that is not in `known`. Unknown keys are never fatal. */
export function noteUnknownKeys(object: JsonObject, known: readonly string[], origin: string, notes: ImportNotes, what: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key))
      notes.notMapped(keyPath(origin, key), `is not ${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what} setting Lifeboat can take; left out`);
  }
}
