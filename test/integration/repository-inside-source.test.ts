import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

test('a repository inside the folder it backs up is left out of every snapshot, glob characters and links in its path included', async (t) => {
  const root = await tempDir(t);
  const home = join(root, 'home');
  await mkdir(join(home, 'notes'), { recursive: true });
  await writeFile(join(home, 'notes', 'a.txt'), 'a\n');
  // The backup folder a person picked inside the folder to back up, with characters restic reads as a
  // pattern, and named in the config through a link to that folder.
  await symlink(home, join(root, 'home-link'));
  const repo = join(root, 'home-link', 'Back[up]s *?', 'repo');
  const setup = await writeSetup(root, [{ id: 'home', sources: [home] }], { url: repo });
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const first = JSON.parse((await lifeboat(setup.args('run', 'home', '--json'), { env: setup.env })).stdout);
  assert.equal(first.status, 'success', first.reason ?? '');
  const listed = await run('restic', ['-r', repo, 'ls', '--json', first.snapshotId], {
    env: { ...process.env, RESTIC_PASSWORD: setup.password },
    maxBuffer: 1 << 26,
  });
  const paths = listed.stdout
    .split('\n')
    .filter((line) => line.includes('"struct_type":"node"'))
    .map((line) => JSON.parse(line).path as string);
  assert.ok(
    paths.some((path) => path.endsWith('/notes/a.txt')),
    `the folder's own files are in the snapshot:\n${paths.join('\n')}`,
  );
  assert.deepEqual(
    paths.filter((path) => path.includes('Back[up]s *?/repo')),
    [],
    'nothing of the repository is in its own snapshot',
  );
  // Nothing changed: the next backup adds no file (a repository backed up into itself always would).
  const again = JSON.parse((await lifeboat(setup.args('run', 'home', '--json'), { env: setup.env })).stdout);
  assert.equal(again.summary.files_new + again.summary.files_changed, 0, JSON.stringify(again.summary));
});

test('a folder to back up that is the repository itself fails the run with a sentence naming both, and runs no backup', async (t) => {
  const root = await tempDir(t);
  const repo = join(root, 'repo');
  const setup = await writeSetup(root, [{ id: 'self', sources: [repo] }], { url: repo });
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const result = await lifeboat(setup.args('run', 'self', '--json'), { env: setup.env });
  const record = JSON.parse(result.stdout);
  assert.equal(result.code, 1);
  assert.equal(record.status, 'failure');
  assert.equal(
    record.reason,
    `The folder ${JSON.stringify(repo)} is the repository "local" itself, which cannot back itself up. Back up another folder, or pick another repository for this plan.`,
  );
  assert.equal(record.snapshotId ?? null, null);
});
