import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { Config } from './types.ts';

declare const __LIFEBOAT_BUILD__: string | undefined;

/**
 * Which build of Lifeboat this is: set by scripts/build-cli.ts in the CLI bundle, a new value
 * for every build. The sources have none, so they check the config every time.
 */
export const BUILD_ID: string | undefined = typeof __LIFEBOAT_BUILD__ === 'string' ? __LIFEBOAT_BUILD__ : undefined;

/** Stands for `undefined` in the stored config (JSON has none; the checked config keeps such keys). */
const UNDEFINED = '\u0000undefined';

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

  async read(key: string): Promise<Config | undefined> {
    try {
      const stored = JSON.parse(await readFile(this.file, 'utf8')) as { key?: unknown; config?: unknown };
      if (stored?.key !== key || typeof stored.config !== 'object' || stored.config === null) return undefined;
      return revive(stored.config) as Config;
    } catch {
      return undefined; // missing or damaged: checked as usual, and written anew
    }
  }

  /** Remembers a checked config; a write that fails costs only the next check. */
  async write(key: string, config: Config): Promise<void> {
    let standInUsed = false;
    const text = JSON.stringify({ key, config }, (_name, value: unknown) => {
      if (value === UNDEFINED) standInUsed = true;
      return value === undefined ? UNDEFINED : value;
    });
    if (standInUsed) return; // the config holds the stand-in's own text: it would not read back the same
    await writeFileAtomic(this.file, text, 0o600, { durable: false }).catch(() => undefined);
  }
}

/** Puts `undefined` back where the stored form has its stand-in, keeping the key. */
function revive(value: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = revive(value[index]);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = revive(object[key]);
  }
  return value;
}
