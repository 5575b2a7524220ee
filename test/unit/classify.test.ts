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
  const unknown = classifyResticError(12, 'Fatal: something new', context);
  assert.equal(unknown.kind, 'unknown');
  assert.equal(unknown.message, 'restic backup failed (exit code 12): something new');
});
