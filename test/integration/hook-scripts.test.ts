import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
// The same command lines as the `lifeboat` binary, run in this process: these tests are about hooks, not start-up.
import { lifeboatInProcess as lifeboat } from '../helpers/cli-in-process.ts';
import { HOSTILE } from '../helpers/hostile.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';
import { describeTree, smallSource } from '../helpers/tree.ts';

test('injection: hostile plan names and errors reach the script verbatim as one argument through {{…}}, and no command runs', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const pwned = '/tmp/lifeboat-pwned';
  const out = join(root, 'out');
  await mkdir(out);
  const capture = (name: string) => `printf '%s' "$#" > "$OUT/${name}.argc"; printf '%s' "$1" > "$OUT/${name}.value"`;
  const plans = HOSTILE.map((value, index) => ({
    id: `p${index}`,
    name: value || ' ',
    sources: [source],
    hooks: [
      { id: 'fail', on: ['run.start'], env: { OUT: out, VALUE: value }, script: { command: 'printf "%s\\n" "$VALUE" >&2; exit 1' } },
      { id: 'name', on: ['run.end'], env: { OUT: out }, script: { inline: `set -- {{LIFEBOAT_PLAN_NAME}}\n${capture(`name-${index}`)}` } },
      { id: 'error', on: ['run.end'], env: { OUT: out }, script: { command: `set -- {{LIFEBOAT_ERROR}}; ${capture(`error-${index}`)}` } },
    ],
  }));
  const setup = await writeSetup(root, plans);
  for (const [index, value] of HOSTILE.entries()) {
    const result = await lifeboat(setup.args('run', `p${index}`, '--json'), { env: setup.env });
    const run = JSON.parse(result.stdout);
    assert.equal(run.status, 'failure', JSON.stringify(value));
    const name = value || ' ';
    assert.equal(await readFile(join(out, `name-${index}.argc`), 'utf8'), '1', `plan name ${JSON.stringify(value)} is one argument`);
    assert.equal(await readFile(join(out, `name-${index}.value`), 'utf8'), name);
    assert.equal(await readFile(join(out, `error-${index}.argc`), 'utf8'), '1', `error for ${JSON.stringify(value)} is one argument`);
    assert.equal(await readFile(join(out, `error-${index}.value`), 'utf8'), run.reason);
  }
  await assert.rejects(stat(pwned), { code: 'ENOENT' }, 'no injected command ran');
});

test('LIFEBOAT_SNAPSHOT_PATH in backup.before redirects the backup; the snapshot holds the redirected content and remembers the source', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const script = [
    '#!/bin/sh',
    'snap="$LIFEBOAT_WORKING_DIR/frozen"',
    'mkdir -p "$snap" && cp -a "$LIFEBOAT_SOURCES/." "$snap/" && echo "frozen copy" > "$snap/marker.txt"',
    'echo "LIFEBOAT_SNAPSHOT_PATH=$snap"',
  ].join('\n');
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      hooks: [
        { id: 'freeze', on: ['backup.before'], script: { inline: script } },
        { id: 'thaw', on: ['backup.after'], script: { command: 'rm -rf "$LIFEBOAT_WORKING_DIR/frozen"' } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const run = JSON.parse((await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env })).stdout);
  assert.equal(run.status, 'success', run.reason);
  const [snapshot] = JSON.parse((await lifeboat(setup.args('snapshots', 'docs', '--json'), { env: setup.env })).stdout);
  const frozen = join(setup.dataDir, 'work', run.id, 'frozen');
  assert.deepEqual(snapshot.paths, [frozen]);
  assert.ok(snapshot.tags.includes(`source:${source}`), snapshot.tags.join(', '));
  const target = join(root, 'restored');
  await lifeboat(setup.args('restore', 'docs', 'latest', '--target', target), { env: setup.env });
  assert.deepEqual(
    await describeTree(join(target, frozen)),
    [...(await describeTree(source)), `file marker.txt 12 ${createHash('sha256').update('frozen copy\n').digest('hex')}`].sort(),
  );
});

