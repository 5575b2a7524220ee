import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ConfigJson, cli, hooksOf, type ImportSetup, importJson, importSetup, notedPaths, plan, readConfig } from '../helpers/import-fixture.ts';

test('resticprofile YAML (format 1): inherited repository, retention, schedule and run-* hooks become plans; every hook is off; validate passes', async (t) => {
  const setup = await importSetup(t, 'resticprofile-v1.yaml');
  await writeFile(join(setup.file, '..', 'key.txt'), 'profile key file\n');
  const report = await importJson(setup, 'resticprofile');
  assert.equal(report.written, true);
  assert.deepEqual(report.plans, ['documents', 'photos']);
  assert.deepEqual(report.repositories, ['base'], 'two profiles inheriting one repository share it');
  const validate = await cli(setup.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);

  const config = await readConfig(setup);
  assert.deepEqual(config.repositories[0], { id: 'base', name: 'base', url: setup.repo, passwordFile: join(setup.file, '..', 'key.txt') });
  const documents = plan(config, 'documents');
  assert.equal(documents.name, 'My documents');
  assert.deepEqual(documents.sources, [setup.source]);
  assert.deepEqual(documents.excludes, ['*.tmp', '.cache'], 'excludes come from the parent profile');
  assert.deepEqual(documents.schedule, { cron: '15 3 * * 1-5', timezone: 'local' }, '"Mon..Fri 03:15" as cron');
  // keep-hourly: false in the child removes the parent's; keep-daily is replaced.
  assert.deepEqual(documents.retention, { keepLast: 3, keepDaily: 30, keepWeekly: 4, keepWithin: '365d' });
  assert.deepEqual(documents.check, { every: '7d', readDataSubset: '5%' });
  const events = (documents.hooks ?? []).map((hook) => [hook.id, hook.on, hook.states ?? null]);
  assert.deepEqual(events, [
    ['run-before', ['run.start'], null],
    ['run-after-fail', ['run.end'], ['failure']],
    ['run-finally', ['run.end'], null],
    ['backup-run-before', ['backup.before'], null],
    ['backup-run-after', ['backup.after'], ['success', 'warning']],
    ['battery', ['run.start'], null],
  ]);
  assert.deepEqual((documents.hooks ?? []).find((hook) => hook.id === 'battery')?.condition, { type: 'battery', minPercent: 20 });
  assert.deepEqual((documents.hooks ?? [])[1]?.script, { inline: '#!/bin/sh\nset -e\necho "failed: $ERROR_MESSAGE"\nlogger -t backup "documents failed"\n' });
  assert.deepEqual((documents.hooks ?? []).find((hook) => hook.id === 'backup-run-after')?.script, { command: 'echo "\\{{ .Profile.Name }} done"' });
  assert.deepEqual(plan(config, 'photos').schedule, { cron: '0,30 * * * *', timezone: 'local' });

  const hooks = hooksOf(config);
  assert.equal(hooks.length, report.hooksDisabled);
  assert.ok(
    hooks.every((hook) => hook.enabled === false),
    'every imported hook is saved off',
  );
  const noted = notedPaths(report);
  for (const path of [
    'global',
    'groups.full',
    'documents.snapshots',
    'documents.backup.schedule-permission',
    'documents.retention.host',
    'photos.backup.schedule',
    'photos.forget',
  ])
    assert.ok(noted.includes(path), `${path} is listed as not imported: ${noted.join(', ')}`);
  assert.ok(
    report.notMapped.every((item) => item.reason.length > 10),
    'each has a reason',
  );
});

