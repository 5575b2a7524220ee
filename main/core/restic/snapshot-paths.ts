import { sep } from 'node:path';

/** A source a `backup.before` hook redirected (LIFEBOAT_SNAPSHOT_PATH): its own path, and the path the snapshot holds instead. */
export interface Redirect {
  original: string;
  stored: string;
}

/**
 * The redirects of one snapshot: its `source:<path>` tags name the original sources, its paths
 * that are not a source of the plan are where they were read from. With several, they pair up
 * in the order of the plan's sources (the order the backup gave them to restic).
 */
export function redirectsOf(snapshot: { paths: string[]; tags: string[] }, sources: string[]): Redirect[] {
  const tagged = snapshot.tags.filter((tag) => tag.startsWith('source:')).map((tag) => tag.slice('source:'.length));
  if (tagged.length === 0) return [];
  const originals = sources.filter((source) => tagged.includes(source));
  const stored = snapshot.paths.filter((path) => !sources.includes(path));
  if (originals.length === 0 || originals.length !== stored.length) return [];
  return originals.map((original, index) => ({ original, stored: stored[index]! }));
}

function moved(path: string, from: string, to: string): string | undefined {
  if (path === from) return to;
  const prefix = from.endsWith(sep) ? from : `${from}${sep}`;
  return path.startsWith(prefix) ? `${to}${sep}${path.slice(prefix.length)}` : undefined;
}

/** Where a live path is inside a snapshot that holds redirected sources. */
export function storedPath(path: string, redirects: Redirect[]): string {
  for (const redirect of redirects) {
    const inside = moved(path, redirect.original, redirect.stored);
    if (inside !== undefined) return inside;
  }
  return path;
}

/** The live path a path inside a snapshot stands for. */
export function originalPath(path: string, redirects: Redirect[]): string {
  for (const redirect of redirects) {
    const live = moved(path, redirect.stored, redirect.original);
    if (live !== undefined) return live;
  }
  return path;
}