test('a script path that is missing, not executable or without #! fails the run with the sentence that fixes it', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const noExec = join(root, 'not-executable.sh');
  await writeFile(noExec, '#!/bin/sh\necho hi\n');
  const noShebang = join(root, 'no-shebang.sh');
  await writeFile(noShebang, 'echo hi\n');
  await chmod(noShebang, 0o755);
  const missing = join(root, 'missing.sh');
  const cases: Array<[string, string]> = [
    [missing, `The hook script ${missing} does not exist. Check the hook's "path", or create the script.`],
    [noExec, `The hook script ${noExec} is not executable. Make it so with: chmod +x ${noExec}`],
    [noShebang, `The hook script ${noShebang} does not start with "#!". Add a first line naming its interpreter, such as #!/bin/sh`],
  ];
  const setup = await writeSetup(
    root,
    cases.map(([path], index) => ({ id: `p${index}`, sources: [source], hooks: [{ id: 'prepare', on: ['backup.before'], script: { path } }] })),
  );
  for (const [index, [, sentence]] of cases.entries()) {
    const result = await lifeboat(setup.args('run', `p${index}`, '--json'), { env: setup.env });
    assert.equal(result.code, 1);
    const run = JSON.parse(result.stdout);
    assert.equal(run.status, 'failure');
    assert.equal(run.reason, sentence);
  }
});

test('hooks get the LIFEBOAT_* variables and a summary file, never the repository password', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const out = join(root, 'env');
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      name: 'My Documents',
      sources: [source],
      hooks: [
        { id: 'before', on: ['backup.before'], env: { OUT: `${out}.before` }, script: { command: 'env > "$OUT"' } },
        {
          id: 'after',
          on: ['backup.after'],
          env: { OUT: `${out}.after` },
          script: { command: 'env > "$OUT"; cp "$LIFEBOAT_SUMMARY_FILE" "$OUT.summary"; ls -ld "$LIFEBOAT_WORKING_DIR" > "$OUT.dir"' },
        },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const run = JSON.parse((await lifeboat(setup.args('run', 'docs', '--json'), { env: { ...setup.env, ALSO_THE_PASSWORD: setup.password } })).stdout);
  assert.equal(run.status, 'success', run.reason);
  const parse = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line.startsWith('LIFEBOAT_') || line.startsWith('RESTIC_'))
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
  const before = parse(await readFile(`${out}.before`, 'utf8'));
  const after = parse(await readFile(`${out}.after`, 'utf8'));
  assert.equal(before.LIFEBOAT_EVENT, 'backup.before');
  assert.equal(before.LIFEBOAT_RUN_ID, run.id);
  assert.deepEqual([before.LIFEBOAT_HOOK_ID, after.LIFEBOAT_HOOK_ID], ['before', 'after'], 'each hook is told its own id');
  assert.equal(before.LIFEBOAT_TRIGGER, 'cli');
  assert.equal(before.LIFEBOAT_PLAN_ID, 'docs');
  assert.equal(before.LIFEBOAT_PLAN_NAME, 'My Documents');
  assert.equal(before.LIFEBOAT_REPOSITORY, setup.repo);
  assert.equal(before.LIFEBOAT_SOURCES, source);
  assert.equal(before.LIFEBOAT_WORKING_DIR, join(setup.dataDir, 'work', run.id));
  assert.equal(before.LIFEBOAT_STATUS, undefined, 'before-hooks have no status yet');
  assert.equal(after.LIFEBOAT_STATUS, 'success');
  assert.equal(after.LIFEBOAT_SNAPSHOT_ID, run.snapshotId);
  const summary = JSON.parse(await readFile(`${out}.after.summary`, 'utf8'));
  assert.equal(summary.snapshotId, run.snapshotId);
  assert.deepEqual(
    summary.steps.map((step: { name: string }) => step.name),
    ['before', 'backup'],
  );
  assert.match(await readFile(`${out}.after.dir`, 'utf8'), /^drwx------/);
  for (const file of [`${out}.before`, `${out}.after`]) {
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes(setup.password), `the password reached ${file}`);
    assert.ok(!/^RESTIC_|^LIFEBOAT_TEST_PASSWORD=/m.test(text), 'no restic or password variable');
  }
});

