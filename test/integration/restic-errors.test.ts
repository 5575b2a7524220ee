import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

async function sourceWithFiles(root: string): Promise<string> {
  const source = join(root, 'src');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'readable.txt'), 'fine\n');
  return source;
}

test('a wrong password fails the run with its sentence and exit code 1', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [await sourceWithFiles(root)] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: { ...setup.env, LIFEBOAT_TEST_PASSWORD: 'not the password' } });
  assert.equal(result.code, 1);
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'failure');
  assert.equal(
    run.reason,
    `The password for ${setup.repo} is wrong (restic found no key that opens it). Check the environment variable LIFEBOAT_TEST_PASSWORD.`,
  );
  assert.ok(!result.stdout.includes('not the password') && !result.stderr.includes('not the password'), 'the password is never printed');
});

test('a repository that does not exist fails with a sentence that offers init', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [await sourceWithFiles(root)] }]);
  const result = await lifeboat(setup.args('run', 'docs'), { env: setup.env });
  assert.equal(result.code, 1);
  assert.match(result.stdout, /✘ docs: failure/);
  assert.match(result.stdout, new RegExp(`There is no restic repository at ${setup.repo}\\. .*lifeboat init`));
});

test('a source path that does not exist fails the run before restic starts, naming the path', async (t) => {
  const root = await tempDir(t);
  const missing = join(root, 'unplugged-drive', 'photos');
  const setup = await writeSetup(root, [{ id: 'photos', sources: [missing] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const result = await lifeboat(setup.args('run', 'photos', '--json'), { env: setup.env });
  assert.equal(result.code, 1);
  const run = JSON.parse(result.stdout);
  assert.equal(run.reason, `The source "${missing}" does not exist. Check the plan's sources, or mount the drive it is on.`);
  assert.deepEqual(run.steps, [], 'restic did not run');
});

test('an unreadable source file makes the run a warning that lists it; the rest is backed up', async (t) => {
  const root = await tempDir(t);
  const source = await sourceWithFiles(root);
  const secret = join(source, 'locked.txt');
  await writeFile(secret, 'private\n');
  await chmod(secret, 0o000);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }]);
  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  // root reads any file; without these two capabilities it obeys file permissions like anyone.
  const prefix = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'] : [];
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env, prefix });
  assert.equal(result.code, 0, 'a warning is still a success for the exit code');
  const run = JSON.parse(result.stdout);
  assert.equal(run.status, 'warning');
  assert.equal(run.reason, `1 file could not be read and is missing from the snapshot: ${secret}. Check their permissions.`);
  assert.ok(run.snapshotId, 'the snapshot was still made');
  assert.equal(run.steps[0].exitCode, 3);
  const listing = await lifeboat(setup.args('history', 'docs'), { env: setup.env });
  assert.match(listing.stdout, /⚠ warning/);
});
