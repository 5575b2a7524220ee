import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
// The same command lines as the `lifeboat` binary, run in this process: the outcomes are the engine's, not start-up's.
import { lifeboatInProcess as lifeboat } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

type Behaviour = 'exit 0' | 'exit 1' | 'exit 75' | 'timeout';
type OnError = 'fail' | 'skip' | 'ignore' | 'defer';

const SCRIPTS: Record<Behaviour, string> = {
  'exit 0': 'echo preparing; exit 0',
  'exit 1': 'echo "database is down" >&2; exit 1',
  'exit 75': 'echo "drive not connected"; exit 75',
  timeout: 'sleep 30',
};

/** [behaviour, onError] → [status, exit code of lifeboat run, reason] */
const EXPECTED: Array<[Behaviour, OnError, string, number, string | null]> = [
  ['exit 0', 'fail', 'success', 0, null],
  ['exit 0', 'skip', 'success', 0, null],
  ['exit 0', 'ignore', 'success', 0, null],
  ['exit 0', 'defer', 'success', 0, null],
  ['exit 1', 'fail', 'failure', 1, 'Hook "check" failed (exit 1): database is down'],
  ['exit 1', 'skip', 'skipped', 75, 'Hook "check" failed (exit 1): database is down'],
  ['exit 1', 'ignore', 'warning', 0, 'Hook "check" failed (exit 1): database is down'],
  ['exit 1', 'defer', 'skipped', 75, 'Hook "check" failed (exit 1): database is down (deferred: tried again when that can have changed, or in 10 min)'],
  ['exit 75', 'fail', 'skipped', 75, 'drive not connected'],
  ['exit 75', 'skip', 'skipped', 75, 'drive not connected'],
  ['exit 75', 'ignore', 'skipped', 75, 'drive not connected'],
  ['exit 75', 'defer', 'skipped', 75, 'drive not connected'],
  ['timeout', 'fail', 'failure', 1, 'Hook "check" timed out after 1s and was stopped'],
  ['timeout', 'skip', 'skipped', 75, 'Hook "check" timed out after 1s and was stopped'],
  ['timeout', 'ignore', 'warning', 0, 'Hook "check" timed out after 1s and was stopped'],
  ['timeout', 'defer', 'skipped', 75, 'Hook "check" timed out after 1s and was stopped (deferred: tried again when that can have changed, or in 10 min)'],
];

test('exit codes 0 / 1 / 75 / timeout × each onError: run status, after-hooks, exit code', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const marks = join(root, 'marks');
  await mkdir(marks);
  const record = 'echo "$LIFEBOAT_EVENT $LIFEBOAT_STATUS" >> "$MARKS/$LIFEBOAT_PLAN_ID"';
  const plans = EXPECTED.map(([behaviour, onError], index) => ({
    id: `case-${index}`,
    sources: [source],
    hooks: [
      { id: 'check', on: ['backup.before'], onError, timeout: '1s', script: { command: SCRIPTS[behaviour] } },
      { id: 'cleanup', on: ['backup.after'], env: { MARKS: marks }, script: { command: record } },
      { id: 'end', on: ['run.end'], env: { MARKS: marks }, script: { command: record } },
      {
        id: 'alarm',
        on: ['run.end'],
        states: ['failure'],
        env: { MARKS: marks },
        script: { command: 'echo "alarm $LIFEBOAT_ERROR" >> "$MARKS/$LIFEBOAT_PLAN_ID"' },
      },
    ],
  }));
  const setup = await writeSetup(root, plans);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);

  for (const [index, [behaviour, onError, status, code, reason]] of EXPECTED.entries()) {
    const label = `${behaviour} with onError "${onError}"`;
    const result = await lifeboat(setup.args('run', `case-${index}`, '--json'), { env: setup.env });
    const run = JSON.parse(result.stdout);
    assert.equal(run.status, status, label);
    assert.equal(result.code, code, label);
    assert.equal(run.reason, reason, label);
    const backedUp = run.steps.some((step: { name: string }) => step.name === 'backup');
    assert.equal(backedUp, status === 'success' || status === 'warning', `${label}: backup ran only when the hook let it`);
    const marksText = await readFile(join(marks, `case-${index}`), 'utf8');
    const expectedMarks = [`backup.after ${status}`, `run.end ${status}`, ...(status === 'failure' ? [`alarm ${reason}`] : [])];
    assert.deepEqual(marksText.trim().split('\n').sort(), expectedMarks.sort(), `${label}: the after-hooks that ran`);
    if (behaviour === 'timeout') {
      // The hook's own step, not the run (which may back up after it): stopped at its timeout, never its 30 s sleep.
      const hook = run.steps.find((step: { name: string }) => step.name === 'check');
      assert.ok(hook.durationMs < 1000 + 5000 + 4000, `${label}: the hook ended within timeout + grace (${hook.durationMs} ms)`);
    }
  }
});

test('a skipped run fires no failure hooks; a manual run bypasses a scheduled-only condition', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      hooks: [
        { id: 'usb', on: ['run.start'], condition: { type: 'path', path: join(root, 'usb-drive') } },
        { id: 'alarm', on: ['run.end'], states: ['failure'], script: { command: `touch ${join(root, 'alarm-fired')}` } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const scheduled = await lifeboat(setup.args('run', 'docs', '--trigger', 'schedule', '--json'), { env: setup.env });
  assert.equal(scheduled.code, 75);
  const skippedRun = JSON.parse(scheduled.stdout);
  assert.equal(skippedRun.status, 'skipped');
  assert.equal(skippedRun.trigger, 'schedule');
  assert.equal(skippedRun.reason, `${join(root, 'usb-drive')} does not exist (is the drive connected?)`);
  await assert.rejects(readFile(join(root, 'alarm-fired')), { code: 'ENOENT' }, 'a skip is not a failure');

  const manual = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(manual.code, 0);
  const manualRun = JSON.parse(manual.stdout);
  assert.equal(manualRun.status, 'success');
  const usb = manualRun.steps.find((step: { name: string }) => step.name === 'usb');
  assert.equal(usb.status, 'skipped');
  assert.match(usb.output, /Bypassed: this run was started by a person \(cli\)/);
});
