import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { expandHome } from './paths.ts';

export const MAX_COMPLETIONS = 50;

/**
 * Folders whose path starts with what was typed (`~` expanded), for path completion in a form.
 * An unreadable or missing folder gives no entries, never an error: this answers while someone types.
 */
export async function completeFolders(prefix: string, home = homedir()): Promise<string[]> {
  if (prefix === '') return [];
  const endsWithSeparator = prefix.endsWith('/') || prefix.endsWith(sep);
  let typed = expandHome(prefix, home);
  if (endsWithSeparator && !typed.endsWith('/') && !typed.endsWith(sep)) typed += sep;
  if (!typed.startsWith(sep) && !/^[A-Za-z]:[\\/]/.test(typed)) return [];
  // What was typed as ~/… is completed as ~/…, not as the full home path.
  const shown = (path: string) => (prefix.startsWith('~') && path.startsWith(home) ? `~${path.slice(home.length)}` : path);
  const parent = endsWithSeparator ? typed : dirname(typed);
  const start = endsWithSeparator ? '' : typed.slice(parent.length).replace(/^[\\/]/, '');
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const folders: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.name.startsWith(start)) continue;
    if (start === '' && entry.name.startsWith('.')) continue;
    const path = join(parent, entry.name);
    const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() === true);
    if (!isFolder) continue;
    folders.push(shown(path));
    if (folders.length >= MAX_COMPLETIONS) break;
  }
  return folders;
}

/** The paths (after `~` expansion) that do not exist on this computer, in the order given. */
export async function missingPaths(paths: string[], home = homedir()): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) {
    if ((await stat(expandHome(path, home)).catch(() => undefined)) === undefined) missing.push(path);
  }
  return missing;
}
