import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { snapshotIdProblem } from '../../main/core/restic/snapshot-id.ts';
import { lifeboatInProcess as lifeboat } from '../helpers/cli-in-process.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

test('a config saved with a byte-order mark (a Windows editor) is read as the same config, and left as it was written', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [root] }]);
  const written = `\uFEFF${await readFile(setup.configFile, 'utf8')}`;
  await writeFile(setup.configFile, written);
  const result = await lifeboat(setup.args('validate'), { env: setup.env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await readFile(setup.configFile, 'utf8'), written);
});

test('--config naming a folder is a usage error (exit 2) that asks for the file itself', async (t) => {
  const root = await tempDir(t);
  const folder = join(root, 'settings');
  await mkdir(folder);
  const result = await lifeboat(['--config', folder, 'validate']);
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    `✘ The config file ${folder} is a folder. Give the path of the config file itself (--config FILE), such as ${join(folder, 'config.json')}.\n`,
  );
});

test('a config version this Lifeboat cannot read is a config error (exit 2), newer or older', async (t) => {
  const root = await tempDir(t);
  const file = join(root, 'config.json');
  for (const [version, says] of [
    [2, /written by a newer Lifeboat \(version 2; this one reads up to 1\)/],
    [0, /cannot migrate a config from version 0/],
  ] as const) {
    await writeFile(file, JSON.stringify({ version, repositories: [], plans: [] }));
    const result = await lifeboat(['--config', file, '--data-dir', join(root, 'data'), 'validate']);
    assert.equal(result.code, 2, `version ${version}: ${result.stderr}`);
    assert.match(result.stderr, says);
  }
});

test('snapshot ids are restic’s: lowercase hex or "latest"; LATEST and uppercase hex are refused before restic runs', () => {
  assert.equal(snapshotIdProblem('latest'), undefined);
  assert.equal(snapshotIdProblem('13455240074b1e16'), undefined);
  for (const id of ['LATEST', 'Latest', '13455240074B1E16']) assert.match(snapshotIdProblem(id) ?? '', /is not a snapshot id; use "latest"/, id);
});
