import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, hooksOf, importJson, importSetup, notedPaths, plan, readConfig } from '../helpers/import-fixture.ts';

test('autorestic: each backend a repository, each location × backend a plan, with cron, forget policy and hooks (all off); validate passes', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml', { fileName: '.autorestic.yml' });
  const report = await importJson(setup, 'autorestic');
  assert.deepEqual(report.plans, ['home', 'important-remote', 'important-hdd', 'important-rest'], 'a location with three backends is three plans');
  assert.deepEqual(report.repositories, ['local', 'remote', 'hdd', 'rest'], 'an unusable backend is not imported');
  const validate = await cli(setup.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);

  const config = await readConfig(setup);
  const home = plan(config, 'home');
  assert.deepEqual(home.sources, [setup.source]);
  assert.deepEqual(home.excludes, ['*.nope', '*.abc']);
  assert.deepEqual(home.schedule, { cron: '0 3 * * 0', timezone: 'local' });
  // global < location, and the YAML merge key (<<: *policies) is read.
  assert.deepEqual(home.retention, { keepMonthly: 6, keepDaily: 14, keepWeekly: 52, keepLast: 5, keepWithin: '14d' });
  assert.deepEqual(
    home.hooks?.map((hook) => [hook.id, hook.on, hook.states ?? null, hook.enabled, hook.cwd]),
    [
      ['prevalidate', ['run.start'], null, false, setup.source],
      ['before', ['backup.before'], null, false, setup.source],
      ['after', ['backup.after'], null, false, setup.source],
      ['success', ['run.end'], ['success', 'warning'], false, setup.source],
      ['failure', ['run.end'], ['failure'], false, setup.source],
    ],
  );
  assert.deepEqual(home.hooks?.[1]?.script, { inline: '#!/bin/sh\nset -e\necho "Hello $AUTORESTIC_LOCATION"\necho "Two"\n' });
  const important = plan(config, 'important-hdd');
  assert.deepEqual(
    important.sources,
    ['/path/to/important/stuff', join(setup.file, '..', 'relative/folder')],
    "relative paths are taken from the config file's folder",
  );
  assert.equal(important.schedule, null);
  assert.equal(important.retention, undefined, 'forget options without "forget: prune" are not applied after every backup');
  assert.ok(hooksOf(config).every((hook) => hook.enabled === false));

  const repositories = Object.fromEntries(config.repositories.map((repository) => [repository.id, repository]));
  assert.equal(repositories.local?.url, setup.repo);
  assert.equal(repositories.remote?.url, 'b2:myBucket:backup/home');
  assert.deepEqual(repositories.remote?.env, { B2_ACCOUNT_ID: 'account_id', B2_ACCOUNT_KEY: 'account-key-Secret-3' });
  assert.equal(repositories.hdd?.passwordEnv, 'AUTORESTIC_HDD_RESTIC_PASSWORD', 'no key in the file: the variable autorestic reads');
  assert.equal(repositories.rest?.url, 'rest:http://me:rest-Url-Secret-5@localhost:8000/repo');
  for (const id of ['local', 'remote', 'rest']) {
    const file = String(repositories[id]?.passwordFile);
    assert.equal(file, join(setup.dataDir, 'secrets', `${id}.password`));
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  }
  assert.equal(await readFile(String(repositories.local?.passwordFile), 'utf8'), 'autorestic-inline-Secret-1');
  assert.doesNotMatch(await readFile(setup.configFile, 'utf8'), /autorestic-inline-Secret-1|b2-Secret-Key-2|rest-Secret-4/);

  const noted = notedPaths(report);
  for (const path of [
    'backends.hdd.key',
    'backends.weird.type',
    'locations.home.options.backup.exclude-file',
    'locations.important.copy',
    'locations.important.to',
    'locations.important.options.forget',
    'locations.docker',
    'locations.home.hooks',
  ])
    assert.ok(noted.includes(path), `${path} is listed: ${noted.join(', ')}`);
  assert.equal(new Set(report.notMapped.map((item) => JSON.stringify(item))).size, report.notMapped.length, 'each note once');
});

test('autorestic --dry-run prints the config it would write with every secret masked, and writes nothing', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  const result = await cli(setup.args('import', 'autorestic', setup.file, '--dry-run'), setup.env);
  assert.equal(result.code, 0, result.stderr);
  const shown = JSON.parse(result.stdout);
  assert.deepEqual(
    shown.plans.map((entry: { id: string }) => entry.id),
    ['home', 'important-remote', 'important-hdd', 'important-rest'],
  );
  assert.match(result.stderr, /Would import from autorestic: 4 repositories, 4 plans, 5 hooks\./);
  assert.match(result.stderr, /Not imported \(\d+\):/);
  assert.doesNotMatch(result.stdout + result.stderr, /Secret-\d/, 'no password, key or credential is printed');
  assert.match(result.stdout, /"B2_ACCOUNT_KEY": "••••••••"/);
  assert.match(result.stdout, /rest:http:\/\/me:••••••••@localhost:8000\/repo/);
  await assert.rejects(stat(setup.configFile), 'nothing written');
  await assert.rejects(stat(join(setup.dataDir, 'secrets')), 'no password file written');
  const json = await cli(setup.args('import', 'autorestic', setup.file, '--dry-run', '--json'), setup.env);
  assert.doesNotMatch(json.stdout, /Secret-\d/);
  assert.equal(JSON.parse(json.stdout).written, false);
});

test('round trip: an imported autorestic location with an inline key backs up with restic; its hooks stay off', async (t) => {
  const setup = await importSetup(t, 'autorestic.yml');
  await importJson(setup, 'autorestic');
  const init = await cli(setup.args('init', 'local'), setup.env);
  assert.equal(init.code, 0, init.stderr);
  const run = await cli(setup.args('run', 'home', '--json'), setup.env);
  assert.equal(run.code, 0, run.stderr);
  const record = JSON.parse(run.stdout);
  assert.equal(record.status, 'success', record.reason);
  assert.ok(record.snapshotId);
  assert.deepEqual(
    record.steps.map((step: { kind: string; name: string }) => `${step.kind}:${step.name}`),
    record.steps.filter((step: { kind: string }) => step.kind === 'restic').map((step: { name: string }) => `restic:${step.name}`),
    'no imported hook ran',
  );
  assert.ok(
    record.steps.some((step: { name: string }) => step.name.startsWith('forget')),
    'the imported retention ran',
  );
});
