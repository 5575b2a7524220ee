import assert from 'node:assert/strict';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
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

test('an edit made on disk after the engine loaded the config but before it began watching is taken into use', async (t) => {
  const dataDir = await tempDir(t);
  const configFile = join(dataDir, 'config.json');
  const config = (name: string) => ({
    version: 1,
    repositories: [{ id: 'local', url: join(dataDir, 'repo'), passwordEnv: 'P' }],
    plans: [{ id: 'docs', name, repository: 'local', sources: [dataDir] }],
  });
  await writeFile(configFile, JSON.stringify(config('Before')));
  const engine = await Engine.open({ configFile, dataDir });
  await writeFile(configFile, JSON.stringify(config('Edited while starting')));
  const reloaded = new Promise<boolean>((resolve) => {
    const stop = engine.watchConfig(({ changed }) => {
      if (!changed) return;
      stop();
      resolve(true);
    });
    t.after(stop);
  });
  const answer = await Promise.race([reloaded, new Promise<false>((resolve) => setTimeout(resolve, 5_000, false).unref())]);
  assert.equal(answer, true, 'the edit was taken into use');
  assert.equal(engine.plan('docs').name, 'Edited while starting');
});
