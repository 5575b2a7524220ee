import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseTomlText, TomlDate, TomlError } from 'smol-toml';
import YAML from 'yaml';
import { MAX_CONFIG_DEPTH, parseConfigText } from '../config/store.ts';
import { UserError } from '../util/errors.ts';

/** No other tool's config is this big; a bigger file is refused before it is read. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const MAX_YAML_ALIASES = 100;

function unreadable(file: string, detail: string): UserError {
  return new UserError(`The file ${JSON.stringify(file)} cannot be imported: ${detail}.`, { kind: 'config' });
}

/** The sentence for a file over the cap; `size` when the system reports it (a file in /proc reports 0 and never ends). */
function tooBig(file: string, size?: number): UserError {
  return unreadable(file, `it is ${size === undefined ? '' : `${Math.round(size / 1024 / 1024)} MiB, `}larger than any backup config (at most 4 MiB)`);
}

/** Reads another tool's config (JSON, YAML or TOML) with the limits Lifeboat's own configs have. */
export async function readForeignFile(file: string): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw unreadable(file, 'it is not a file; give the path of the config file itself');
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(file, code === 'ENOENT' || code === 'ENOTDIR' ? 'there is no such file; check the path' : notPermitted(error));
  }
  if (size > MAX_IMPORT_BYTES) throw tooBig(file, size);
  const extension = extname(file).toLowerCase();
  if (extension === '.hcl')
    throw unreadable(
      file,
      'HCL files are not read; save the profiles as TOML, YAML or JSON (resticprofile reads each, with the same keys) and import that file',
    );
  let bytes: Buffer | undefined;
  try {
    bytes = await readCapped(file);
  } catch (error) {
    throw unreadable(file, notPermitted(error));
  }
  if (bytes === undefined) throw tooBig(file);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw unreadable(file, 'it is empty');
  if (extension === '.toml') return parseToml(file, text);
  const json = extension === '.json' || (extension !== '.yml' && extension !== '.yaml' && text.trimStart().startsWith('{'));
  if (json) {
    try {
      return parseConfigText(`${file}.json`, text);
    } catch (error) {
      throw unreadable(file, `it is not valid JSON (${describe(error)})`);
    }
  }
  return parseYaml(file, text);
}

const CHUNK_BYTES = 64 * 1024;

/**
 * The file's bytes, or undefined when there are more than the cap: read in chunks whatever its
 * size says (a file in /proc says 0 and may never end; a file may grow after `stat`). Chunks are
 * a multiple of 8 bytes, as some /proc files (pagemap) require of every read.
 */
async function readCapped(file: string): Promise<Buffer | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_IMPORT_BYTES + CHUNK_BYTES);
    let length = 0;
    while (length <= MAX_IMPORT_BYTES) {
      const { bytesRead } = await handle.read(buffer, length, CHUNK_BYTES, null);
      if (bytesRead === 0) return buffer.subarray(0, length);
      length += bytesRead;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/** A permission problem said in words (the system's text names a syscall); anything else as the system says it. */
function notPermitted(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'Lifeboat may not read it (permission denied); give it read access or copy the file somewhere readable';
  return (error as Error).message;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // The config parser's sentence ends in advice about Lifeboat's own file; keep the part that says what is wrong.
  return message
    .replace(/^The config file cannot be read \((.*?)\.json(, line .*?)?\): /s, 'line$2: ')
    .replace(/\. Fix that line.*$/s, '')
    .replace(/^line, /, '');
}

/** YAML with merge keys (`<<: *defaults`, which autorestic's docs use), aliases capped, depth capped. */
function parseYaml(file: string, text: string): unknown {
  let document: YAML.Document;
  try {
    document = YAML.parseDocument(text, { logLevel: 'error', merge: true, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) throw unreadable(file, 'it is nested too deeply');
    throw error;
  }
  const error = document.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const detail = error.code === 'RESOURCE_EXHAUSTION' ? 'it is nested too deeply' : (error.message.split('\n')[0] ?? 'invalid YAML');
    throw unreadable(file, `${position ? `line ${position.line}: ` : ''}${detail}`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (cause) {
    if (cause instanceof ReferenceError) throw unreadable(file, `it uses aliases (*name) more than ${MAX_YAML_ALIASES} times over`);
    if (cause instanceof RangeError) throw unreadable(file, 'it is nested too deeply');
    throw cause;
  }
  if (depth(value, 0) > MAX_CONFIG_DEPTH) throw unreadable(file, `it is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
  return value;
}

/** TOML with inline nesting capped while parsing, table nesting capped after, and dates and times as the text they were written as. */
function parseToml(file: string, text: string): unknown {
  let value: unknown;
  try {
    value = parseTomlText(text, { maxDepth: MAX_CONFIG_DEPTH });
  } catch (error) {
    if (error instanceof RangeError) throw unreadable(file, `it is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    if (!(error instanceof TomlError)) throw error;
    const detail = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '').replace(/\.?\s*aborting\.?$/, '');
    if (/excessively nested/.test(detail)) throw unreadable(file, `it is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    const position = error.line > 0 ? `line ${error.line}, column ${error.column}: ` : '';
    throw unreadable(file, `it is not valid TOML (${position}${detail || 'invalid TOML'})`);
  }
  if (depth(value, 0) > MAX_CONFIG_DEPTH) throw unreadable(file, `it is nested more than ${MAX_CONFIG_DEPTH} levels deep`);
  return datesAsText(value);
}

/** resticprofile reads a bare TOML date or time (schedule = 03:15:00) as its text; so does the import. */
function datesAsText(value: unknown): unknown {
  if (value instanceof TomlDate) return value.toISOString().replace(/\.000(?=$|Z|[+-])/, '');
  if (Array.isArray(value)) return value.map(datesAsText);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value))
      Object.defineProperty(copy, key, { value: datesAsText(child), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

function depth(value: unknown, level: number): number {
  if (level > MAX_CONFIG_DEPTH) return level;
  if (typeof value !== 'object' || value === null) return level;
  let deepest = level + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, level + 1));
  return deepest;
}
