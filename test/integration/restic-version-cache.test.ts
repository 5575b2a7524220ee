import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { locateRestic } from '../../main/core/restic/locate.ts';
import { tempDir } from '../helpers/temp.ts';

/** A stand-in restic that answers `restic version` with `version` and counts how often it was asked. */
async function fakeRestic(file: string, counter: string, version: string): Promise<void> {
  await writeFile(file, `#!/bin/sh\necho x >> '${counter}'\necho 'restic ${version} compiled with go1.19.8 on linux/amd64'\n`);
  await chmod(file, 0o755);
}

async function timesAsked(counter: string): Promise<number> {
  return (await readFile(counter, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
}

test('restic version is asked once per binary: the answer is kept by path, size and times', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'restic');
  const counter = join(root, 'asked');
  const cacheFile = join(root, 'data', 'restic-versions.json');
  await mkdir(join(root, 'data'));
  await fakeRestic(binary, counter, '0.16.4');
  assert.deepEqual(await locateRestic(binary, {}, { cacheFile }), { path: binary, version: '0.16.4' });
  assert.deepEqual(await locateRestic(binary, {}, { cacheFile }), { path: binary, version: '0.16.4' });
  assert.deepEqual(await locateRestic(binary, {}, { cacheFile }), { path: binary, version: '0.16.4' });
  assert.equal(await timesAsked(counter), 1, 'the second and third look-ups use the kept answer');
  // Without a cache file every look-up asks.
  await locateRestic(binary, {});
  assert.equal(await timesAsked(counter), 2);
});

test('an updated restic binary is asked again and its new version is used', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'restic');
  const counter = join(root, 'asked');
  const cacheFile = join(root, 'restic-versions.json');
  await fakeRestic(binary, counter, '0.16.4');
  assert.equal((await locateRestic(binary, {}, { cacheFile })).version, '0.16.4');
  // Rewritten in place with an answer of the same length (same size): its times change.
  await fakeRestic(binary, counter, '0.17.1');
  assert.equal((await locateRestic(binary, {}, { cacheFile })).version, '0.17.1');
  // Replaced by rename, as a package manager or `restic self-update` does.
  await fakeRestic(join(root, 'restic.new'), counter, '0.18.0');
  await rename(join(root, 'restic.new'), binary);
  assert.equal((await locateRestic(binary, {}, { cacheFile })).version, '0.18.0');
  assert.equal((await locateRestic(binary, {}, { cacheFile })).version, '0.18.0');
  assert.equal(await timesAsked(counter), 3);
});

test('a restic too old is refused every time, never remembered as good', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'restic');
  const counter = join(root, 'asked');
  const cacheFile = join(root, 'restic-versions.json');
  await fakeRestic(binary, counter, '0.9.6');
  await assert.rejects(locateRestic(binary, {}, { cacheFile }), /restic 0\.9\.6 is too old/);
  await assert.rejects(locateRestic(binary, {}, { cacheFile }), /restic 0\.9\.6 is too old/);
  assert.equal(await timesAsked(counter), 2);
});

test('a cache that cannot be written or read is no trouble: restic is asked instead', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'restic');
  const counter = join(root, 'asked');
  await fakeRestic(binary, counter, '0.16.4');
  const folderInTheWay = join(root, 'in-the-way');
  await mkdir(folderInTheWay);
  assert.equal((await locateRestic(binary, {}, { cacheFile: folderInTheWay })).version, '0.16.4');
  const garbage = join(root, 'garbage.json');
  await writeFile(garbage, '{"not json');
  assert.equal((await locateRestic(binary, {}, { cacheFile: garbage })).version, '0.16.4');
  assert.equal((await locateRestic(binary, {}, { cacheFile: garbage })).version, '0.16.4', 'the broken file was replaced');
  // A forged entry for another identity of the same path is not trusted.
  await writeFile(garbage, JSON.stringify({ [binary]: { identity: 'forged', version: '9.9.9' } }));
  assert.equal((await locateRestic(binary, {}, { cacheFile: garbage })).version, '0.16.4');
  assert.equal(await timesAsked(counter), 3, 'asked for the folder, the garbage and the forged entry; the rewritten file answered once');
});

test('a binary that does not answer as restic does is refused with the fix named', async (t) => {
  const root = await tempDir(t);
  const binary = join(root, 'restic');
  await writeFile(binary, '#!/bin/sh\necho hello\n');
  await chmod(binary, 0o755);
  await assert.rejects(locateRestic(binary, {}, { cacheFile: join(root, 'c.json') }), /did not answer "restic version" as restic does/);
});
