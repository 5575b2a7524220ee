import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { LIFEBOAT_BIN, lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

function processesMatching(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

test('a hook that starts grandchildren and times out leaves zero processes, within timeout + grace', async (t) => {
  const root = await tempDir(t);
  const marker = `${3000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  // A background sleep, a grandchild that ignores SIGTERM (SIGKILL must follow), and a foreground sleep.
  const script = `#!/bin/sh\nsleep ${marker} &\nsh -c 'trap "" TERM; sleep ${marker}1' &\nsleep ${marker}2\n`;
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [await smallSource(root)], hooks: [{ id: 'slow', on: ['run.start'], timeout: '2s', script: { inline: script } }] },
  ]);
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'failure');
  assert.equal(run.reason, 'Hook "slow" timed out after 2s and was stopped');
  assert.equal(result.code, 1);
  assert.deepEqual(processesMatching(`sleep ${marker}`), [], 'no process of the hook survives');
  // The hook's own step, as the engine timed it: not Node's start-up or restic on a busy machine.
  const step = run.steps.find((candidate: { name: string }) => candidate.name === 'slow');
  assert.ok(step.durationMs < 2000 + 5000 + 3000, `the hook was stopped within timeout + grace (took ${step.durationMs} ms)`);
});

test('a hook that exits but leaves a process behind has that process stopped too, and its output says so and how to keep one', async (t) => {
  const root = await tempDir(t);
  const marker = `${4000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [await smallSource(root)], hooks: [{ id: 'leaky', on: ['run.end'], script: { command: `sleep ${marker} & echo started` } }] },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'success');
  assert.deepEqual(processesMatching(`sleep ${marker}`), []);
  const step = run.steps.find((candidate: { name: string }) => candidate.name === 'leaky');
  assert.match(
    step.output,
    /stderr Lifeboat stopped the processes this hook left running in its process group when it exited\. Start one meant to keep running with setsid/,
  );
});

test('a hook that times out has what it started with setsid stopped too, double-forked daemons and one ignoring SIGTERM included', async (t) => {
  const root = await tempDir(t);
  const marker = `${6000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  t.after(() => {
    for (const line of processesMatching(`sleep ${marker}`)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
  });
  // Each leaves the hook's process group (its own session), so a signal to the group misses it.
  const script = [
    '#!/bin/bash',
    `setsid sleep ${marker}1 >/dev/null 2>&1 </dev/null &`,
    `setsid bash -c 'trap "" TERM; sleep ${marker}2' >/dev/null 2>&1 </dev/null &`,
    // A daemon's double fork: its parent ends at once, so nothing links it to the hook but what it inherited.
    `( setsid sleep ${marker}4 >/dev/null 2>&1 </dev/null & )`,
    `( setsid bash -c 'trap "" TERM; sleep ${marker}5' >/dev/null 2>&1 </dev/null & )`,
    `sleep ${marker}3`,
  ].join('\n');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [await smallSource(root)], hooks: [{ id: 'slow', on: ['run.start'], timeout: '2s', script: { inline: script } }] },
  ]);
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const run = JSON.parse(result.stdout);
  assert.equal(run.reason, 'Hook "slow" timed out after 2s and was stopped');
  // The one ignoring SIGTERM gets SIGKILL when the grace ends, after the run may have ended.
  await waitFor(() => processesMatching(`sleep ${marker}`).length === 0, 'no process of the hook left', 15_000).catch(() => undefined);
  assert.deepEqual(processesMatching(`sleep ${marker}`), [], 'no process the hook started survives');
});

test("a daemon an earlier hook left running on purpose survives a later hook's timeout in the same event", async (t) => {
  const root = await tempDir(t);
  const marker = `${7000 + Math.floor(Math.random() * 1000)}.${process.pid}`;
  t.after(() => {
    for (const line of processesMatching(`sleep ${marker}`)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
  });
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [await smallSource(root)],
      hooks: [
        // A service started the way a daemon starts: meant to outlive its hook (SPEC §4).
        { id: 'service', on: ['run.start'], script: { inline: `( setsid sleep ${marker}1 >/dev/null 2>&1 </dev/null & )\necho started` } },
        { id: 'slow', on: ['run.start'], timeout: '2s', script: { inline: `( setsid sleep ${marker}2 >/dev/null 2>&1 </dev/null & )\nsleep ${marker}3` } },
      ],
    },
  ]);
  const run = JSON.parse((await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env })).stdout);
  assert.equal(run.reason, 'Hook "slow" timed out after 2s and was stopped');
  await waitFor(() => processesMatching(`sleep ${marker}`).length <= 1, 'the timed-out hook stopped', 15_000).catch(() => undefined);
  const left = processesMatching(`sleep ${marker}`).map((line) => line.split(' ').slice(1).join(' '));
  assert.deepEqual(left, [`sleep ${marker}1`], "only the earlier hook's daemon is still running");
});

test('a hook printing 200 MB: the run completes, stored output stays within 1 MiB plus a marker, memory stays bounded', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [await smallSource(root)],
      hooks: [
        {
          id: 'flood',
          on: ['run.start'],
          timeout: '2m',
          script: { command: "yes 'the same line of hook output, over and over, to fill the pipe' | head -c 200000000; echo; echo done" },
        },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const child = spawn(process.execPath, [LIFEBOAT_BIN, ...setup.args('run', 'docs', '--json')], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  let peakKb = 0;
  const sampler = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peakKb = Math.max(peakKb, hwm);
  }, 50);
  await new Promise((resolve) => child.once('close', resolve));
  clearInterval(sampler);
  const run = JSON.parse(stdout);
  assert.equal(run.status, 'success', run.reason);
  const flood = run.steps.find((step: { name: string }) => step.name === 'flood');
  assert.ok(Buffer.byteLength(flood.output) <= 1024 * 1024 + 200, `stored ${Buffer.byteLength(flood.output)} bytes`);
  assert.match(flood.output, /\[… \d+ lines \(\d+ bytes\) left out …\]/);
  assert.ok(flood.output.endsWith(' stdout done\n'), `the tail of the output is kept: …${flood.output.slice(-120)}`);
  assert.ok(peakKb > 0, 'memory was sampled');
  assert.ok(peakKb < 200 * 1024, `peak RSS ${Math.round(peakKb / 1024)} MiB`);
});

test('an async hook does not hold up the run or change its status, and its output is still recorded', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [await smallSource(root)],
      hooks: [
        // It ends only after run.end has begun: proof, not timing, that nothing waited for it.
        {
          id: 'background',
          on: ['run.start'],
          mode: 'async',
          script: { command: `until [ -e ${join(root, 'run-ending')} ]; do sleep 0.1; done; echo finished late; exit 3` },
        },
        { id: 'next', on: ['run.start'], script: { command: 'echo next ran' } },
        { id: 'ending', on: ['run.end'], script: { command: `touch ${join(root, 'run-ending')}` } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'success', 'an async hook cannot fail the run');
  const names = run.steps.map((step: { name: string }) => step.name);
  assert.ok(names.indexOf('next') < names.indexOf('background'), `the run went on while the async hook ran: ${names.join(', ')}`);
  assert.ok(names.indexOf('backup') < names.indexOf('background'), 'the backup did not wait for it');
  const background = run.steps.find((step: { name: string }) => step.name === 'background');
  assert.equal(background.exitCode, 3);
  assert.equal(background.status, 'failure');
  assert.match(background.output, /stdout finished late/);
});
