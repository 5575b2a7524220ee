import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

test("each run's working folder is removed when it ends; a failed run's is kept 2 days, and kept folders together stay under the cap, oldest removed first", async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  // Leaves 400 KB in the working folder, then fails when asked to.
  const fill = 'head -c 400000 /dev/zero > "$LIFEBOAT_WORKING_DIR/dump.bin"; test ! -e "$LIFEBOAT_WORKING_DIR/../../fail-now"';
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source], hooks: [{ id: 'dump', on: ['backup.before'], script: { command: fill } }] }]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  let now = new Date('2030-01-01T00:00:00Z');
  const engine = await Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env },
    now: () => now,
    workingDirsMaxBytes: 1_000_000,
  });
  const work = join(setup.dataDir, 'work');
  const run = async () => {
    const record = await engine.runPlan('docs');
    await engine.flushMonitors(); // the run's tidying has happened
    return record;
  };

  const ok = await run();
  assert.equal(ok.status, 'success', ok.reason ?? '');
  assert.equal(existsSync(join(work, ok.id)), false, 'a successful run leaves no working folder');

  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(setup.dataDir, 'fail-now'), '');
  const failed: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    now = new Date(now.getTime() + 60_000);
    const record = await run();
    assert.equal(record.status, 'failure');
    failed.push(record.id);
  }
  // 3 × 400 KB against a 1 MB cap: the oldest goes.
  assert.deepEqual((await readdir(work)).sort(), failed.slice(1).sort(), 'the newest failed runs are kept, the oldest removed');

  now = new Date(now.getTime() + 2 * 86_400_000 + 1);
  const later = await run();
  assert.deepEqual(await readdir(work), [later.id], 'kept folders older than 2 days are gone');
});