test('with hooks turned off (an imported config) no hook runs and the run says so', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const marker = join(root, 'ran');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [source], hooks: [{ id: 'touch', on: ['run.start'], script: { command: `touch ${marker}` } }] },
  ]);
  const config = JSON.parse(await readFile(setup.configFile, 'utf8'));
  await writeFile(setup.configFile, JSON.stringify({ ...config, settings: { hooksEnabled: false } }));
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const run = JSON.parse((await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env })).stdout);
  assert.equal(run.status, 'warning');
  assert.equal(run.reason, 'Hooks are off (settings.hooksEnabled is false), so 1 hook of this plan did not run. Read them, then turn hooks on.');
  await assert.rejects(stat(marker), { code: 'ENOENT' });
});

test('lifeboat hooks test runs one hook with sample variables and prints its output and verdict', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      hooks: [
        { id: 'hello', on: ['backup.after'], script: { command: 'echo "status=$LIFEBOAT_STATUS snapshot=$LIFEBOAT_SNAPSHOT_ID"' } },
        { id: 'usb', on: ['run.start'], condition: { type: 'path', path: join(root, 'usb') } },
        { id: 'broken', on: ['backup.before'], script: { command: 'echo nope >&2; exit 2' } },
      ],
    },
  ]);
  const hello = await lifeboat(setup.args('hooks', 'test', 'docs', 'hello'), { env: setup.env });
  assert.equal(hello.code, 0);
  assert.equal(hello.stdout.split('\n')[0], 'status=success snapshot=0123abcd');
  assert.match(hello.stdout, /✔ passed: Hook "hello" succeeded \(backup\.after, \d+ ms\)/);
  const usb = await lifeboat(setup.args('hooks', 'test', 'docs', 'usb'), { env: setup.env });
  assert.equal(usb.code, 75);
  assert.match(usb.stdout, new RegExp(`would skip the run \\(onError "skip"\\): ${join(root, 'usb').replace(/[/.]/g, '\\$&')} does not exist`));
  const broken = await lifeboat(setup.args('hooks', 'test', 'docs', 'broken', '--json'), { env: setup.env });
  assert.equal(broken.code, 1);
  const verdict = JSON.parse(broken.stdout);
  assert.equal(verdict.verdict, 'would fail the run: Hook "broken" failed (exit 2): nope');
  assert.equal(verdict.exitCode, 2);
  const wrongEvent = await lifeboat(setup.args('hooks', 'test', 'docs', 'hello', '--event', 'run.start'), { env: setup.env });
  assert.equal(wrongEvent.code, 2);
  assert.match(wrongEvent.stderr, /Hook "hello" is not bound to run\.start; it runs on backup\.after/);
  const unknown = await lifeboat(setup.args('hooks', 'test', 'docs', 'nope'), { env: setup.env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Plan "docs" has no hook "nope"\. Its hooks: hello, usb, broken\./);
});

test('restore.before and restore.after wrap a restore (started from the command line: trigger cli); a failing restore.before stops it and its after-hook still runs', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const log = join(root, 'restore.log');
  const note = (text: string) => `echo "${text} $LIFEBOAT_EVENT $LIFEBOAT_TRIGGER \${LIFEBOAT_STATUS:-}" >> ${log}`;
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      hooks: [
        { id: 'gate', on: ['restore.before'], script: { command: `${note('gate')}; test ! -e ${join(root, 'refuse')}` } },
        { id: 'done', on: ['restore.after'], script: { command: note('done') } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  await lifeboat(setup.args('run', 'docs'), { env: setup.env });
  const ok = await lifeboat(setup.args('restore', 'docs', 'latest', '--target', join(root, 'first')), { env: setup.env });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(await readFile(join(root, 'first', source, 'a.txt'), 'utf8'), 'a\n');
  await writeFile(join(root, 'refuse'), '');
  const refused = await lifeboat(setup.args('restore', 'docs', 'latest', '--target', join(root, 'second')), { env: setup.env });
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /Hook "gate" failed \(exit 1\)/);
  await assert.rejects(stat(join(root, 'second', source)), { code: 'ENOENT' }, 'nothing was restored');
  assert.deepEqual(
    (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.trim()),
    ['gate restore.before cli', 'done restore.after cli success', 'gate restore.before cli', 'done restore.after cli failure'],
  );
  const restores = JSON.parse((await lifeboat(setup.args('history', 'docs', '--json'), { env: setup.env })).stdout).filter(
    (run: { kind?: string }) => run.kind === 'restore',
  );
  assert.deepEqual(
    restores.map((run: { trigger: string }) => run.trigger),
    ['cli', 'cli'],
    'a restore the command line started is recorded as such, as lifeboat run, verify and copy are',
  );
});

