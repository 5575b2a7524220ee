import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyResticError } from '../../main/core/restic/classify.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

const context = { repository: '/srv/restic', passwordSource: 'the environment variable PW', command: 'backup' };

async function recorded(name: string): Promise<string> {
  return readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'restic', name), 'utf8');
}

test('restic errors recorded from real runs are classified into plain sentences', async () => {
  const cases: Array<[file: string, kind: string, fragment: RegExp]> = [
    ['wrong-password-stderr.txt', 'wrong-password', /password for \/srv\/restic is wrong.*Check the environment variable PW/],
    ['missing-repository-stderr.txt', 'repository-missing', /no restic repository at \/srv\/restic.*lifeboat init/],
    ['network-stderr.txt', 'network', /cannot be reached \(connection refused\)/],
    ['locked-stderr.txt', 'locked', /in use by an exclusive lock of PID \d+ on vm/],
    ['all-sources-missing-stderr.txt', 'source-missing', /None of the plan's sources exist/],
  ];
  for (const [file, kind, fragment] of cases) {
    const failure = classifyResticError(1, await recorded(file), context);
    assert.equal(failure.kind, kind, file);
    assert.match(failure.message, fragment, file);
  }
});

test('a lock message names the holder so a live one can be told apart', async () => {
  const failure = classifyResticError(1, await recorded('locked-stderr.txt'), context);
  assert.equal(failure.lock?.exclusive, true);
  assert.equal(failure.lock?.host, 'vm');
  assert.ok((failure.lock?.pid ?? 0) > 0);
});

test('a full disk and an unknown error each get their sentence', () => {
  assert.equal(classifyResticError(1, 'Fatal: unable to save snapshot: write /srv/restic/data/x: no space left on device', context).kind, 'disk-full');
  const unknown = classifyResticError(1, 'Fatal: something new', context);
  assert.equal(unknown.kind, 'unknown');
  assert.equal(unknown.message, 'restic backup failed (exit code 1): something new');
});

test("restic 0.18's JSON exit errors (recorded) get the same kinds and sentences as 0.14's text", async () => {
  const cases: Array<[file: string, exitCode: number, kind: string]> = [
    ['wrong-password-stderr.txt', 12, 'wrong-password'],
    ['missing-repository-stderr.txt', 10, 'repository-missing'],
    ['locked-stderr.txt', 11, 'locked'],
    ['all-sources-missing-stderr.txt', 1, 'source-missing'],
  ];
  for (const [file, exitCode, kind] of cases) {
    const old = classifyResticError(1, await recorded(file), context);
    const json = classifyResticError(exitCode, await recorded(`0.18/${file}`), context);
    assert.equal(json.kind, kind, file);
    // The two lock recordings differ in their holder (exclusive or not), PID and time only.
    const same = (message: string) => message.replace(/by an? (exclusive )?lock of PID \d+ on vm since [\d-]+ [\d:]+/, 'by a lock of …');
    assert.equal(same(json.message), same(old.message), file);
  }
  const locked = classifyResticError(11, await recorded('0.18/locked-stderr.txt'), context);
  assert.deepEqual({ ...locked.lock, pid: 0 }, { exclusive: false, pid: 0, host: 'vm', user: 'root', createdAt: '2026-11-29 23:03:08' });
  const unknown = classifyResticError(1, await recorded('0.18/no-such-snapshot-stderr.txt'), context);
  assert.equal(unknown.message, 'There is no snapshot 0123abcd in /srv/restic.', 'the message, not its JSON');
});

test('a snapshot id or a latest that restic finds no snapshot for (0.14 and 0.18, recorded) is told as a missing snapshot, not as restic failing', async () => {
  const cases: Array<[file: string, message: string]> = [
    ['no-such-snapshot-stderr.txt', 'There is no snapshot 0123abcd in /srv/restic.'],
    ['0.18/no-such-snapshot-stderr.txt', 'There is no snapshot 0123abcd in /srv/restic.'],
    ['no-snapshot-of-plan-stderr.txt', 'restic backup found no snapshot that matches in /srv/restic.'],
    ['0.18/no-snapshot-of-plan-stderr.txt', 'restic backup found no snapshot that matches in /srv/restic.'],
  ];
  for (const [file, message] of cases) {
    const failure = classifyResticError(1, await recorded(file), context);
    assert.deepEqual(failure, { kind: 'snapshot-missing', message }, file);
  }
});

test("restic 0.17+'s exit codes 10, 11 and 12 name the failure even when the text is new", () => {
  assert.equal(classifyResticError(10, 'Fatal: the repository has gone', context).kind, 'repository-missing');
  assert.equal(classifyResticError(11, 'Fatal: could not take the lock', context).kind, 'locked');
  assert.equal(classifyResticError(12, 'Fatal: the key does not fit', context).kind, 'wrong-password');
});

test('a repository whose data its keys cannot decrypt is told as damaged, never by a line of the Go stack restic printed after the error', async () => {
  const failure = classifyResticError(1, await recorded('damaged-snapshot-stderr.txt'), context);
  assert.equal(failure.kind, 'damaged');
  assert.match(failure.message, /^The repository \/srv\/restic holds data its keys cannot decrypt/);
  assert.match(failure.message, /restic check/);
  assert.doesNotMatch(failure.message, /asm_amd64|\.go:\d|goexit/);
  const fatal = classifyResticError(1, 'Fatal: config or key 6f8de3 is damaged: ciphertext verification failed', context);
  assert.equal(fatal.kind, 'damaged');
});

test("an unknown error is told by restic's message, not by the stack trace under it", () => {
  const stderr = [
    'Error doing something new: it broke',
    'github.com/restic/restic/internal/x.Do',
    '\tgithub.com/restic/restic/internal/x/do.go:40',
    'runtime.goexit',
    '\truntime/asm_amd64.s:1594',
    '',
  ].join('\n');
  assert.equal(classifyResticError(1, stderr, context).message, 'restic backup failed (exit code 1): Error doing something new: it broke');
});
