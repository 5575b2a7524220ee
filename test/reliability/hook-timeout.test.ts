import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { processesInGroup, processesMatching } from './helpers/common.ts';

test('a hook that forks grandchildren (one ignoring SIGTERM, one double-forked) and times out leaves zero processes, by process group and by name', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const marker = `${5000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  const pgidFile = join(root, 'pgid');
  // The hook records its process group, then: a background sleep, a grandchild that ignores
  // SIGTERM, a double fork (orphaned to init, still in the group) and a foreground sleep.
  const script = [
    '#!/bin/sh',
    `ps -o pgid= -p $$ | tr -d ' ' > '${pgidFile}'`,
    `sleep ${marker}0 &`,
    `sh -c 'trap "" TERM; sleep ${marker}1' &`,
    `sh -c 'sh -c "sleep ${marker}2" & exit 0'`,
    `sleep ${marker}3`,
  ].join('\n');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [{ id: 'slow', on: ['backup.before'], timeout: '1s', script: { inline: script } }] },
  ]);
  t.after(() => {
    for (const line of processesMatching(`sleep ${marker}`)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
  });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'failure');
  assert.equal(run.reason, 'Hook "slow" timed out after 1s and was stopped');
  const pgid = Number((await readFile(pgidFile, 'utf8')).trim());
  assert.ok(pgid > 1, 'the hook recorded its process group');
  assert.notEqual(pgid, process.pid, 'the hook had a group of its own');
  assert.deepEqual(processesInGroup(pgid), [], 'nothing is left in the hook’s process group');
  assert.deepEqual(processesMatching(`sleep ${marker}`), [], 'no process of the hook survives by name');
  // The hook's own step, as the engine timed it: not Node's start-up or restic on a busy machine.
  const step = run.steps.find((candidate: { name: string }) => candidate.name === 'slow');
  assert.ok(step.durationMs < 1000 + 5000 + 3000, `stopped within timeout + grace (took ${step.durationMs} ms)`);
});
