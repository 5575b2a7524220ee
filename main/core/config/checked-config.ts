import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { Config } from './types.ts';

declare const __LIFEBOAT_BUILD__: string | undefined;

/**
 * Which build of Lifeboat this is: set by scripts/build-cli.ts in the CLI bundle, a new value
 * for every build. The sources have none, so they check the config every time.
 */
export const BUILD_ID: string | undefined = typeof __LIFEBOAT_BUILD__ === 'string' ? __LIFEBOAT_BUILD__ : undefined;

/** What the stored form's stand-ins start with (a NUL: no text of a valid config holds one where it matters). */
const STAND_IN = '\u0000';
/** Stands for `undefined` in the stored config (JSON has none; the checked config keeps such keys). */
const UNDEFINED = `${STAND_IN}undefined`;
/** Stands for a string of the config file, followed by its place there (a JSON array of keys). */
const FROM_FILE = `${STAND_IN}file:`;

/**
 * The config a build of Lifeboat checked last: the same text, read by the same build for the same
 * home folder and settings, gives the same checked config, so `lifeboat run` need not build the
 * schemas and check it again. Kept in the data dir (0600); anything that does not match exactly
 * (another text, another build, a damaged file) is checked as usual.
 */
export class CheckedConfig {
  private readonly file: string;
  private readonly buildId: string | undefined;

  constructor(file: string, buildId: string | undefined = BUILD_ID) {
    this.file = file;
    this.buildId = buildId;
  }

  /** The key of a config text: undefined where nothing may be remembered (the sources run). */
  key(text: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (this.buildId === undefined) return undefined;
    return createHash('sha256')
      .update(JSON.stringify([1, this.buildId, homedir(), env.LIFEBOAT_ALLOW_FAST_SCHEDULES === '1', text]))
      .digest('hex');
  }

  /** The config remembered under `key`; `raw` is the file's parsed text, where its words are read back from. */
  async read(key: string, raw: unknown): Promise<Config | undefined> {
    try {
      const stored = JSON.parse(await readFile(this.file, 'utf8')) as { key?: unknown; config?: unknown };
      if (stored?.key !== key || typeof stored.config !== 'object' || stored.config === null) return undefined;
      return revive(stored.config, raw) as Config;
    } catch {
      return undefined; // missing, damaged, or not of this text: checked as usual, and written anew
    }
  }

  /**
   * Remembers a checked config; a write that fails costs only the next check. No text of the file is written again: every string the file holds
   * (passwords, cloud keys and monitor URLs among them) is kept as the place in the file it comes
   * from, so the data dir gains no copy of a secret.
   */
  async write(key: string, config: Config, raw: unknown): Promise<void> {
    const places = new Map<string, Array<string | number>>();
    collectStrings(raw, [], places);
    let standInUsed = false;
    const text = JSON.stringify({ key, config }, (_name, value: unknown) => {
      if (typeof value === 'string') {
        if (value.startsWith(STAND_IN)) standInUsed = true;
        const place = places.get(value);
        if (place) return `${FROM_FILE}${JSON.stringify(place)}`;
      }
      return value === undefined ? UNDEFINED : value;
    });
    if (standInUsed) return; // the config holds a stand-in's own text: it would not read back the same
    // A first start has no data dir yet (it is made once the config is known to be good): made here, as it would be.
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 })
      .then(() => writeFileAtomic(this.file, text, 0o600, { durable: false }))
      .catch(() => undefined);
  }
}

/** Every string of the file and its first place there. */
function collectStrings(value: unknown, place: Array<string | number>, places: Map<string, Array<string | number>>): void {
  if (typeof value === 'string') {
    if (!places.has(value)) places.set(value, [...place]);
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) collectStrings(item, [...place, index], places);
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) collectStrings(item, [...place, name], places);
  }
}

/** Puts `undefined` and the file's strings back where the stored form has their stand-ins, keeping the keys. */
function revive(value: unknown, raw: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (typeof value === 'string' && value.startsWith(FROM_FILE)) return fromFile(raw, JSON.parse(value.slice(FROM_FILE.length)) as unknown);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = revive(value[index], raw);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = revive(object[key], raw);
  }
  return value;
}

/** The string at `place` in the file; a place that holds none means the memory is not of this file (thrown, so it is not used). */
function fromFile(raw: unknown, place: unknown): string {
  if (!Array.isArray(place)) throw new Error('not a place');
  let value: unknown = raw;
  for (const step of place) {
    if (typeof value !== 'object' || value === null || (typeof step !== 'string' && typeof step !== 'number') || !Object.hasOwn(value, step)) {
      throw new Error('no such place');
    }
    value = (value as Record<string | number, unknown>)[step];
  }
  if (typeof value !== 'string') throw new Error('not a string there');
  return value;
}
