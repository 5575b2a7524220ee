import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { type ParseError, parse as parseTolerant, printParseErrorCode, visit as visitJson } from 'jsonc-parser';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { UserError } from '../util/errors.ts';
import { processIsAlive } from '../util/process-alive.ts';
import type { CheckedConfig } from './checked-config.ts';
import { CONFIG_VERSION } from './limits.ts';
import { formatProblem, type Problem } from './problem.ts';
import type { Config } from './types.ts';
import type { Validation } from './validate.ts';
import { yamlOver } from './yaml-over.ts';

export class ConfigParseError extends UserError {
  override name = 'ConfigParseError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, detail: string, line?: number, column?: number) {
    const where = line === undefined ? file : `${file}, line ${line}${column === undefined ? '' : `, column ${column}`}`;
    super(`The config file cannot be read (${where}): ${detail}. Fix that line in a text editor; Lifeboat keeps the file as it is and will not overwrite it.`, {
      kind: 'config',
    });
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

export class ConfigInvalidError extends UserError {
  override name = 'ConfigInvalidError';
  readonly file: string;
  readonly problems: Problem[];

  constructor(file: string, problems: Problem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`The config ${file} has ${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, { kind: 'config' });
    this.file = file;
    this.problems = problems;
  }
}

export const CONFLICT_MESSAGE = 'The config changed on disk since you opened it; reload to see the new version (your edits are not saved).';

/** A save carrying the revision it edited, while the file on disk has changed since. */
export class ConfigConflictError extends UserError {
  override name = 'ConfigConflictError';
  readonly revision: string;

  constructor(revision: string) {
    super(CONFLICT_MESSAGE, { kind: 'conflict' });
    this.revision = revision;
  }
}

/** Names one version of the config file: a hash of its bytes ("missing" when there is no file). */
export function configRevision(text: string | undefined): string {
  return text === undefined ? 'missing' : createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The revision of the file as it is on disk now. */
export async function currentRevision(file: string): Promise<string> {
  return configRevision(await readConfigText(file));
}

/** Version N → N+1 steps. Each takes the parsed file and returns the next version's shape. */
export type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {};

export interface LoadedConfig {
  file: string;
  exists: boolean;
  config: Config;
  /** What the file says, before defaults: the form to edit and save back. */
  raw: Record<string, unknown>;
  /** Which version of the file this is (see configRevision). */
  revision: string;
  migration?: { from: number; backup: string } | undefined;
}

export const EMPTY_CONFIG = { version: CONFIG_VERSION, repositories: [], plans: [] };

function isYaml(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Reads and parses the file; a missing file is `undefined`, a malformed one a ConfigParseError. */
export async function readConfigFile(file: string): Promise<unknown> {
  const text = await readConfigText(file);
  return text === undefined ? undefined : parseConfigText(file, text);
}

async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new UserError(
        `The config file ${file} is a folder. Give the path of the config file itself (--config FILE), such as ${join(file, 'config.json')}.`,
        {
          kind: 'usage',
          cause: error,
        },
      );
    }
    throw new UserError(`The config file ${file} cannot be opened: ${(error as Error).message}. Check its permissions.`, { kind: 'unavailable', cause: error });
  }
}

type YamlModule = typeof import('yaml');
const requireModule = createRequire(import.meta.url);
/** yaml (70 modules) is loaded only for a YAML config: a JSON config's start-up never pays for it. */
const yaml = (): YamlModule => requireModule('yaml') as YamlModule;

/** Deeper than this is no config a person wrote; refused before any recursive parser sees it. */
export const MAX_CONFIG_DEPTH = 64;
/** How many aliases a YAML config may expand (an alias bomb expands billions). */
const MAX_YAML_ALIASES = 100;

export function parseConfigText(file: string, written: string): unknown {
  // A byte-order mark (some Windows editors write one) is not part of the config.
  const text = written.startsWith('\uFEFF') ? written.slice(1) : written;
  if (isYaml(file)) return parseYaml(file, text);
  if (text.trim() === '') throw new ConfigParseError(file, 'the file is empty (a config starts with {"version": 1})');
  const tooDeep = firstTooDeep(text);
  if (tooDeep !== undefined) {
    const [line, column] = lineAndColumn(text, tooDeep);
    throw new ConfigParseError(file, `the config is nested more than ${MAX_CONFIG_DEPTH} levels deep; a Lifeboat config needs only a few`, line, column);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse does not always say where; a tolerant parser finds the first error's offset.
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    if (!first) throw new ConfigParseError(file, (error as Error).message);
    const [line, column] = lineAndColumn(text, first.offset);
    throw new ConfigParseError(file, describeJsonError(printParseErrorCode(first.error)), line, column);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate) {
    const [line, column] = lineAndColumn(text, duplicate.offset);
    const [firstLine] = lineAndColumn(text, duplicate.firstOffset);
    throw new ConfigParseError(
      file,
      `the key ${JSON.stringify(duplicate.key)} appears twice in the same object (first at line ${firstLine}); only one would count, so remove or merge the other`,
      line,
      column,
    );
  }
  return value;
}

function parseYaml(file: string, text: string): unknown {
  let document: ReturnType<YamlModule['parseDocument']>;
  try {
    document = yaml().parseDocument(text, { logLevel: 'error' }); // no process warnings: problems become sentences or validation errors
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigParseError(file, 'the config is nested too deeply; a Lifeboat config needs only a few levels');
    throw error;
  }
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const detail =
      error.code === 'RESOURCE_EXHAUSTION'
        ? 'the config is nested too deeply; a Lifeboat config needs only a few levels'
        : (error.message.split('\n')[0] ?? 'invalid YAML');
    throw new ConfigParseError(file, detail, position?.line, position?.col);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (cause) {
    if (cause instanceof ReferenceError)
      throw new ConfigParseError(file, `it uses aliases (*name) more than ${MAX_YAML_ALIASES} times over; write the values out instead`);
    if (cause instanceof RangeError) throw new ConfigParseError(file, 'the config is nested too deeply; a Lifeboat config needs only a few levels');
    throw cause;
  }
}

function lineAndColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n');
  return [before.length, (before[before.length - 1]?.length ?? 0) + 1];
}

/** The offset of the first bracket that opens a level deeper than MAX_CONFIG_DEPTH, if any. */
function firstTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > MAX_CONFIG_DEPTH) return index;
    } else if (char === 0x5d || char === 0x7d) {
      depth -= 1;
    }
  }
  return undefined;
}

/** JSON.parse lets the last of two equal keys win, which hides a typo; this finds the second one. */
function firstDuplicateKey(text: string): { key: string; offset: number; firstOffset: number } | undefined {
  const objects: Array<Map<string, number>> = [];
  let found: { key: string; offset: number; firstOffset: number } | undefined;
  visitJson(text, {
    onObjectBegin: () => {
      objects.push(new Map());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, offset) => {
      const keys = objects[objects.length - 1];
      const first = keys?.get(key);
      if (first !== undefined) found ??= { key, offset, firstOffset: first };
      else keys?.set(key, offset);
    },
  });
  return found;
}

const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'a character that does not belong in JSON',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a key in double quotes was expected (a trailing comma?)',
  ValueExpected: 'a value was expected (a trailing or doubled comma?)',
  ColonExpected: 'a colon was expected after the key',
  CommaExpected: 'a comma was expected between two entries',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'there is text after the end of the config',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed with "',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape after \\',
  InvalidCharacter: 'a control character inside a string',
};

function describeJsonError(code: string): string {
  return JSON_ERRORS[code] ?? code;
}

/**
 * Loads and validates a config. An older version is migrated, written back, and the
 * original kept beside it; a file that cannot be parsed is left untouched.
 */
export interface LoadOptions {
  migrations?: Record<number, Migration> | undefined;
  /** Where the last checked config is remembered (the data dir's config-checked.json); none: checked every time. */
  checked?: CheckedConfig | undefined;
}

/**
 * Checks a config with its schema. The checker (and zod with it) is loaded on first use: a run
 * whose config was checked before (checked-config.ts) starts without it.
 */
async function validateConfig(raw: unknown): Promise<Validation> {
  const { validateConfig: check } = await import('./validate.ts');
  return check(raw);
}

export async function loadConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const migrations = options.migrations ?? MIGRATIONS;
  await removeAbandonedTempFiles(file);
  const text = await readConfigText(file);
  let revision = configRevision(text);
  const parsed = text === undefined ? undefined : parseConfigText(file, text);
  const exists = parsed !== undefined;
  // Only a missing file is an empty config; a file saying `null` is a config with a problem.
  let raw = (exists ? parsed : structuredClone(EMPTY_CONFIG)) as Record<string, unknown>;
  let migration: LoadedConfig['migration'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigInvalidError(file, [{ path: '', message: 'the config must be an object such as {"version": 1, "repositories": [], "plans": []}' }]);
  }
  const version = raw.version;
  if (typeof version === 'number' && version > CONFIG_VERSION) {
    throw new UserError(
      `The config ${file} was written by a newer Lifeboat (version ${version}; this one reads up to ${CONFIG_VERSION}). Update Lifeboat; the file is left as it is.`,
      { kind: 'config' },
    );
  }
  if (typeof version === 'number' && version < CONFIG_VERSION && Number.isInteger(version)) {
    raw = migrateConfig(raw, migrations);
    const backup = `${file}.v${version}.bak`;
    const validation = await validateConfig(raw);
    if (!validation.ok) throw new ConfigInvalidError(file, validation.problems);
    await copyFile(file, backup);
    revision = await writeConfigText(file, raw, text);
    migration = { from: version, backup };
  }
  // The same text, read by the same build, was checked before: its checked form is used as it is.
  const key = migration === undefined && text !== undefined ? options.checked?.key(text) : undefined;
  const remembered = key === undefined ? undefined : await options.checked?.read(key, raw);
  if (remembered) return { file, exists, config: remembered, raw, revision };
  const validation = await validateConfig(raw);
  if (!validation.ok) throw new ConfigInvalidError(file, validation.problems);
  if (key !== undefined) await options.checked?.write(key, validation.config, raw);
  return { file, exists, config: validation.config, raw, revision, migration };
}

/**
 * A save killed before its rename leaves `.config.json.<pid>.<hex>.tmp` behind: a full copy
 * of a config that was never taken into use. Those of processes that are gone are removed.
 */
async function removeAbandonedTempFiles(file: string): Promise<void> {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return; // no folder yet: nothing was ever saved here
  }
  for (const name of names) {
    const pid = Number(/^\.(?:.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
    if (name.startsWith(prefix) && pid && !processIsAlive(pid)) await rm(join(dirname(file), name), { force: true });
  }
}

export function migrateConfig(raw: Record<string, unknown>, migrations: Record<number, Migration>): Record<string, unknown> {
  let current = structuredClone(raw);
  let version = current.version as number;
  while (version < CONFIG_VERSION) {
    const step = migrations[version];
    if (!step)
      throw new UserError(`Lifeboat cannot migrate a config from version ${version}; write it anew with "version": ${CONFIG_VERSION}.`, { kind: 'config' });
    current = { ...step(current), version: version + 1 };
    version += 1;
  }
  return current;
}

export interface SaveResult {
  config: Config;
  /** The revision of the file as written. */
  revision: string;
  /** Where a file in the way that did not parse or validate was kept. */
  keptCopy?: string | undefined;
}

/**
 * Validates and writes a config atomically with mode 0600. A file in the way that does not
 * parse or validate is copied aside first, so nothing a person wrote is ever lost. With
 * `expectedRevision`, a file changed on disk since that revision is left alone (ConfigConflictError).
 */
export async function saveConfig(
  file: string,
  raw: Record<string, unknown>,
  now = new Date(),
  options: { expectedRevision?: string | undefined } = {},
): Promise<SaveResult> {
  const validation = await validateConfig(raw);
  if (!validation.ok) throw new ConfigInvalidError(file, validation.problems);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const text = await readConfigText(file);
  if (options.expectedRevision !== undefined && configRevision(text) !== options.expectedRevision) {
    throw new ConfigConflictError(configRevision(text));
  }
  let keptCopy: string | undefined;
  if (text !== undefined) {
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    try {
      const parsed = parseConfigText(file, text);
      if (!(await validateConfig(parsed)).ok) keptCopy = `${file}.invalid-${stamp}`;
    } catch (error) {
      if (!(error instanceof ConfigParseError)) throw error;
      keptCopy = `${file}.unreadable-${stamp}`;
    }
    if (keptCopy) await copyFile(file, keptCopy);
  }
  const revision = await writeConfigText(file, raw, keptCopy ? undefined : text);
  return { config: validation.config, revision, keptCopy };
}

/** Writes the config; a YAML file is written over its previous text, keeping the comments of what stays. */
async function writeConfigText(file: string, raw: Record<string, unknown>, previous?: string): Promise<string> {
  const text = isYaml(file) ? yamlOver(yaml(), previous, raw) : `${JSON.stringify(raw, null, 2)}\n`;
  await writeFileAtomic(file, text, 0o600);
  return configRevision(text);
}
