import type { PlanJson } from './plan-draft.ts';

/** An unsaved edit put on top of the plan as saved since, and the parts both changed. */
export interface RebasedDraft {
  plan: PlanJson;
  /** Paths (`name`, `retention.keepLast`) changed by the edit and since: the edit's value is the one kept. */
  conflicts: string[];
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The same JSON value, whatever the order of object keys. */
export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, at) => sameJson(item, b[at]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameJson(a[key], b[key])) return false;
  return true;
}

function merge(base: Json, edited: Json, current: Json, path: string, conflicts: string[]): Json {
  if (sameJson(edited, base)) return current; // the edit left it alone: what was saved since stands
  if (sameJson(current, base) || sameJson(current, edited)) return edited; // only the edit changed it
  if (isObject(base) && isObject(edited) && isObject(current)) {
    const merged: Record<string, Json> = {};
    for (const key of new Set([...Object.keys(current), ...Object.keys(edited)])) {
      const value = merge(base[key], edited[key], current[key], path ? `${path}.${key}` : key, conflicts);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  conflicts.push(path);
  return edited;
}

/**
 * An edit kept unsaved (`edited`, made to the plan as it was: `base`) put on top of the plan as it
 * is saved now (`current`), so restoring it never undoes what was saved since (another tab, the
 * file edited by hand): each part the edit changed is the edit's, each part it left alone is the
 * saved one. Objects are merged key by key; lists and values are taken whole. A part both changed
 * is the edit's, and is named in `conflicts` so the person is told before restoring.
 */
export function rebaseDraft(base: PlanJson, edited: PlanJson, current: PlanJson): RebasedDraft {
  const conflicts: string[] = [];
  const plan = merge(base, edited, current, '', conflicts) as PlanJson;
  return { plan, conflicts };
}
