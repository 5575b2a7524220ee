import { isDeepStrictEqual } from 'node:util';
import type { Document, Node } from 'yaml';

type YamlModule = typeof import('yaml');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The node made to hold `value`: the one there, changed in place where its shape allows (its comments stay). */
function patched(yaml: YamlModule, document: Document, node: unknown, value: unknown): unknown {
  if (yaml.isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = yaml.isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || !Object.hasOwn(value, key)) node.delete(pair.key);
    }
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const pair = node.items.find((candidate) => (yaml.isScalar(candidate.key) ? candidate.key.value : candidate.key) === key);
      if (pair) pair.value = patched(yaml, document, pair.value, item) as Node;
      else node.add(document.createPair(key, item));
    }
    return node;
  }
  if (yaml.isSeq(node) && Array.isArray(value)) {
    // Each item keeps its own node (and comments) wherever it moved: found by its id, or as the same value.
    const unused = [...node.items];
    const take = (at: number) => unused.splice(at, 1)[0];
    node.items = value.map((item) => {
      const id = isPlainObject(item) ? item.id : undefined;
      let at = -1;
      if (typeof id === 'string') at = unused.findIndex((candidate) => yaml.isMap(candidate) && candidate.get('id') === id);
      else if (item === null || typeof item !== 'object') at = unused.findIndex((candidate) => yaml.isScalar(candidate) && candidate.value === item);
      return at === -1 ? document.createNode(item) : patched(yaml, document, take(at), item);
    }) as typeof node.items;
    return node;
  }
  if (yaml.isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return document.createNode(value);
}

/**
 * `value` as YAML written over the file's `previous` text: every part that stays keeps its comments,
 * its order and its style, so a config written by hand keeps its notes when a save changes one field.
 * Where that cannot be done exactly (no previous text, a text that does not parse, a result that
 * does not read back as `value`), `value` is written afresh.
 */
export function yamlOver(yaml: YamlModule, previous: string | undefined, value: Record<string, unknown>): string {
  const fresh = () => yaml.stringify(value);
  if (previous === undefined) return fresh();
  try {
    const document = yaml.parseDocument(previous.startsWith('\uFEFF') ? previous.slice(1) : previous);
    if (document.errors.length > 0) return fresh();
    document.contents = patched(yaml, document, document.contents, value) as typeof document.contents;
    const text = document.toString();
    // As JSON: a key set to undefined is no key, as it is in the file.
    return isDeepStrictEqual(yaml.parse(text), JSON.parse(JSON.stringify(value))) ? text : fresh();
  } catch {
    return fresh();
  }
}
