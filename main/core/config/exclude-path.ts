/**
 * A folder or file a person wants the next backups to skip, turned into the plan's exclude:
 * checked (a full path inside one of the plan's sources, not a source itself) and written as a
 * restic pattern that matches exactly that path, whatever characters its name holds.
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import { expandHome } from '../util/paths.ts';
import { MAX_PATH_LENGTH } from './limits.ts';

export interface ExcludeTarget {
  /** The path, full and normalised (`~` expanded, `..` resolved). */
  path: string;
  /** The exclude that skips it: anchored at the root, glob characters escaped. */
  pattern: string;
}

/** Whether a folder the blame names can be excluded from the plan (it is inside a source, not a source itself). */
export function isExcludable(sources: string[], path: string): boolean {
  return !sources.includes(path) && sources.some((source) => isUnder(path, source));
}

/** The exclude for `path` in a plan with these (expanded) sources; a sentence that names the fix otherwise. */
export function excludeTarget(planId: string, sources: string[], given: string): ExcludeTarget {
  if (given.trim() === '') throw new UserError('Give the folder or file to leave out of the backups.', { kind: 'invalid' });
  if (given.includes('\0')) throw new UserError('A path cannot hold a NUL character; give the folder as it is on disk.', { kind: 'invalid' });
  if (given.length > MAX_PATH_LENGTH)
    throw new UserError(`That path is ${given.length} characters long, longer than any path the system accepts (${MAX_PATH_LENGTH}).`, { kind: 'invalid' });
  const expanded = expandHome(given);
  if (!isAbsolute(expanded))
    throw new UserError(`${shown(given)} is not a full path; give it from the root (/home/me/Videos/raw) or the home folder (~/Videos/raw).`, {
      kind: 'invalid',
    });
  const path = resolve(expanded);
  if (sources.includes(path))
    throw new UserError(`${shown(path)} is a folder plan "${planId}" backs up; to stop backing it up, remove it from the plan's folders instead.`, {
      kind: 'refused',
    });
  if (!sources.some((source) => isUnder(path, source)))
    throw new UserError(
      `${shown(path)} is not inside the folders plan "${planId}" backs up (${sources.map(shown).join(', ')}); pick a folder inside one of them.`,
      { kind: 'refused' },
    );
  return { path, pattern: excludePattern(path) };
}

/**
 * restic matches excludes with Go's filepath.Match per path element: `*`, `?`, `[` and `\` are
 * special and a backslash escapes them. A pattern that starts with the separator is anchored at
 * the root, and a matched folder is left out with all it holds.
 */
export function excludePattern(path: string): string {
  // On Windows the backslash is the separator, and Go's matcher has no escape there.
  return path.replace(sep === '\\' ? /[*?[]/g : /[\\*?[]/g, (character) => `\\${character}`);
}

function isUnder(path: string, root: string): boolean {
  const base = root.endsWith(sep) ? root : `${root}${sep}`;
  return path.startsWith(base);
}

function shown(path: string): string {
  const oneLine = JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
  return oneLine.slice(1, -1) === path ? path : oneLine;
}
