import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../main/core/config/validate.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

test('every hook the cookbook shows passes validation, {{…}} placement rules included', async () => {
  const text = await readFile(join(PROJECT_ROOT, 'docs', 'hook-cookbook.md'), 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
  assert.ok(blocks.length >= 5, `${blocks.length} examples found`);
  for (const block of blocks) {
    const hooks = JSON.parse(`[${block}]`);
    const result = validateConfig({
      version: 1,
      repositories: [{ id: 'r', url: '/r', passwordEnv: 'P' }],
      plans: [{ id: 'p', repository: 'r', sources: ['/p'], hooks }],
    });
    assert.ok(result.ok, `${block}\n${result.ok ? '' : result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n')}`);
  }
});
