import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { lifeboat } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

function interval(run: RunRecord): [number, number] {
  return [Date.parse(run.startedAt), Date.parse(run.endedAt!)];
}

test('two plans on one repository at the same moment run one after the other; plans on two repositories run side by side', async (t) => {
  const root = await tempDir(t);
  const sources: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    const folder = join(root, name);
    await mkdir(folder);
    for (let i = 0; i < 2; i += 1) await writeFile(join(folder, `${i}.bin`), randomBytes(40_000_000));
    sources.push(folder);
  }
  const configFile = join(root, 'config.json');
  const config = {
    version: 1,
    repositories: [
      { id: 'one', url: join(root, 'repo-one'), passwordEnv: 'QUEUE_TEST_PASSWORD' },
      { id: 'two', url: join(root, 'repo-two'), passwordEnv: 'QUEUE_TEST_PASSWORD' },
    ],
    plans: [
      { id: 'a', repository: 'one', sources: [sources[0]] },
      { id: 'b', repository: 'one', sources: [sources[1]] },
      { id: 'c', repository: 'two', sources: [sources[2]] },
    ],
  };
  await writeFile(configFile, JSON.stringify(config));
  const env = { QUEUE_TEST_PASSWORD: 'queue test password', RESTIC_CACHE_DIR: join(root, 'cache') };
  const args = (...rest: string[]) => ['--config', configFile, '--data-dir', join(root, 'data'), ...rest];
  for (const repository of ['one', 'two']) assert.equal((await lifeboat(args('init', repository), { env })).code, 0);

  const engine = await Engine.open({ configFile, dataDir: join(root, 'data'), env: { ...process.env, ...env } });
  const [a, b, c] = await Promise.all([
    engine.runPlan('a', { trigger: 'schedule' }),
    engine.runPlan('b', { trigger: 'schedule' }),
    engine.runPlan('c', { trigger: 'schedule' }),
  ]);
  for (const run of [a, b, c]) assert.equal(run!.status, 'success', run!.reason ?? '');
  const [aStart, aEnd] = interval(a!);
  const [bStart, bEnd] = interval(b!);
  const [cStart, cEnd] = interval(c!);
  assert.ok(bStart >= aEnd || aStart >= bEnd, `same repository, serialised: a ${aStart}–${aEnd}, b ${bStart}–${bEnd}`);
  assert.ok(cStart < aEnd && aStart < cEnd, `different repositories, in parallel: a ${aStart}–${aEnd}, c ${cStart}–${cEnd}`);
});
