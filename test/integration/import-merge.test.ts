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
  assert.deepEqual(again.plans, [], 'a second import of the same file adds nothing');
  assert.deepEqual(
    again.alreadyImported.map((entry) => entry.plan),
    ['documents-2', 'offsite-photos', 'utc-weekly'],
  );
  // A plan changed in the other tool since is new content: it is added beside, never over, the one imported before.
  await writeFile(setup.file, (await readFile(setup.file, 'utf8')).replace('"/home/me/Pictures"', '"/home/me/Pictures", "/home/me/Videos"'));
  const changed = await importJson(setup, 'backrest', '--merge');
  assert.deepEqual(changed.plans, ['offsite-photos-2']);
  assert.deepEqual(
    changed.alreadyImported.map((entry) => entry.plan),
    ['documents-2', 'utc-weekly'],
  );
  assert.deepEqual(plan(await readConfig(setup), 'offsite-photos').sources, ['/home/me/Pictures'], 'the plan imported before is untouched');
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

test('importing the same file again recognises what is already there: "already imported", no -2 copies, the config unchanged', async (t) => {
  for (const [tool, fixture] of [
    ['backrest', 'backrest.json'],
    ['resticprofile', 'resticprofile.toml'],
    ['autorestic', 'autorestic.yml'],
  ] as const) {
    const setup = await importSetup(t, fixture);
    const first = await importJson(setup, tool);
    assert.ok(first.plans.length > 0, tool);
    const written = await readFile(setup.configFile, 'utf8');
    const again = await cli(setup.args('import', tool, setup.file, '--merge', '--json'), setup.env);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.deepEqual(report.plans, [], `${tool}: nothing new`);
    assert.deepEqual(
      report.alreadyImported.map((item: { plan: string }) => item.plan),
      first.plans,
      `${tool}: each plan recognised as the one imported before`,
    );
    assert.equal(report.written, false);
    assert.equal(await readFile(setup.configFile, 'utf8'), written, `${tool}: the config is byte for byte the same`);
    const human = await cli(setup.args('import', tool, setup.file, '--merge'), setup.env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /already imported/);
  }
});
