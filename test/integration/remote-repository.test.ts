import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
// The same command lines as the `lifeboat` binary, run in this process: these tests are about the repository, not start-up.
import { lifeboatInProcess as lifeboat } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { serveRestic } from '../helpers/processes.ts';
import { tempDir } from '../helpers/temp.ts';
import { describeTree, makeAwkwardTree } from '../helpers/tree.ts';

test('a remote repository through rclone serve restic backs up and restores, and an outage is a network failure', async (t) => {
  const root = await tempDir(t);
  const store = join(root, 'remote-store');
  await mkdir(store);
  const server = await serveRestic(store);
  t.after(() => server.stop());
  const source = join(root, 'src');
  await makeAwkwardTree(source);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }], { url: server.url });

  assert.equal((await lifeboat(setup.args('init', 'local'), { env: setup.env })).code, 0);
  const run = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(JSON.parse(run.stdout).status, 'success');

  const target = join(root, 'restored');
  const restore = await lifeboat(setup.args('restore', 'docs', 'latest', '--target', target), { env: setup.env });
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await describeTree(join(target, source)), await describeTree(source));

  await server.stop();
  const offline = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(offline.code, 1);
  const failed = JSON.parse(offline.stdout);
  assert.match(failed.reason, /^The repository rest:http:\/\/127\.0\.0\.1:\d+\/ cannot be reached \(connection refused\)\. Check the network connection/);
});

test('credentials in a repository URL never reach the output or history', async (t) => {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a');
  const setup = await writeSetup(root, [{ id: 'docs', sources: [source] }], { url: 'rest:http://alice:s3cret-token@127.0.0.1:1/' });
  const result = await lifeboat(setup.args('run', 'docs', '--json'), { env: setup.env });
  assert.equal(result.code, 1);
  const history = await lifeboat(setup.args('history', '--json'), { env: setup.env });
  for (const text of [result.stdout, result.stderr, history.stdout]) {
    assert.ok(!text.includes('s3cret-token'), `secret leaked in: ${text.slice(0, 300)}`);
  }
  assert.match(JSON.parse(result.stdout).reason, /rest:http:\/\/127\.0\.0\.1:1\/ cannot be reached/);
});
