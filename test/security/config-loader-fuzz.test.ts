import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../main/core/config/store.ts';
import { UserError } from '../../main/core/util/errors.ts';
import { tempDir } from '../helpers/temp.ts';

const VALID = {
  version: 1,
  repositories: [{ id: 'local', name: 'Local', url: '/tmp/repo', passwordEnv: 'P' }],
  plans: [
    {
      id: 'docs',
      repository: 'local',
      sources: ['/tmp/src'],
      schedule: { every: '1h' },
      hooks: [{ id: 'h', on: ['backup.before'], script: { command: 'true' } }],
    },
  ],
};

/** Text a person, a torn write or an attacker could leave in a config file. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.json({ depthSize: 'large', maxDepth: 20 }),
  // A valid config cut short, with bytes spliced in, or with a value replaced.
  fc.tuple(fc.nat(), fc.string({ maxLength: 20 })).map(([cut, splice]) => {
    const text = JSON.stringify(VALID, null, 2);
    const at = cut % text.length;
    return text.slice(0, at) + splice + text.slice(at);
  }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ ...VALID, plans: [{ ...VALID.plans[0], name: value, sources: value }] })),
  // Deep nesting, far past any config, and keys written twice.
  fc.integer({ min: 60, max: 20_000 }).map((depth) => `{"version":1,"plans":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.string({ maxLength: 10 }).map((key) => `{"version":1,${JSON.stringify(key)}:1,${JSON.stringify(key)}:2}`),
  // YAML: aliases, anchors, tags, deep flow nesting.
  fc.integer({ min: 1, max: 12 }).map((levels) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= levels; i += 1)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    return `version: 1\n${lines.join('\n')}\n`;
  }),
  fc.integer({ min: 60, max: 5_000 }).map((depth) => `version: 1\nplans: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
  fc.constantFrom('!!js/function "x"', '? [a, b]\n: c', 'version: !!binary aGk=', '%YAML 9.9\n---\nversion: 1', '<<: *nope', '\uFEFF{"version":1}'),
);

test('the config loader answers every hostile file, JSON or YAML, with a config or a UserError sentence, never another exception', async (t) => {
  const root = await tempDir(t);
  let count = 0;
  await fc.assert(
    fc.asyncProperty(hostileText, fc.constantFrom('config.json', 'config.yaml'), async (text, name) => {
      count += 1;
      const file = join(root, `${count}-${name}`);
      await writeFile(file, text);
      try {
        const loaded = await loadConfig(file);
        assert.equal(typeof loaded.config, 'object');
      } catch (error) {
        assert.ok(error instanceof UserError, `not a sentence for a person: ${(error as Error)?.stack ?? String(error)}`);
        assert.ok((error as Error).message.length < 20_000, 'the sentence stays readable');
        assert.doesNotMatch((error as Error).message, /\n\s+at /, 'no stack trace in the sentence');
      }
    }),
    { numRuns: 400, interruptAfterTimeLimit: 40_000 },
  );
});
