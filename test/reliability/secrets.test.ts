import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { httpRecorder } from '../helpers/http-recorder.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

async function everyFile(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
  }
  return files;
}

test('after runs with hooks, monitors, a failure and a restore, no password or monitor URL is anywhere: data dir, logs, CLI and API output', async (t) => {
  const root = await tempDir(t);
  const monitor = await httpRecorder();
  t.after(() => monitor.close());
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const hookUrl = `${monitor.url}/ping/very-secret-monitor-path`;
  const setup = await writeSetup(
    root,
    [
      {
        id: 'docs',
        sources: [source],
        monitors: [
          { type: 'healthchecks', url: hookUrl },
          { type: 'webhook', url: `${monitor.url}/hook`, headers: { Authorization: 'Bearer webhook-header-secret' } },
        ],
        hooks: [
          { id: 'env', on: ['backup.before'], script: { command: 'env; echo "$RESTIC_PASSWORD"' } },
          { id: 'after', on: ['run.end'], script: { inline: 'echo status {{LIFEBOAT_STATUS}} error {{LIFEBOAT_ERROR}}; cat "$LIFEBOAT_SUMMARY_FILE"' } },
        ],
      },
      { id: 'broken', sources: [join(root, 'gone')], monitors: [{ type: 'healthchecks', url: hookUrl }] },
    ],
    { env: { CLOUD_SECRET_KEY: 'cloud-secret-key-value' } },
  );
  const secrets = [setup.password, 'very-secret-monitor-path', 'webhook-header-secret', 'cloud-secret-key-value'];
  const outputs: string[] = [];
  const cli = async (...args: string[]) => {
    const result = await lifeboat(setup.args(...args), { env: setup.env });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  await cli('init', 'local');
  assert.equal((await cli('run', 'docs', '--json')).code, 0);
  assert.equal((await cli('run', 'broken', '--json')).code, 1);
  await cli('restore', 'docs', 'latest', '--target', join(root, 'restored'));
  await cli('history', '--json');
  await cli('hooks', 'test', 'docs', 'env');
  await cli('plans', '--json');
  await cli('validate', '--json');

  const served = await startServe(t, setup);
  for (const name of ['app.status', 'config.get', 'plans.list', 'repositories.list', 'history.list'])
    outputs.push(JSON.stringify((await served.call(name, {})).body));
  outputs.push(served.output());

  for (const [index, text] of outputs.entries()) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `output ${index} holds ${secret}`);
  }
  // The config itself is the one place the person wrote the monitor URLs down.
  const files = (await everyFile(setup.dataDir)).filter((file) => file !== setup.configFile);
  for (const file of files) {
    const text = await readFile(file, 'latin1');
    for (const secret of secrets) assert.ok(!text.includes(secret), `${file} holds ${secret}`);
  }
  assert.ok(
    files.some((file) => file.includes('history')),
    'the history was searched too',
  );
  const { config } = (await served.call('config.get', {})).body;
  assert.equal((await served.call('config.save', { config })).status, 200);
  assert.equal((await stat(setup.configFile)).mode & 0o777, 0o600, 'a config Lifeboat saved is private');
  const work = join(setup.dataDir, 'work');
  for (const entry of await readdir(work)) assert.equal((await stat(join(work, entry))).mode & 0o777, 0o700, `${entry} is private`);
});
