/**
 * Where a problem is, as a typed path instead of a string: `['plans', 2, 'hooks', 0, 'script']`.
 * The wire keeps its dotted string (`Problem.path`, `lifeboat validate --json`):
 * `plans[2].hooks[0].script`. In the editor a list item is named by its identity, never its
 * position, so a path may hold `byId(uid)` where the wire has an index (`hooks#<uid>.env`).
 * Paths are compared segment by segment: `hooks[1]` is not a prefix of `hooks[10]`.
 */
import type { Problem } from '../../main/api/contract.ts';

/** A list item named by its own id (a uid), not by where it stands in the list. */
export interface Identity {
  readonly id: string;
}

export type Segment = string | number | Identity;
export type JsonPath = readonly Segment[];

export const byId = (id: string): Identity => ({ id });

export const pathOf = (...segments: Segment[]): JsonPath => segments;

const isIdentity = (segment: Segment): segment is Identity => typeof segment === 'object';

/** The wire's string: keys joined by dots, positions in brackets, identities after a `#`. */
export function formatPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (isIdentity(segment)) text += `#${segment.id}`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

/**
 * The wire's string taken apart. A key that holds a dot cannot be told from two keys (the wire
 * format does not escape them); a bracket that is not `[digits]` stays part of its key.
 */
export function parsePath(text: string): JsonPath {
  const path: Segment[] = [];
  const token = /\[(\d+)\]|#([^.[#]*)|\.?((?:[^.[#]|\[(?!\d+\]))+)/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const match = token.exec(text);
    if (!match || match[0] === '') {
      // A lone separator (`a..b`, a trailing dot): skip it rather than loop on it.
      at += 1;
      continue;
    }
    if (match[1] !== undefined) path.push(Number(match[1]));
    else if (match[2] !== undefined) path.push(byId(match[2]));
    else path.push(match[3]!);
    at = token.lastIndex;
  }
  return path;
}

const asPath = (path: JsonPath | string): JsonPath => (typeof path === 'string' ? parsePath(path) : path);

function sameSegment(a: Segment, b: Segment): boolean {
  if (isIdentity(a) || isIdentity(b)) return isIdentity(a) && isIdentity(b) && a.id === b.id;
  return a === b;
}

export function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => sameSegment(path[index]!, segment));
}

/** The rest of `path` below `prefix`, or undefined when it is not below it. */
export function relativeTo(path: JsonPath, prefix: JsonPath): JsonPath | undefined {
  return startsWith(path, prefix) ? path.slice(prefix.length) : undefined;
}

/** The problems at a field or anywhere inside it, paths as they were. */
export function problemsAt(problems: Problem[], at: JsonPath | string): Problem[] {
  const prefix = asPath(at);
  return problems.filter((problem) => startsWith(parsePath(problem.path), prefix));
}

/** The problems inside a part of the form, with paths relative to it (`hooks#u.timeout` under `hooks#u` → `timeout`). */
export function problemsUnder(problems: Problem[], at: JsonPath | string): Problem[] {
  const prefix = asPath(at);
  return problems.flatMap((problem) => {
    const rest = relativeTo(parsePath(problem.path), prefix);
    return rest ? [{ ...problem, path: formatPath(rest) }] : [];
  });
}

/**
 * A list's own problems: at the list, or at a bare position in it. Those at an item named by
 * its identity are shown at that item, so they are left out here.
 */
export function listProblems(problems: Problem[], at: JsonPath | string): Problem[] {
  const prefix = asPath(at);
  return problems.filter((problem) => {
    const rest = relativeTo(parsePath(problem.path), prefix);
    return rest !== undefined && !(rest[0] !== undefined && isIdentity(rest[0]));
  });
}
