import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { cli, hooksOf, importJson, importSetup, notedPaths, plan, readConfig } from '../helpers/import-fixture.ts';

test('Backrest: repos and plans with cron and interval schedules, retention policies, check policy and command hooks (all off); validate passes', async (t) => {
  const setup = await importSetup(t, 'backrest.json', { fileName: 'config.json' });
  const report = await importJson(setup, 'backrest');
  assert.deepEqual(report.plans, ['documents', 'offsite-photos', 'utc-weekly']);
  assert.deepEqual(report.repositories, ['local-repo', 'b2-offsite']);
  const validate = await cli(setup.args('validate'));
  assert.equal(validate.code, 0, validate.stderr);

  const config = await readConfig(setup);
  const documents = plan(config, 'documents');
  assert.deepEqual(documents.schedule, { cron: '0 * * * *', timezone: 'local' });
  assert.deepEqual(documents.retention, { keepLast: 2, keepHourly: 24, keepDaily: 7, keepWeekly: 4, keepMonthly: 3, keepYearly: 1 });
  assert.deepEqual(documents.check, { every: '30d', readDataSubset: '5%' });
  assert.deepEqual(documents.excludes, ['*.iso']);
  assert.deepEqual(
    documents.hooks?.map((hook) => [hook.id, hook.on, hook.states ?? null, hook.onError, hook.retryAfter ?? null]),
    [
      ['hook-1', ['backup.before'], null, 'skip', null],
      ['hook-2', ['backup.after'], ['failure', 'warning'], 'ignore', null],
      ['hook-2-2', ['prune.after'], ['failure'], 'ignore', null],
      ['hook-4', ['backup.before'], null, 'defer', '10m'],
      ['repo-hook-1', ['run.end'], ['failure'], 'ignore', null],
    ],
  );
  assert.deepEqual(documents.hooks?.[4]?.script, { command: "echo 'repo error \\{{ .Repo.Id }}'" }, 'a Backrest template is kept as literal text');
  assert.ok(hooksOf(config).every((hook) => hook.enabled === false));
  assert.deepEqual(plan(config, 'offsite-photos').schedule, { every: '1d' });
  assert.deepEqual(plan(config, 'offsite-photos').retention, { keepLast: 30 });
  assert.deepEqual(plan(config, 'utc-weekly').schedule, { cron: '0 2 * * 0', timezone: 'UTC' });
  assert.equal(plan(config, 'utc-weekly').retention, undefined, 'keep all is no retention');

  const offsite = config.repositories.find((repository) => repository.id === 'b2-offsite');
  assert.deepEqual(offsite, {
    id: 'b2-offsite',
    name: 'B2 Offsite!',
    url: 'b2:bucket:/restic',
    passwordFile: '/etc/restic/b2.key',
    env: { B2_ACCOUNT_ID: 'abc', B2_ACCOUNT_KEY: 'b2-Env-Secret-7' },
  });
  const local = config.repositories.find((repository) => repository.id === 'local-repo');
  assert.equal(await readFile(String(local?.passwordFile), 'utf8'), 'backrest-inline-Secret-6');
  assert.doesNotMatch(await readFile(setup.configFile, 'utf8'), /backrest-inline-Secret-6/);

  const noted = notedPaths(report);
  for (const path of ['auth', 'repos[0].flags', 'repos[0].prunePolicy', 'plans[0].iexcludes', 'plans[0].backup_flags', 'plans[0].hooks[2]', 'plans[3].repo'])
    assert.ok(noted.includes(path), `${path} is listed: ${noted.join(', ')}`);
  assert.match(report.notMapped.find((item) => item.path === 'plans[0].hooks[2]')?.reason ?? '', /healthchecks/);
});

test('Backrest --dry-run never shows the inline repository password or a secret env value', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const result = await cli(setup.args('import', 'backrest', setup.file, '--dry-run'), setup.env);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /backrest-inline-Secret-6|b2-Env-Secret-7/);
  assert.equal(JSON.parse(result.stdout).repositories[1].env.B2_ACCOUNT_KEY, '••••••••');
});

test('round trip: an imported Backrest plan backs up to its local repo with its password', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  await importJson(setup, 'backrest');
  assert.equal((await cli(setup.args('init', 'local-repo'), setup.env)).code, 0);
  const run = await cli(setup.args('run', 'documents', '--json'), setup.env);
  assert.equal(run.code, 0, run.stderr);
  const record = JSON.parse(run.stdout);
  assert.equal(record.status, 'success', record.reason);
  assert.ok(record.snapshotId);
  assert.ok(record.steps.every((step: { kind: string }) => step.kind === 'restic'));
});
