import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { cli, type ImportSetup, importJson, importSetup, plan, readConfig } from '../helpers/import-fixture.ts';
import { lifeboat } from '../helpers/lifeboat.ts';

async function writeExisting(setup: ImportSetup): Promise<{ text: string; config: { repositories: unknown[]; plans: unknown[]; settings: unknown } }> {
  const config = {
    version: 1,
    repositories: [{ id: 'local', name: 'My disk', url: setup.repo, passwordEnv: 'MY_PASSWORD' }],
    plans: [
      {
        id: 'documents',
        name: 'Mine',
        repository: 'local',
        sources: ['/home/me/Documents'],
        schedule: { every: '6h' },
        hooks: [
          { id: 'hook-1', on: ['backup.before'], script: { command: 'echo mine' } },
          { id: 'dump', enabled: true, on: ['backup.before'], script: { inline: '#!/bin/sh\necho dump' } },
        ],
      },
    ],
    settings: { hooksEnabled: true, historyDays: 30 },
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  await mkdir(dirname(setup.configFile), { recursive: true });
  await writeFile(setup.configFile, text);
  return { text, config };
}

test('an existing config is never changed without --merge: the command refuses, says how, and leaves the file byte for byte', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const { text } = await writeExisting(setup);
  const result = await lifeboat(setup.args('import', 'backrest', setup.file), { env: setup.env });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /already exists, so nothing was changed\. Run again with --merge to add the imported plans beside yours/);
  assert.equal(await readFile(setup.configFile, 'utf8'), text);
  const json = await cli(setup.args('import', 'backrest', setup.file, '--json'), setup.env);
  assert.equal(json.code, 2);
  assert.match(JSON.parse(json.stdout).error.message, /--merge/);
  assert.equal(await readFile(setup.configFile, 'utf8'), text);
});

test('--merge keeps every existing repository, plan and hook as it was; imported ones get ids that do not collide; a repository at the same location is reused', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const { config: before } = await writeExisting(setup);
  const report = await importJson(setup, 'backrest', '--merge');
  assert.deepEqual(report.plans, ['documents-2', 'offsite-photos', 'utc-weekly']);
  assert.deepEqual(report.reused, [{ repository: 'local-repo', existing: 'local' }]);
  assert.deepEqual(report.repositories, ['b2-offsite']);
  assert.deepEqual(report.passwordFiles, [], 'the reused repository keeps its own password source');
  const after = await readConfig(setup);
  assert.deepEqual(after.repositories[0], before.repositories[0]);
  assert.deepEqual(after.plans[0], before.plans[0], 'the existing plan and its hooks are untouched (enabled stays as it was)');
  assert.deepEqual(after.settings, before.settings, "hooksEnabled is not switched off for the person's own hooks");
  assert.equal(plan(after, 'documents-2').repository, 'local');
  assert.ok(plan(after, 'documents-2').hooks?.every((hook) => hook.enabled === false));
  assert.equal((await cli(setup.args('validate'))).code, 0);

  const again = await importJson(setup, 'backrest', '--merge');
  assert.deepEqual(again.plans, ['documents-3', 'offsite-photos-2', 'utc-weekly-2'], 'a second import adds, never replaces');
  assert.deepEqual(again.reused.map((entry) => entry.existing).sort(), ['b2-offsite', 'local']);
});

test('--dry-run on an existing config prints the merged config and changes nothing', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  const { text } = await writeExisting(setup);
  const result = await cli(setup.args('import', 'autorestic', setup.file, '--dry-run'), setup.env);
  assert.equal(result.code, 0, result.stderr);
  const shown = JSON.parse(result.stdout);
  assert.equal(shown.plans[0].id, 'documents');
  assert.equal(shown.plans.length, 5);
  assert.equal(await readFile(setup.configFile, 'utf8'), text);
});

test('a config that does not validate is not merged into: the import stops with its problems and the file stays', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const broken = '{"version": 1, "plans": [{"id": "x", "repository": "nowhere", "sources": ["/tmp"]}]}\n';
  await mkdir(dirname(setup.configFile), { recursive: true });
  await writeFile(setup.configFile, broken);
  const result = await cli(setup.args('import', 'backrest', setup.file, '--merge'), setup.env);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /no repository has the id "nowhere"/);
  assert.equal(await readFile(setup.configFile, 'utf8'), broken);
});
