import assert from 'node:assert/strict';
import { mkdir, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { tempDir } from '../helpers/temp.ts';

test('per-run working folders older than two days are removed when the engine starts; newer ones stay', async (t) => {
  const dataDir = await tempDir(t);
  const now = new Date('2026-11-21T12:00:00Z');
  for (const [name, age] of [
    ['old-run', 3 * 86_400_000],
    ['recent-run', 86_400_000],
  ] as const) {
    await mkdir(join(dataDir, 'work', name), { recursive: true });
    const when = new Date(now.getTime() - age);
    await utimes(join(dataDir, 'work', name), when, when);
  }
  await Engine.open({ configFile: join(dataDir, 'config.json'), dataDir, now: () => now });
  assert.deepEqual(await readdir(join(dataDir, 'work')), ['recent-run']);
});
