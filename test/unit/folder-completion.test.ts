import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { completeFolders, MAX_COMPLETIONS, missingPaths } from '../../main/core/util/folder-completion.ts';
import { tempDir } from '../helpers/temp.ts';

test('folder completion lists only folders that start with what was typed, spaces and all', async (t) => {
  const root = await tempDir(t);
  await mkdir(join(root, 'My Folder'));
  await mkdir(join(root, 'My Music'));
  await mkdir(join(root, 'Other'));
  await writeFile(join(root, 'My File.txt'), 'x');
  assert.deepEqual(await completeFolders(join(root, 'My ')), [join(root, 'My Folder'), join(root, 'My Music')]);
  assert.deepEqual(await completeFolders(`${root}/`), [join(root, 'My Folder'), join(root, 'My Music'), join(root, 'Other')]);
});

test('folder completion expands ~ and answers in ~ form', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, 'Documents'));
  await mkdir(join(home, '.hidden'));
  assert.deepEqual(await completeFolders('~/Doc', home), ['~/Documents']);
  assert.deepEqual(await completeFolders('~/', home), ['~/Documents'], 'hidden folders only when asked for');
  assert.deepEqual(await completeFolders('~/.h', home), ['~/.hidden']);
});

test('folder completion gives at most 50 entries and nothing (no error) for unreadable, missing or relative paths', async (t) => {
  const root = await tempDir(t);
  for (let i = 0; i < 70; i += 1) await mkdir(join(root, `d${String(i).padStart(2, '0')}`));
  assert.equal((await completeFolders(`${root}/d`)).length, MAX_COMPLETIONS);
  const locked = join(root, 'locked');
  await mkdir(join(locked, 'inside'), { recursive: true });
  await chmod(locked, 0o000);
  // Put back before the folder is removed (the removal may already have run, as root can remove it anyway).
  t.after(async () => {
    await chmod(locked, 0o700).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  });
  if (process.getuid?.() !== 0) assert.deepEqual(await completeFolders(`${locked}/`), []);
  assert.deepEqual(await completeFolders(join(root, 'missing', 'x')), []);
  assert.deepEqual(await completeFolders('relative/path'), []);
  assert.deepEqual(await completeFolders(''), []);
});

test('missing paths are the ones not on this computer, in the order given, with ~ expanded', async (t) => {
  const home = await tempDir(t);
  await mkdir(join(home, 'here'));
  assert.deepEqual(await missingPaths(['~/here', '~/gone', join(home, 'here'), '/no/such/$(folder)'], home), ['~/gone', '/no/such/$(folder)']);
});
