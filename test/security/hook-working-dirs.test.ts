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

test('kept folders are counted by the size written when they were kept, so a prune reads one marker per folder; a marker without a size (an older Lifeboat) is measured', async (t) => {
  const { mkdir, writeFile, readFile } = await import('node:fs/promises');
  const { finishWorkingDir, removeOldWorkingDirs } = await import('../../main/core/hooks/working-dirs.ts');
  const work = join(await tempDir(t), 'work');
  const now = new Date(); // folders' own times are now: a start removes unmarked ones older than two days
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const folder = async (name: string, bytes: number) => {
    await mkdir(join(work, name), { recursive: true });
    await writeFile(join(work, name, 'dump.bin'), Buffer.alloc(bytes));
    return join(work, name);
  };
  await finishWorkingDir(work, await folder('a-failed', 300_000), true, now, 1_000_000);
  assert.equal(await readFile(join(work, 'a-failed', '.lifeboat-kept'), 'utf8'), `${at(0)}\n300000\n`, 'the marker holds the time and the size');
  // An older marker: the time alone. Its folder is measured (500 KB).
  await folder('b-older', 500_000);
  await writeFile(join(work, 'b-older', '.lifeboat-kept'), `${at(60_000)}\n`);
  // A marker's size is believed: this one says 10 bytes (had its 400 KB been measured, both older folders would go).
  await folder('c-told', 400_000);
  await writeFile(join(work, 'c-told', '.lifeboat-kept'), `${at(120_000)}\n10\n`);
  await removeOldWorkingDirs(work, new Date(now.getTime() + 180_000), 700_000);
  assert.deepEqual(
    (await readdir(work)).sort(),
    ['b-older', 'c-told'],
    '300 000 + 500 000 (measured) + 10 (told) is over the cap: the oldest went, and the rest fit',
  );
});
