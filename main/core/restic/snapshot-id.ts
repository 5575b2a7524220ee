import { readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../util/errors.ts';

/** restic writes ids in lowercase and finds no other (LATEST, 13455240074B1E16 are refused here rather than by restic). */
const SNAPSHOT_ID = /^(latest|[0-9a-f]{8,64})$/;

/** Why a snapshot id is refused, or undefined: ids are `latest` or 8–64 hex characters, nothing restic could read as an option. */
export function snapshotIdProblem(value: string): string | undefined {
  if (SNAPSHOT_ID.test(value)) return undefined;
  const shown = value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}…` : JSON.stringify(value);
  return `${shown} is not a snapshot id; use "latest" or an id from "lifeboat snapshots <plan>" (8 to 64 hex characters).`;
}

/** The id itself when it is one; refused before restic ever runs otherwise. */
export function checkedSnapshotId(value: string): string {
  const problem = snapshotIdProblem(value);
  if (problem) throw new UserError(problem, { kind: 'invalid' });
  return value;
}

const FULL_ID = /^[0-9a-f]{64}$/;

/** Whether `id` is restic's full snapshot id (64 hex characters), as the run record keeps it. */
export function isFullSnapshotId(id: string): boolean {
  return FULL_ID.test(id);
}

/** The 8 characters people see (restic's short id); anything that is not a longer id is shown as it is. */
export function shortSnapshotId(id: string): string {
  return /^[0-9a-f]{9,64}$/i.test(id) ? id.slice(0, 8) : id;
}

/**
 * The full id of the snapshot whose id starts with `prefix`, read from a repository on a local
 * disk (restic names each file in `snapshots/` by its id); undefined for any other backend,
 * an unreadable folder, or not exactly one match.
 */
export async function fullIdInLocalRepository(url: string, prefix: string): Promise<string | undefined> {
  const path = url.startsWith('local:') ? url.slice('local:'.length) : url;
  if (!isAbsolute(path) || !/^[0-9a-f]{8,64}$/.test(prefix)) return undefined;
  const names = await readdir(join(path, 'snapshots')).catch(() => [] as string[]);
  const matches = names.filter((name) => FULL_ID.test(name) && name.startsWith(prefix));
  return matches.length === 1 ? matches[0] : undefined;
}
