import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** A repository's folder on this computer (a plain or `local:` absolute path); undefined for any other backend. */
export function localRepositoryPath(url: string): string | undefined {
  const path = url.startsWith('local:') ? url.slice('local:'.length) : url;
  return isAbsolute(path) ? path : undefined;
}

/** A path as a restic exclude pattern that matches exactly it: its glob characters escaped. */
export function literalPattern(path: string): string {
  return path.replace(/[\\*?[\]]/g, '\\$&');
}

/** Where a repository lies among the folders backed up to it. */
export interface RepositoryAmongSources {
  /** The repository's folder as restic meets it under a source (each a literal exclude pattern): left out of the backup. */
  excludes: string[];
  /** A source that is the repository's folder itself. */
  sameAs?: string | undefined;
}

/**
 * Whether a local repository lies inside a folder backed up to it (a person picked a backup folder
 * inside the folder to back up): a backup would store the repository in itself, growing by what the
 * last backup added every time. Its folder is then left out, as restic meets it under that source;
 * links are followed on both sides.
 */
export async function repositoryAmongSources(sources: readonly string[], url: string): Promise<RepositoryAmongSources> {
  const repository = localRepositoryPath(url);
  if (!repository) return { excludes: [] };
  const real = await realpath(repository).catch(() => repository);
  const excludes: string[] = [];
  for (const source of sources) {
    const realSource = await realpath(source).catch(() => source);
    if (realSource === real) return { excludes, sameAs: source };
    const below = relative(realSource, real);
    if (below && !below.startsWith(`..${sep}`) && below !== '..' && !isAbsolute(below)) excludes.push(literalPattern(join(source, below)));
  }
  return { excludes };
}
