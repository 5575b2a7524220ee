import { UserError } from '../util/errors.ts';

const SNAPSHOT_ID = /^(latest|[0-9a-f]{8,64})$/i;

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