test('resticprofile JSON (format 2): profiles section, list append, schedule map, password command; an inline RESTIC_PASSWORD goes to a private file and is never printed', async (t) => {
  const setup = await importSetup(t, 'resticprofile-v2.json');
  const dry = await cli(setup.args('import', 'resticprofile', setup.file, '--dry-run'), setup.env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.doesNotMatch(dry.stdout + dry.stderr, /inline-env-Pa55|s3cret-url-pass/, 'no password in the dry run');
  const shown = JSON.parse(dry.stdout);
  assert.equal(shown.repositories.find((r: { id: string }) => r.id === 'env-password').url, 'rest:https://backup:••••••••@rest.example:8000/me');
  await assert.rejects(stat(setup.configFile), 'a dry run writes nothing');

  const report = await importJson(setup, 'resticprofile');
  assert.deepEqual(report.plans, ['root', 'mysql', 'env-password']);
  const config = await readConfig(setup);
  const root = plan(config, 'root');
  assert.deepEqual(root.excludes, ['.*', '~*', '.git'], '"exclude..." appends to the parent list');
  assert.deepEqual(root.schedule, { cron: '30 2 * * *', timezone: 'local' });
  assert.deepEqual(root.retention, { keepDaily: 14, keepMonthly: 6 });
  assert.equal(plan(config, 'mysql').schedule, null, '"Sat *-*-1..7" (the first Saturday) has no cron equivalent: cron would fire on either');
  assert.match(report.notMapped.find((item) => item.path === 'profiles.mysql.backup.schedule')?.reason ?? '', /cannot turn into cron; the plan runs by hand/);
  assert.deepEqual(plan(config, 'mysql').retention, undefined, 'retention without after-backup is not applied after every backup');
  assert.deepEqual(
    plan(config, 'mysql').hooks?.map((hook) => [hook.on, hook.enabled]),
    [
      [['run.start'], false],
      [['run.end'], false],
    ],
  );
  const nas = config.repositories.find((r) => r.id === 'default');
  assert.deepEqual(nas, {
    id: 'default',
    name: 'default',
    url: 'sftp:backup@nas.example:/srv/restic',
    passwordCommand: 'pass show restic/nas',
    env: { TMPDIR: '/var/tmp' },
  });
  const inline = config.repositories.find((r) => r.id === 'env-password');
  assert.equal(inline?.passwordFile, join(setup.dataDir, 'secrets', 'env-password.password'));
  assert.equal(JSON.stringify(config).includes('inline-env-Pa55'), false, 'the password is not in the config');
  const secret = await stat(String(inline?.passwordFile));
  assert.equal(secret.mode & 0o777, 0o600);
  assert.equal((await stat(setup.configFile)).mode & 0o777, 0o600);
  const noted = notedPaths(report);
  for (const path of ['mixins', 'groups.nightly', 'profiles.mysql.not-a-real-key', 'profiles.root.retention.prune'])
    assert.ok(noted.includes(path), `${path} is listed: ${noted.join(', ')}`);
  const validate = await cli(setup.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);
});

/** A config as text with the test's folder replaced, to compare imports made in two folders. */
async function normalized(setup: ImportSetup): Promise<ConfigJson> {
  return JSON.parse(JSON.stringify(await readConfig(setup)).replaceAll(setup.root, '<root>')) as ConfigJson;
}

test('resticprofile TOML (format 1, as in profiles.toml): a default profile and two that inherit it become plans; the inherited ones equal the YAML import; hooks are off; validate passes', async (t) => {
  const toml = await importSetup(t, 'resticprofile.toml');
  await writeFile(join(toml.file, '..', 'key.txt'), 'profile key file\n');
  const report = await importJson(toml, 'resticprofile');
  assert.equal(report.written, true);
  assert.deepEqual(report.plans, ['default', 'documents', 'photos']);
  assert.deepEqual(report.repositories, ['default']);
  const validate = await cli(toml.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);
  const config = await readConfig(toml);
  assert.deepEqual(config.repositories[0], { id: 'default', name: 'default', url: toml.repo, passwordFile: join(toml.file, '..', 'key.txt') });
  const own = plan(config, 'default');
  assert.deepEqual(own.sources, [toml.source]);
  assert.deepEqual(own.excludes, ['*.tmp', '.cache']);
  assert.deepEqual(own.schedule, { cron: '0 2 * * *', timezone: 'local' });
  assert.deepEqual(own.retention, { keepLast: 3, keepHourly: 1, keepDaily: 7, keepWeekly: 4, keepWithin: '365d' });
  const hooks = hooksOf(config);
  assert.equal(hooks.length, report.hooksDisabled);
  assert.ok(hooks.length > 0 && hooks.every((hook) => hook.enabled === false), 'every imported hook is saved off');
  const noted = notedPaths(report);
  for (const path of ['global', 'groups.full', 'documents.snapshots', 'documents.backup.schedule-permission', 'photos.backup.schedule', 'photos.forget'])
    assert.ok(noted.includes(path), `${path} is listed as not imported: ${noted.join(', ')}`);

  // The YAML fixture holds the same two children under a parent named "base".
  const yaml = await importSetup(t, 'resticprofile-v1.yaml');
  await writeFile(join(yaml.file, '..', 'key.txt'), 'profile key file\n');
  await importJson(yaml, 'resticprofile');
  const fromToml = await normalized(toml);
  const fromYaml = await normalized(yaml);
  for (const id of ['documents', 'photos'])
    assert.deepEqual(
      { ...plan(fromToml, id), repository: 'parent' },
      { ...plan(fromYaml, id), repository: 'parent' },
      `${id} is the same plan from TOML and YAML`,
    );
  assert.equal(plan(fromToml, 'documents').repository, 'default');
});

test('resticprofile TOML (format 2): the same profiles as the JSON file give the same config and the same list of what did not map; no password is printed', async (t) => {
  const toml = await importSetup(t, 'resticprofile-v2.toml');
  const dry = await cli(toml.args('import', 'resticprofile', toml.file, '--dry-run'), toml.env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.doesNotMatch(dry.stdout + dry.stderr, /inline-env-Pa55|s3cret-url-pass/);
  const report = await importJson(toml, 'resticprofile');
  assert.deepEqual(report.plans, ['root', 'mysql', 'env-password']);
  const validate = await cli(toml.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);
  assert.ok(hooksOf(await readConfig(toml)).every((hook) => hook.enabled === false));

  const json = await importSetup(t, 'resticprofile-v2.json');
  const fromJson = await importJson(json, 'resticprofile');
  assert.deepEqual(await normalized(toml), await normalized(json));
  assert.deepEqual(notedPaths(report).sort(), notedPaths(fromJson).sort());
});

test('TOML dates and times become the strings resticprofile reads them as: a bare 03:15:00 schedule is a daily cron, a bare date description is the name', async (t) => {
  const setup = await importSetup(t, 'resticprofile.toml');
  await writeFile(
    setup.file,
    `[nightly]\nrepository = "local:${setup.repo}"\npassword-command = "echo key"\ndescription = 2026-12-01\n[nightly.backup]\nsource = "${setup.source}"\nschedule = 03:15:00\n`,
  );
  const report = await importJson(setup, 'resticprofile');
  assert.deepEqual(report.plans, ['nightly']);
  const config = await readConfig(setup);
  assert.equal(plan(config, 'nightly').name, '2026-12-01');
  assert.deepEqual(plan(config, 'nightly').schedule, { cron: '15 3 * * *', timezone: 'local' });
  assert.equal((await cli(setup.args('validate'))).code, 0);
});

test('resticprofile HCL is refused with a sentence that names the way on (TOML, YAML or JSON); nothing is written', async (t) => {
  const setup = await importSetup(t, 'resticprofile.toml', { fileName: 'profiles.hcl' });
  const result = await cli(setup.args('import', 'resticprofile', setup.file), setup.env);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /HCL files are not read; save the profiles as TOML, YAML or JSON/);
  await assert.rejects(stat(setup.configFile));
});

test('round trip: an imported resticprofile profile with a password file backs up with restic', async (t) => {
  const setup = await importSetup(t, 'resticprofile-v1.yaml');
  await writeFile(join(setup.file, '..', 'key.txt'), 'round trip password\n');
  await importJson(setup, 'resticprofile');
  const init = await cli(setup.args('init', 'base'), setup.env);
  assert.equal(init.code, 0, init.stderr);
  const run = await cli(setup.args('run', 'documents', '--json'), setup.env);
  assert.equal(run.code, 0, run.stderr);
  const record = JSON.parse(run.stdout);
  assert.equal(record.status, 'success', record.reason);
  assert.ok(record.snapshotId);
  assert.ok(
    record.steps.every((step: { kind: string }) => step.kind === 'restic'),
    'no imported hook ran',
  );
});
