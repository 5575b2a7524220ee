import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const REPOSITORY = { id: 'local', url: '/srv/restic', passwordEnv: 'PW' };

function aliasBomb(): string {
  // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded.
  let text = 'version: 1\na: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n';
  let previous = 'a';
  for (const name of 'bcdefghi') {
    text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
    previous = name;
  }
  return text;
}

const DEEP = 100_000;

const CASES: Array<{ name: string; file: string; text: () => string; expected: RegExp }> = [
  { name: 'a YAML alias bomb ("billion laughs")', file: 'config.yaml', text: aliasBomb, expected: /aliases|alias/i },
  {
    name: 'a 100,000-deep JSON config',
    file: 'config.json',
    text: () => `{"version": 1, "plans": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`,
    expected: /nested more than \d+ levels deep/,
  },
  {
    name: 'a 100,000-deep JSON config that is also cut short',
    file: 'config.json',
    text: () => `{"version": 1, "plans": ${'['.repeat(DEEP)}`,
    expected: /nested more than \d+ levels deep/,
  },
  {
    name: 'a 100,000-deep YAML config',
    file: 'config.yaml',
    text: () => `version: 1\nplans: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`,
    expected: /nested (too|more than \d+ levels) deep/,
  },
  {
    name: 'a 140 KB plan name (more than one environment variable can hold)',
    file: 'config.json',
    text: () =>
      JSON.stringify({ version: 1, repositories: [REPOSITORY], plans: [{ id: 'docs', name: 'x'.repeat(140_000), repository: 'local', sources: ['/tmp'] }] }),
    expected: /plans\[0\]\.name: is longer than 200 characters/,
  },
  {
    name: 'a 100 KB plan id',
    file: 'config.json',
    text: () => JSON.stringify({ version: 1, repositories: [REPOSITORY], plans: [{ id: 'd'.repeat(100_000), repository: 'local', sources: ['/tmp'] }] }),
    expected: /plans\[0\]\.id: is longer than 64 characters/,
  },
  {
    name: 'a 100 KB source path',
    file: 'config.json',
    text: () => JSON.stringify({ version: 1, repositories: [REPOSITORY], plans: [{ id: 'docs', repository: 'local', sources: [`/${'p'.repeat(100_000)}`] }] }),
    expected: /plans\[0\]\.sources\[0\]: is longer than 4,096 characters/,
  },
  {
    name: 'duplicate keys in the config (the last one would silently win)',
    file: 'config.json',
    text: () => '{\n  "version": 1,\n  "repositories": [],\n  "plans": [],\n  "plans": [{"id": "x"}]\n}\n',
    expected: /line 5, column 3\): the key "plans" appears twice in the same object \(first at line 4\)/,
  },
  {
    name: 'duplicate keys deep inside a plan',
    file: 'config.json',
    text: () =>
      `{"version": 1, "repositories": [${JSON.stringify(REPOSITORY)}],\n"plans": [{"id": "docs", "repository": "local", "sources": ["/tmp"],\n  "schedule": {"cron": "0 * * * *", "cron": "0 3 * * *"}}]}`,
    expected: /line 3, column 37\): the key "cron" appears twice/,
  },
];

for (const { name, file, text, expected } of CASES) {
  test(`validate and plans refuse ${name} with a sentence and exit code 2, never a stack trace`, async (t) => {
    const root = await tempDir(t);
    const configFile = join(root, file);
    await writeFile(configFile, text());
    const run = (...command: string[]) => lifeboat(['--config', configFile, '--data-dir', join(root, 'data'), ...command]);
    const [validate, plans, json] = await Promise.all([run('validate'), run('plans'), run('plans', '--json')]);
    for (const [command, result] of [
      ['validate', validate],
      ['plans', plans],
    ] as const) {
      assert.equal(result.code, 2, `${command}: ${result.stdout}${result.stderr.slice(0, 2000)}`);
      assert.match(result.stderr, expected, `${command}: ${result.stderr.slice(0, 2000)}`);
      assert.doesNotMatch(result.stderr, /internal error| {4}at |RangeError|ReferenceError/);
      assert.ok(result.stderr.length < 2000, `${command}: the error is short (${result.stderr.length} characters)`);
    }
    assert.equal(json.code, 2, `plans --json: ${json.stdout.slice(0, 2000)}`);
    assert.match(JSON.parse(json.stdout).error.message, expected);
  });
}
