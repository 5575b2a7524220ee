import assert from 'node:assert/strict';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { ApiError } from '../../main/api/api-error.ts';
import { type Api, createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { type ImportSetup, importSetup } from '../helpers/import-fixture.ts';

async function apiFor(t: TestContext, setup: ImportSetup): Promise<{ api: Api; engine: Engine }> {
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const scheduler = engine.createScheduler();
  t.after(() => scheduler.stop());
  return { api: createApi({ engine, scheduler, version: 'test', desktop: false }), engine };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error;
  }
  assert.fail('the call was not refused');
}

test('config.importPreview shows what maps, what did not and why, every hook off, no secret; nothing is written', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const { api } = await apiFor(t, setup);
  const preview = await api.call('config.importPreview', { tool: 'backrest', file: setup.file });
  assert.equal(preview.written, false);
  assert.equal(preview.needsConfirmation, false, 'no config yet: nothing to confirm');
  assert.deepEqual(
    preview.plans.map((plan) => plan.id),
    ['documents', 'offsite-photos', 'utc-weekly'],
  );
  const documents = preview.plans[0]!;
  assert.deepEqual(documents.sources, [setup.source]);
  assert.equal(documents.schedule, 'Every hour');
  assert.ok(documents.hooks.length > 0);
  assert.ok(preview.notMapped.length > 0 && preview.notMapped.every((item) => item.reason.length > 0));
  const text = JSON.stringify(preview);
  for (const secret of ['backrest-inline-Secret-6', 'b2-Env-Secret-7']) assert.ok(!text.includes(secret), `${secret} stays out of the answer`);
  await assert.rejects(readFile(setup.configFile), { code: 'ENOENT' });
});

test('config.import adds beside an existing config only when confirmed, then recognises a second import as already imported', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  await mkdir(dirname(setup.configFile), { recursive: true });
  const mine = { version: 1, repositories: [{ id: 'mine', url: join(setup.root, 'mine'), passwordEnv: 'X' }], plans: [] };
  await writeFile(setup.configFile, JSON.stringify(mine));
  const { api, engine } = await apiFor(t, setup);
  const preview = await api.call('config.importPreview', { tool: 'backrest', file: setup.file });
  assert.equal(preview.needsConfirmation, true);
  const refused = await refusal(api.call('config.import', { tool: 'backrest', file: setup.file, merge: false }));
  assert.equal(refused.status, 422);
  assert.match(refused.message, /nothing was imported\. Confirm/);
  assert.deepEqual(JSON.parse(await readFile(setup.configFile, 'utf8')), mine, 'refused: the file is as it was');

  const done = await api.call('config.import', { tool: 'backrest', file: setup.file, merge: true });
  assert.equal(done.written, true);
  assert.deepEqual(
    engine.config.plans.map((plan) => plan.id),
    ['documents', 'offsite-photos', 'utc-weekly'],
    'the engine uses the new config at once',
  );
  assert.ok(engine.config.plans.every((plan) => plan.hooks.every((hook) => !hook.enabled)));
  assert.deepEqual(engine.config.repositories[0]!.id, 'mine');

  const again = await api.call('config.importPreview', { tool: 'backrest', file: setup.file });
  assert.deepEqual(again.plans, []);
  assert.deepEqual(
    again.alreadyImported.map((item) => item.plan),
    ['documents', 'offsite-photos', 'utc-weekly'],
  );
});

test('a file that is missing, a folder, too big, relative or not a config gets one sentence naming the fix', async (t) => {
  const setup = await importSetup(t, 'backrest.json');
  const { api } = await apiFor(t, setup);
  const huge = join(setup.root, 'huge.json');
  await writeFile(huge, '{');
  await truncate(huge, 5 * 1024 * 1024);
  const garbage = join(setup.root, 'garbage.json');
  await writeFile(garbage, '{"repos": [1, 2');
  const cases: Array<[string, RegExp]> = [
    [join(setup.root, 'nope.json'), /there is no such file; check the path/],
    [setup.root, /it is not a file; give the path of the config file itself/],
    [huge, /it is 5 MiB, larger than any backup config \(at most 4 MiB\)/],
    ['profiles.toml', /is not a full path; give the file's whole path/],
    [garbage, /it is not valid JSON/],
    ['/dev/zero', /it is not a file/],
    [`${setup.root}/$(touch pwned)\n.json`, /there is no such file/],
  ];
  for (const [file, said] of cases) {
    const error = await refusal(api.call('config.importPreview', { tool: 'backrest', file }));
    assert.match(error.message, said, file);
    assert.equal(error.message.split('\n').length, 1, file);
    assert.ok(error.status >= 400 && error.status < 500, `${file}: ${error.status}`);
  }
  const tool = await refusal(api.call('config.importPreview', { tool: 'borgmatic' as 'backrest', file: setup.file }));
  assert.equal(tool.status, 400);
});
