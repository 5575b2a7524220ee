import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fullIdInLocalRepository, isFullSnapshotId, shortSnapshotId } from '../../main/core/restic/snapshot-id.ts';
import { tempDir } from '../helpers/temp.ts';

const A = 'a'.repeat(8) + '1'.repeat(56);
const B = 'a'.repeat(8) + '2'.repeat(56);
const C = `c0ffee00${'3'.repeat(56)}`;

test('people see 8 characters of a snapshot id; "latest" and short ids are shown as they are', () => {
  assert.equal(shortSnapshotId(A), 'aaaaaaaa');
  assert.equal(shortSnapshotId('c0ffee00'), 'c0ffee00');
  assert.equal(shortSnapshotId('latest'), 'latest');
  assert.equal(isFullSnapshotId(A), true);
  assert.equal(isFullSnapshotId('c0ffee00'), false);
  assert.equal(isFullSnapshotId(`${A}0`), false);
});

test('a short id is found in full in a local repository only when exactly one snapshot file starts with it', async (t) => {
  const repo = await tempDir(t);
  await mkdir(join(repo, 'snapshots'));
  for (const id of [A, B, C]) await writeFile(join(repo, 'snapshots', id), '');
  await writeFile(join(repo, 'snapshots', 'c0ffee00-not-an-id'), '');
  assert.equal(await fullIdInLocalRepository(repo, 'c0ffee00'), C);
  assert.equal(await fullIdInLocalRepository(`local:${repo}`, 'c0ffee00'), C);
  assert.equal(await fullIdInLocalRepository(repo, 'aaaaaaaa'), undefined, 'two snapshots share the prefix');
  assert.equal(await fullIdInLocalRepository(repo, 'aaaaaaaa1'), A);
  assert.equal(await fullIdInLocalRepository(repo, 'deadbeef'), undefined);
  assert.equal(await fullIdInLocalRepository(repo, '../../..'), undefined, 'only hex is looked up');
  assert.equal(await fullIdInLocalRepository('rest:http://127.0.0.1:1/', 'c0ffee00'), undefined, 'not a local disk');
  assert.equal(await fullIdInLocalRepository(join(repo, 'missing'), 'c0ffee00'), undefined);
});
