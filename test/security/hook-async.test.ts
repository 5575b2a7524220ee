import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

test('an async run.start hook that outlasts two runs holds nothing: the run ends, the repository queue moves on, and its step (and a timed-out one) reach history when they end', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const done = join(root, 'async-done');
  // The slow hook ends only once the test opens its gate, after both runs have ended: no race with the machine's speed.
  const gate = join(root, 'gate');
  const hooks = [
    {
      id: 'slow',
      on: ['run.start'],
      mode: 'async',
      timeout: '30s',
      script: { command: `until [ -e '${gate}' ]; do sleep 0.05; done; echo finished late; touch '${done}'` },
    },
    { id: 'stuck', on: ['run.start'], mode: 'async', timeout: '2s', script: { command: 'sleep 300' } },
  ];
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks },
    { id: 'other', sources: [source] },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const first = await engine.runPlan('docs');
  assert.equal(first.status, 'success', first.reason ?? '');
  assert.equal(existsSync(done), false, 'the run ended before its async hook did');
  // Same repository: the queue is not held by the async hook.
  const second = await engine.runPlan('other');
  assert.equal(second.status, 'success');
  assert.equal(existsSync(done), false, 'the next run of the repository ended before the async hook did');

  const opened = Date.now();
  await writeFile(gate, '');
  await engine.flushMonitors();
  assert.equal(existsSync(done), true);
  const stored = await engine.history.get(first.id);
  assert.ok(stored);
  assert.equal(stored.status, 'success', 'an async hook cannot change the outcome');
  assert.equal(stored.endedAt, first.endedAt, 'nor its end');
  const slow = stored.steps.find((step) => step.name === 'slow');
  assert.equal(slow?.status, 'success');
  assert.match(slow.output, /stdout finished late/);
  assert.ok(slow.durationMs >= opened - Date.parse(first.endedAt!), `${slow.durationMs}: it ran on after its run ended, until the gate opened`);
  const stuck = stored.steps.find((step) => step.name === 'stuck');
  assert.equal(stuck?.status, 'failure', 'its timeout is still enforced');
});
