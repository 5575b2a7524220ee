import '../helpers/use-fake-electron.ts';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HookEvent } from '../../main/core/config/schema.ts';
import { Engine } from '../../main/core/engine.ts';
import { headlessPlatform } from '../../main/core/platform/headless.ts';
import type { RunState } from '../../main/core/runs/run-state.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const fake = await import('../helpers/fake-electron.ts');
const { electronKeepAwake } = await import('../../main/electron/power.ts');
const blocker = fake.powerSaveBlocker;

/** Every start has exactly one stop of the same id, after it; nothing is left started. */
function assertPaired(from: number): void {
  const calls = blocker.history.slice(from);
  const started = calls.filter((call) => call.call === 'start');
  for (const start of started) {
    assert.equal(start.type, 'prevent-app-suspension');
    const stops = calls.filter((call) => call.call === 'stop' && call.id === start.id);
    assert.equal(stops.length, 1, `blocker ${start.id} stopped once`);
    assert.ok(calls.indexOf(stops[0]!) > calls.indexOf(start));
  }
  assert.equal(calls.length, started.length * 2);
  assert.equal(blocker.active.size, 0, 'no blocker left started');
}

test('each hold starts one powerSaveBlocker ("prevent-app-suspension") and its release stops that one, once', async () => {
  const from = blocker.history.length;
  const awake = electronKeepAwake(blocker as unknown as Electron.PowerSaveBlocker);
  const first = await awake.keepAwake('Lifeboat: backing up Documents');
  const second = await awake.keepAwake('Lifeboat: backing up Photos');
  assert.equal(first.via, 'electron');
  assert.equal(blocker.active.size, 2, 'two runs at once hold two blockers');
  await second.release();
  await second.release(); // twice: still one stop
  assert.equal(blocker.active.size, 1, 'the other run still holds its own');
  await first.release();
  assertPaired(from);
});

test('runs in the desktop app hold a blocker while they run and stop it however they end: failure, a hook runner that throws; a hook test takes none', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'docs');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a');
  const setup = await writeSetup(root, [
    { id: 'docs', name: 'Documents', sources: [source], hooks: [{ id: 'no', on: ['run.start'], script: { command: 'exit 1' } }] },
  ]);
  const platform = { ...headlessPlatform(), awake: electronKeepAwake(blocker as unknown as Electron.PowerSaveBlocker) };
  const from = blocker.history.length;

  const heldDuring: number[] = [];
  const observing = {
    dispatch: async (event: HookEvent, _run: RunState) => {
      heldDuring.push(blocker.active.size);
      if (event === 'run.start') throw new Error('the hook runner broke');
    },
  };
  const throwing = await Engine.open({
    configFile: setup.configFile,
    dataDir: setup.dataDir,
    env: { ...process.env, ...setup.env },
    platform,
    hooks: observing,
  });
  const broken = await throwing.runPlan('docs');
  assert.equal(broken.status, 'failure');
  assert.equal(broken.keepAwake, 'electron');
  assert.deepEqual(heldDuring, [1, 1], 'held while run.start and run.end ran');

  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env }, platform });
  const failed = await engine.runPlan('docs');
  assert.equal(failed.status, 'failure');
  assert.equal(failed.keepAwake, 'electron');
  assert.equal((await engine.runPlan('docs')).keepAwake, 'electron');
  const check = await engine.verifyPlan('docs');
  assert.equal(check.keepAwake, 'electron', 'a restore check holds one too');

  const before = blocker.history.length;
  await engine.testHook('docs', 'no');
  assert.equal(blocker.history.length, before, 'a hook test takes no blocker');
  assertPaired(from);
  assert.equal(blocker.history.filter((call, i) => i >= from && call.call === 'start').length, 4);
});
