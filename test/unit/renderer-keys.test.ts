import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

/**
 * Identity, not position: a list keyed by its index gives a removed row's field state (typed
 * text, test output, a focused editor) to its neighbour. This guard makes that pattern fail.
 */
const root = join(import.meta.dirname, '..', '..');
const rendererSources = join(root, 'renderer', 'src');
const biome = join(root, 'node_modules', '.bin', 'biome');

/** The names a callback gives a list position: `(item, index) =>`, `([a, b], i) =>`, `function (x, n: number)`. */
function positionNames(source: string): Set<string> {
  const names = new Set(['index', 'idx', 'i']);
  const callback = /\(\s*(?:[A-Za-z_$][\w$]*|\[[^\]]*\]|\{[^}]*\})\s*(?::\s*[^,()]+)?,\s*([A-Za-z_$][\w$]*)\s*(?::\s*number\s*)?\)\s*(?:=>|\{)/g;
  for (const match of source.matchAll(callback)) names.add(match[1]!);
  return names;
}

/** Every `key={…}` expression, braces inside it (template literals) balanced. */
function keyExpressions(source: string): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  for (const match of source.matchAll(/\bkey=\{/g)) {
    let depth = 1;
    let end = match.index + match[0].length;
    while (end < source.length && depth > 0) {
      if (source[end] === '{') depth += 1;
      else if (source[end] === '}') depth -= 1;
      end += 1;
    }
    found.push({ line: source.slice(0, match.index).split('\n').length, text: source.slice(match.index + match[0].length, end - 1) });
  }
  return found;
}

/** `file:line key={…}` for each key built from a list position. */
function positionKeys(source: string, file = 'source.tsx'): string[] {
  const names = positionNames(source);
  return keyExpressions(source)
    .filter(({ text }) => [...names].some((name) => new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text)))
    .map(({ line, text }) => `${file}:${line} key={${text}}`);
}

function tsxFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.tsx'))
    .map((name) => join(folder, name));
}

function biomeIndexKeys(args: string[], input?: string) {
  return spawnSync(biome, ['lint', '--only=suspicious/noArrayIndexKey', '--colors=off', ...args], { encoding: 'utf8', input, cwd: root });
}

test('no .tsx in the renderer keys a list item by its position', () => {
  const files = tsxFiles(rendererSources);
  assert.ok(files.length > 10, `found the renderer's views (${files.length} files)`);
  const offenders = files.flatMap((file) => positionKeys(readFileSync(file, 'utf8'), relative(root, file)));
  assert.deepEqual(offenders, [], 'key each item by its id or uid (see docs/architecture.md, renderer state)');
});

test("Biome's noArrayIndexKey agrees: nothing in renderer/src uses an array index as a key", () => {
  const result = biomeIndexKeys(['renderer/src']);
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('the guard catches every spelling of a position key it is meant to forbid', () => {
  const bad = [
    'rows.map((row, index) => <li key={index}>{row}</li>)',
    'rows.map((row, i) => <li key={i}>{row}</li>)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
    'steps.map((step, n) => <li key={`${step.name}-${n}`} />)',
    'pairs.map(([a, b], position) => <li key={String(position)} />)',
    'items.map((item: Item, at: number) => <Row key={at} item={item} />)',
    '<Row key={index} />',
  ];
  for (const source of bad) assert.equal(positionKeys(source).length, 1, source);
  const good = [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
    'rows.map((row, index) => <li key={row.uid} aria-label={`Row ${index + 1}`} />)',
    'plans.map((plan) => <li key={plan.id} />)',
    'rows.map((row, index) => <li key={row.index} />)',
  ];
  for (const source of good) assert.deepEqual(positionKeys(source), [], source);
});

test("Biome's rule fails on a position key, so the check above can fail", () => {
  const result = biomeIndexKeys(
    ['--stdin-file-path=renderer/src/Bad.tsx'],
    'export const List = ({ rows }: { rows: string[] }) => rows.map((row, index) => <li key={index}>{row}</li>);\n',
  );
  assert.notEqual(result.status, 0, 'biome should refuse key={index}');
});
