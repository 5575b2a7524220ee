import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import { runHookProcess } from '../../main/core/hooks/hook-process.ts';
import type { RunEvent } from '../../main/core/runs/run-state.ts';
import { Redactor } from '../../main/core/util/redactor.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

const STAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z (stdout|stderr) /;

test('a hook printing many reads of lines on both streams: every line arrives once, in order, and the stored output keeps both ends', async () => {
  const seen = { stdout: [] as string[], stderr: [] as string[] };
  const result = await runHookProcess({
    file: '/bin/sh',
    args: ['-c', 'seq 1 200000; seq 1 50000 >&2'],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 60_000,
    onLine: (stream, line) => seen[stream].push(line),
  });
  assert.equal(result.exitCode, 0);
  assert.equal(seen.stdout.length, 200_000);
  assert.equal(seen.stderr.length, 50_000);
  assert.ok(
    seen.stdout.every((line, index) => line === String(index + 1)),
    'stdout lines in order',
  );
  assert.ok(
    seen.stderr.every((line, index) => line === String(index + 1)),
    'stderr lines in order',
  );
  const stored = result.output.split('\n').filter(Boolean);
  assert.match(stored[0]!, STAMP);
  assert.match(result.output, /\[… \d+ lines \(\d+ bytes\) left out …\]\n/);
  assert.ok(Buffer.byteLength(result.output) <= 1024 * 1024 + 100);
  assert.equal(result.lastLines.stdout, '200000');
  assert.equal(result.lastLines.stderr, '50000');
});

test('a line a hook writes in pieces, with pauses between, arrives whole: a secret and a character split across reads included', async () => {
  const redactor = new Redactor().add('hunter2-very-secret');
  const lines: string[] = [];
  const result = await runHookProcess({
    file: '/bin/sh',
    // The pauses are the hook's own: each piece reaches Lifeboat in a read of its own.
    args: ['-c', "printf 'a secret hunt'; sleep 0.2; printf 'er2-very-secret and 5\\342\\202'; sleep 0.2; printf '\\254 end\\n'"],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 60_000,
    redact: (text) => redactor.redact(text),
    onLine: (_stream, line) => lines.push(line),
  });
  assert.deepEqual(lines, ['a secret [redacted] and 5€ end']);
  assert.match(result.output, / stdout a secret \[redacted\] and 5€ end\n$/);
});

test('directives split across reads and buried in a flood far past what is stored are still honoured; a secret split across reads is redacted', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  // Two megabytes of lines, then a directive written in two pieces, then the repository password in two pieces.
  const flood = "yes 'filler line of a hook that prints a lot' | head -c 2000000";
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      hooks: [
        {
          id: 'misplaced',
          on: ['run.start'],
          script: { command: `${flood}; printf 'LIFEBOAT_SNAPSH'; sleep 0.2; printf 'OT_PATH=/tmp/x\\n'; ${flood}` },
        },
        {
          id: 'wrong-source',
          on: ['backup.before'],
          script: {
            command: `${flood}; printf 'LIFEBOAT_SNAPSHOT_PATH[/no/such'; sleep 0.2; printf '/source]=/tmp/x\\n'; printf 'password: correct horse'; sleep 0.2; printf ' battery staple\\n'`,
          },
        },
      ],
    },
  ]);
  const misplaced = JSON.parse((await lifeboatHere(setup, 'hooks', 'test', 'docs', 'misplaced', '--json')).stdout);
  assert.equal(misplaced.reason, 'Hook "misplaced": LIFEBOAT_SNAPSHOT_PATH only works in backup.before hooks (this is run.start)');
  assert.ok(!misplaced.output.includes('LIFEBOAT_SNAPSHOT_PATH'), 'the directive itself was left out of what is stored');
  assert.ok(Buffer.byteLength(misplaced.output) <= 1024 * 1024 + 100);

  const wrong = JSON.parse((await lifeboatHere(setup, 'hooks', 'test', 'docs', 'wrong-source', '--json')).stdout);
  assert.match(wrong.reason, /^Hook "wrong-source": LIFEBOAT_SNAPSHOT_PATH\[\/no\/such\/source\] names no source of this plan/);
  assert.match(wrong.output, / stdout password: \[redacted\]\n$/);
  assert.ok(!wrong.output.includes('battery'), 'no piece of the password is stored');
});

