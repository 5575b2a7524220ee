/**
 * Which files a restore check takes from a snapshot: a few of the largest always (a large file
 * spans many packs), the rest drawn at random with more weight for what changed lately (the
 * files the last backup added or changed, and the newest by modification time), since that is
 * the data a person is most likely to need back. The same files, seed and count give the same
 * sample, whatever order the files come in.
 */

import { resticTimeNs } from './compare-files.ts';

export interface SnapshotFile {
  /** The path inside the snapshot. */
  path: string;
  size: number;
  /** restic's modification time (RFC 3339, nanoseconds). */
  mtime: string;
}

export interface SampleRequest {
  count: number;
  /** A 32-bit seed: kept in the run's record, it reproduces the sample. */
  seed: number;
  /** Paths the last backup added or changed (restic diff against the snapshot before). */
  changed?: ReadonlySet<string> | undefined;
}

/** How much more likely a recently changed file is drawn than one that has not changed. */
const CHANGED_WEIGHT = 8;
const NEWEST_WEIGHT = 4;
/** The newest tenth of the files by modification time counts as recent. */
const NEWEST_SHARE = 0.1;

/** The largest files always taken: a fifth of the sample, at least one. */
export function largestCount(count: number): number {
  return Math.max(1, Math.floor(count / 5));
}

export function sampleFiles<T extends SnapshotFile>(files: readonly T[], request: SampleRequest): T[] {
  const count = Math.max(0, Math.floor(request.count));
  const ordered = [...files].sort((a, b) => compareText(a.path, b.path));
  if (ordered.length <= count) return ordered;
  const bySize = [...ordered].sort((a, b) => b.size - a.size || compareText(a.path, b.path));
  const taken = new Set<T>(bySize.slice(0, Math.min(count, largestCount(count))));
  const time = new Map(ordered.map((file) => [file, resticTimeNs(file.mtime) ?? 0n]));
  const byAge = [...ordered].sort((a, b) => compareTimes(time.get(b)!, time.get(a)!) || compareText(a.path, b.path));
  const newest = new Set(byAge.slice(0, Math.ceil(ordered.length * NEWEST_SHARE)));
  // Weighted sampling without replacement (Efraimidis–Spirakis): the largest keys u^(1/w) win.
  const keyed = ordered
    .filter((file) => !taken.has(file))
    .map((file) => {
      const weight = 1 + (request.changed?.has(file.path) ? CHANGED_WEIGHT : 0) + (newest.has(file) ? NEWEST_WEIGHT : 0);
      return { file, key: Math.log(unitHash(request.seed, file.path)) / weight };
    })
    .sort((a, b) => b.key - a.key || compareText(a.file.path, b.file.path));
  for (const { file } of keyed) {
    if (taken.size >= count) break;
    taken.add(file);
  }
  return ordered.filter((file) => taken.has(file));
}

/** A fresh seed for a new check. */
export function newSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}

function compareTimes(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order, the same in every locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A number in (0, 1) from the seed and the path alone (cyrb53), so the draw does not depend on order. */
function unitHash(seed: number, text: string): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0); // 53 bits
  return (value + 1) / (2 ** 53 + 2);
}
