// Whether dist/cli holds a bundle of the CLI built from the sources as they are now.
import { readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The bundle's entry module and the list of what it was built from, inside its folder. */
export const BUNDLE_ENTRY = 'start.js';
export const BUNDLE_INPUTS = 'inputs.json';

/**
 * The bundle's entry if every file it was built from (the project's sources, and the package.json
 * of each package it took in) still has the size and modification time it had then; undefined
 * when any changed, went missing, or there is no bundle. About 200 stat calls: a few milliseconds.
 */
export function freshBundle(root, folder = join(root, 'dist', 'cli')) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(folder, BUNDLE_INPUTS), 'utf8'));
  } catch {
    return undefined; // never built, or half-written
  }
  if (!Array.isArray(inputs?.files) || inputs.files.length === 0) return undefined;
  // Plain concatenation (the names are relative, made by the build): path.join for each costs more than the stat.
  const base = root.endsWith(sep) ? root : root + sep;
  for (const entry of inputs.files) {
    if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== 'string' || entry[0].includes('..')) return undefined;
    const [file, size, mtimeMs] = entry;
    const stats = statSync(base + file, { throwIfNoEntry: false });
    if (!stats || stats.size !== size || stats.mtimeMs !== mtimeMs) return undefined;
  }
  return join(folder, BUNDLE_ENTRY);
}
