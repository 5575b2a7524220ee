import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { processStat } from '../../main/core/util/process-stat.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

/** A hook that notes when it starts and ends (`<plan> start|end <ms>`), holding the run for a while between. */
const noted = (marks: string, seconds: number) => ({
  id: 'paired',
  on: ['backup.before'],
  script: { command: `echo "$LIFEBOAT_PLAN_ID start $(date +%s%N)" >> '${marks}'; sleep ${seconds}; echo "$LIFEBOAT_PLAN_ID end $(date +%s%N)" >> '${marks}'` },
});

test('two lifeboat run processes on one repository (the same plan, and another plan) never run at once: the later ones wait and say for whom', async (t) => {
  const root = await tempDir(t);
  const marks = join(root, 'marks');
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [noted(marks, 2)] },
    { id: 'other', sources: [source], hooks: [noted(marks, 1)] },
  ]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  // Each a process of its own, started while the one before is in its hook.
  const first = lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  await waitFor(async () => (await readFile(marks, 'utf8').catch(() => '')).includes('start'), 'the first run to be in its hook');
  const second = lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  const third = lifeboat(setup.args('run', 'other', '--json'), { env: setup.env });
  const [one, two, three] = await Promise.all([first, second, third]);
  for (const run of [one, two, three]) assert.equal(JSON.parse(run.stdout).status, 'success', run.stderr);
  // Each hook's start comes after the end of the one before it: no two runs were inside their hooks together.
  const lines = (await readFile(marks, 'utf8')).trim().split('\n');
  const events = lines.map((line) => line.split(' ')).map(([plan, what, at]) => ({ plan, what, at: BigInt(at!) }));
  assert.equal(events.length, 6, lines.join('\n'));
  for (let at = 0; at < events.length; at += 2) {
    assert.equal(events[at]!.what, 'start', lines.join('\n'));
    assert.equal(events[at + 1]!.what, 'end', lines.join('\n'));
    assert.equal(events[at]!.plan, events[at + 1]!.plan, `a run ended before another started:\n${lines.join('\n')}`);
  }
  for (const waiting of [two, three]) {
    assert.match(waiting.stderr, /Waiting for another Lifeboat \(PID \d+, since .+\) to finish with repository "local"/);
  }
  assert.doesNotMatch(one.stderr, /Waiting for/);
});

test('a repository lock left by a process that is gone, by a PID now running something else, or never written, is taken over', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [await smallSource(root)] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const locks = join(setup.dataDir, 'locks');
  await mkdir(locks, { recursive: true });
  const lock = join(locks, 'repository-local.lock');
  const gone = spawnSync('true').pid!;
  const reused = { pid: process.pid, processStart: `${Number(processStat(process.pid)?.start) - 1}` };
  const cases: Array<[string, () => Promise<void>]> = [
    ['a process that is gone', () => writeFile(lock, JSON.stringify({ pid: gone, since: '2026-01-01T00:00:00Z', nonce: 'gone' }))],
    ['a PID reused by a running process', () => writeFile(lock, JSON.stringify({ ...reused, since: '2026-01-01T00:00:00Z', nonce: 'reused' }))],
    [
      'a file never written (its process died at once)',
      async () => {
        await writeFile(lock, '');
        await utimes(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      },
    ],
  ];
  for (const [what, leave] of cases) {
    await leave();
    const run = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
    assert.equal(run.code, 0, `${what}: ${run.stderr}`);
    assert.equal(JSON.parse(run.stdout).status, 'success', what);
    await assert.rejects(readFile(lock), { code: 'ENOENT' }, `${what}: the run let go of the lock it took over`);
  }
});
