import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { processIsAlive } from '../../main/core/util/process-alive.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

test('a hook that leaves a setsid process holding its output does not hold the run: a warning names the process, which is left running', async (t) => {
  const root = await tempDir(t);
  const marker = `${5000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  const pidFile = join(root, 'daemon.pid');
  // The daemon keeps the hook's stdout and stderr; `exec` so its pid is the one written down. The hook
  // exits once the daemon is in place (its own session, running sleep), however slow the machine.
  const command = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep ${marker}' & until [ -s ${pidFile} ] && grep -q '^sleep' /proc/$(cat ${pidFile})/cmdline 2>/dev/null; do sleep 0.05; done; echo started`;
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [await smallSource(root)], hooks: [{ id: 'service', on: ['backup.after'], script: { command } }] },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const run = JSON.parse(result.stdout);
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  t.after(() => {
    if (processIsAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  const step = run.steps.find((candidate: { name: string }) => candidate.name === 'service');
  assert.ok(step.durationMs < 30_000, `the hook step took ${step.durationMs} ms: it waited for the process it left (sleep ${marker} s)`);
  assert.equal(run.status, 'warning', run.reason);
  assert.match(run.reason, new RegExp(`Hook "service" exited, but process ${pid} \\(sleep ${marker.replace('.', '\\.')}\\) still held its output`));
  assert.equal(step.status, 'warning');
  assert.match(step.output, /stdout started/);
  assert.equal(processIsAlive(pid), true, 'the leftover process is not killed');
});