test('hook output reaches every listener that reads it; one that says it ignores it gets none, and the run keeps the output and its directive', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [await smallSource(root)],
      hooks: [{ id: 'talk', on: ['backup.before'], script: { command: 'seq 1 30000; echo LIFEBOAT_WARNING=disk nearly full' } }],
    },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const outputOf = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'output' ? event.text.split('\n') : []));

  // Nobody reads output: neither the caller (output: false) nor any subscriber.
  const quiet: RunEvent[] = [];
  const unheard = await engine.runPlan('docs', { onEvent: (event) => quiet.push(event), output: false });
  assert.equal(unheard.status, 'warning');
  assert.equal(unheard.reason, 'disk nearly full');
  assert.deepEqual(outputOf(quiet), []);
  assert.ok(
    quiet.some((event) => event.type === 'step-ended'),
    'the other events still come',
  );
  const stored = unheard.steps.find((step) => step.name === 'talk')!.output;
  assert.match(stored, / stdout 1\n/);
  assert.match(stored, / stdout LIFEBOAT_WARNING=disk nearly full\n$/);

  // A subscriber that reads output (a UI) gets every line, though the caller still ignores it.
  const heard: RunEvent[] = [];
  const unsubscribe = engine.subscribe((event) => heard.push(event));
  const ignored: RunEvent[] = [];
  const followed = await engine.runPlan('docs', { onEvent: (event) => ignored.push(event), output: false });
  unsubscribe();
  assert.equal(followed.status, 'warning');
  const lines = outputOf(heard);
  assert.equal(lines.length, 30_001);
  assert.equal(lines[29_999], '30000');
  assert.equal(lines.at(-1), 'LIFEBOAT_WARNING=disk nearly full');
  // The caller's listener hears the output too once anyone reads it: the events are one stream.
  assert.equal(outputOf(ignored).length, 30_001);
  const unstamped = (text: string) => text.replace(/^\S+ stdout /gm, '');
  assert.equal(unstamped(followed.steps.find((step) => step.name === 'talk')!.output), unstamped(stored), 'stored alike, heard or not');
});

test('a flood with a secret on every line that nobody follows: every stored line is whole and redacted, and so is the directive after it', async () => {
  const redactor = new Redactor().add('hunter2-very-secret');
  const directives: string[] = [];
  const result = await runHookProcess({
    file: '/bin/sh',
    args: ['-c', "yes 'token hunter2-very-secret end' | head -c 19999980; echo 'LIFEBOAT_WARNING=done hunter2-very-secret'"],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 60_000,
    redactor,
    onLines: () => assert.fail('nobody follows this output'),
    wantsLines: () => false,
    watch: { text: 'LIFEBOAT_', onLine: (_stream, line) => directives.push(line) },
  });
  assert.equal(result.exitCode, 0);
  assert.ok(!result.output.includes('hunter2'), 'no secret stored');
  const lines = result.output
    .replace(/\[… \d+ lines \(\d+ bytes\) left out …\]\n/, '')
    .split('\n')
    .slice(0, -1);
  const odd = lines.filter((line) => !/^\S+ stdout (token \[redacted\] end|LIFEBOAT_WARNING=done \[redacted\])$/.test(line));
  assert.deepEqual(odd, [], 'every stored line whole and redacted');
  assert.deepEqual(directives, ['LIFEBOAT_WARNING=done [redacted]']);
  assert.equal(result.lastLines.stdout, 'LIFEBOAT_WARNING=done [redacted]');
});