test('hooks of one event run in the order listed, in their cwd, with LIFEBOAT_WARNING and invalid UTF-8 handled; a failure skips the rest of its phase', async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const elsewhere = join(root, 'elsewhere');
  await mkdir(elsewhere);
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      monitors: [{ type: 'healthchecks', url: 'https://hc-ping.example/secret-monitor-uuid' }],
      hooks: [
        { id: 'first', on: ['run.start'], cwd: elsewhere, script: { command: 'pwd; printf "bad \\377\\376 bytes\\n"; echo LIFEBOAT_WARNING=low disk space' } },
        { id: 'second', on: ['run.start'], script: { inline: 'env | grep -c secret-monitor-uuid || true' } },
        { id: 'third', on: ['backup.before'], script: { command: 'exit 4' } },
        { id: 'fourth', on: ['backup.before'], script: { command: 'echo never' } },
      ],
    },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: { ...setup.env, MONITOR: 'https://hc-ping.example/secret-monitor-uuid' } });
  const run = JSON.parse(result.stdout);
  assert.deepEqual(
    run.steps.map((step: { name: string }) => step.name),
    ['first', 'second', 'third'],
    'in order; fourth skipped after third failed',
  );
  assert.equal(run.status, 'failure');
  assert.equal(run.reason, 'Hook "third" failed (exit 4)');
  const [first, second] = run.steps;
  assert.match(first.output, new RegExp(` stdout ${elsewhere.replace(/[/.]/g, '\\$&')}\\n`));
  assert.match(first.output, / stdout bad \ufffd\ufffd bytes\n/);
  assert.match(second.output, / stdout 0\n/, 'the monitor URL is not in the hook environment');
  const script = await stat(join(setup.dataDir, 'work', run.id, 'hooks', 'second.run.start'));
  assert.equal(script.mode & 0o777, 0o700, 'an inline script is a private file');

  const warned = await writeSetup(join(root, 'warned'), [
    { id: 'docs', sources: [source], hooks: [{ id: 'note', on: ['backup.after'], script: { command: 'echo LIFEBOAT_WARNING=disk 91 % full' } }] },
  ]);
  await lifeboat(warned.args('init', 'local'), { env: warned.env });
  const warning = JSON.parse((await lifeboat(warned.args('run', 'docs', '--json'), { env: warned.env })).stdout);
  assert.equal(warning.status, 'warning');
  assert.equal(warning.reason, 'disk 91 % full');
});

test('a hook whose working folder is not there fails with a sentence naming the folder, not the shell', async (t) => {
  const root = await tempDir(t);
  const gone = join(root, 'not here');
  const setup = await writeSetup(root, [
    { id: 'docs', sources: [await smallSource(root)], hooks: [{ id: 'where', on: ['run.start'], cwd: gone, script: { command: 'pwd' } }] },
  ]);
  await lifeboat(setup.args('init', 'local'), { env: setup.env });
  const run = JSON.parse((await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env })).stdout);
  const reason = `Hook "where" could not start: its working folder (cwd) ${JSON.stringify(gone)} is not a folder on this computer. Create it, or change the hook's cwd.`;
  assert.equal(run.status, 'failure');
  assert.equal(run.reason, reason);
  assert.match(run.steps.find((step: { name: string }) => step.name === 'where').output, /stderr Hook "where" could not start: its working folder/);
});
