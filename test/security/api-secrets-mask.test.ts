import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const FIRST = 'https://hc-ping.com/first-secret-uuid';
const SECOND = 'https://hc-ping.com/second-secret-uuid';

async function served(t: Parameters<typeof startServe>[0], repository: Record<string, unknown> = {}) {
  const root = await tempDir(t);
  const setup = await writeSetup(
    root,
    [
      {
        id: 'docs',
        sources: [root],
        monitors: [
          { type: 'healthchecks', url: FIRST },
          { type: 'webhook', url: SECOND, headers: { Authorization: 'Bearer second-header-secret' } },
        ],
      },
    ],
    repository,
  );
  return { setup, served: await startServe(t, setup) };
}

test('removing the first monitor through the API keeps the second monitor its own URL (masks follow ids, not positions)', async (t) => {
  const { setup, served: api } = await served(t);
  const { config } = (await api.call('config.get')).body;
  const [first, second] = config.plans[0].monitors;
  assert.equal(second.url, '••••••••', 'the UI never sees the URL');
  assert.match(String(first.id), /^[a-z0-9][a-z0-9-_]*$/, 'a monitor written without an id gets one');
  assert.notEqual(first.id, second.id);
  config.plans[0].monitors = [second];
  const saved = await api.call('config.save', { config });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const stored = JSON.parse(await readFile(setup.configFile, 'utf8'));
  assert.equal(stored.plans[0].monitors.length, 1);
  assert.equal(stored.plans[0].monitors[0].url, SECOND, 'the second monitor keeps its own URL');
  assert.equal(stored.plans[0].monitors[0].headers.Authorization, 'Bearer second-header-secret');
  assert.equal(stored.plans[0].monitors[0].id, second.id, 'the id is written back on save');
  // Reordering, too, keeps each secret with its monitor.
  const again = (await api.call('config.get')).body.config;
  again.plans[0].monitors.unshift({ type: 'healthchecks', url: 'https://hc-ping.com/new-one' });
  assert.equal((await api.call('config.save', { config: again })).status, 200);
  const after = JSON.parse(await readFile(setup.configFile, 'utf8'));
  assert.deepEqual(
    after.plans[0].monitors.map((monitor: { url: string }) => monitor.url),
    ['https://hc-ping.com/new-one', SECOND],
  );
});

test('a masked value whose id or key matches no stored item is refused with 422 and the file is untouched', async (t) => {
  const { setup, served: api } = await served(t, { env: { AWS_SECRET_ACCESS_KEY: 'aws-secret-value' } });
  const before = await readFile(setup.configFile, 'utf8');
  // biome-ignore lint/suspicious/noExplicitAny: the config is whatever JSON config.get answered
  const cases: Array<[string, (config: Record<string, any>) => void, string]> = [
    ['monitor with an unknown id', (config) => (config.plans[0].monitors[0].id = 'not-a-stored-monitor'), 'plans[0].monitors[0].url'],
    ['monitor with no id', (config) => delete config.plans[0].monitors[0].id, 'plans[0].monitors[0].url'],
    ['header key the stored monitor lacks', (config) => (config.plans[0].monitors[1].headers['X-Other'] = '••••••••'), 'plans[0].monitors[1].headers.X-Other'],
    ['repository env key that is not stored', (config) => (config.repositories[0].env.OTHER_KEY = '••••••••'), 'repositories[0].env.OTHER_KEY'],
    ['repository renamed (another id)', (config) => (config.repositories[0].id = 'elsewhere'), 'repositories[0].env.AWS_SECRET_ACCESS_KEY'],
  ];
  for (const [what, change, path] of cases) {
    const { config } = (await api.call('config.get')).body;
    change(config);
    const result = await api.call('config.save', { config });
    assert.equal(result.status, 422, `${what}: ${JSON.stringify(result.body)}`);
    assert.match(result.body.error.message, /type it again/, what);
    assert.ok(
      result.body.error.problems.some((problem: { path: string }) => problem.path === path),
      `${what}: ${JSON.stringify(result.body.error.problems)}`,
    );
    assert.equal(await readFile(setup.configFile, 'utf8'), before, `${what}: the file is untouched`);
  }
});

test('credentials inside repository URLs are masked in config.get and repositories.list, and kept on save', async (t) => {
  for (const url of [
    'sftp://backup:sftp-pass-1@host.example/srv/restic',
    'rest:https://user:rest-pass-2@host.example/',
    's3:https://AKIAKEY:s3-secret-3@s3.example/bucket',
  ]) {
    const { setup, served: api } = await served(t, { url });
    const password = /:([^:@/]+)@/.exec(url)![1]!;
    const config = (await api.call('config.get')).body.config;
    const listed = (await api.call('repositories.list')).body;
    assert.ok(!JSON.stringify(config).includes(password), `${url}: config.get shows the password`);
    assert.ok(!JSON.stringify(listed).includes(password), `${url}: repositories.list shows the password`);
    assert.match(config.repositories[0].url, /••••••••@/);
    config.repositories[0].name = 'Renamed';
    assert.equal((await api.call('config.save', { config })).status, 200);
    const stored = JSON.parse(await readFile(setup.configFile, 'utf8'));
    assert.equal(stored.repositories[0].url, url, 'the masked URL came back unchanged: the stored one is kept');
    // A URL edited around the mask cannot be completed: it is refused, not saved with the mask in it.
    config.repositories[0].url = config.repositories[0].url.replace('host.example', 'other.example').replace('s3.example', 'other.example');
    const edited = await api.call('config.save', { config });
    assert.equal(edited.status, 422, JSON.stringify(edited.body));
    assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).repositories[0].url, url);
  }
});

test('repositories.update with a hidden credential the repository does not have is refused with 422, and the file is untouched', async (t) => {
  const { setup, served: api } = await served(t, { env: { AWS_SECRET_ACCESS_KEY: 'aws-secret-value' } });
  const before = await readFile(setup.configFile, 'utf8');
  const listed = (await api.call('repositories.list')).body[0];
  const result = await api.call('repositories.update', { id: 'local', env: { ...listed.env, B2_ACCOUNT_KEY: listed.env.AWS_SECRET_ACCESS_KEY } });
  assert.equal(result.status, 422, JSON.stringify(result.body));
  assert.equal(result.body.error.code, 'unknown-mask');
  assert.match(result.body.error.message, /B2_ACCOUNT_KEY.*type the value again/);
  assert.deepEqual(
    result.body.error.problems.map((problem: { path: string }) => problem.path),
    ['env.B2_ACCOUNT_KEY'],
  );
  assert.equal(await readFile(setup.configFile, 'utf8'), before);
});

test('deleting a plan through the API leaves the other plans their hooks and monitor secrets', async (t) => {
  const root = await tempDir(t);
  const hook = { id: 'say', on: ['backup.after'], script: { command: 'echo done' } };
  const setup = await writeSetup(root, [
    { id: 'first', sources: [root], hooks: [hook], monitors: [{ type: 'healthchecks', url: FIRST }] },
    { id: 'second', sources: [root], hooks: [hook], monitors: [{ type: 'healthchecks', url: SECOND }] },
  ]);
  const api = await startServe(t, setup);
  const deleted = await api.call('plans.delete', { plan: 'first' });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const stored = JSON.parse(await readFile(setup.configFile, 'utf8'));
  assert.deepEqual(
    stored.plans.map((plan: { id: string }) => plan.id),
    ['second'],
  );
  assert.deepEqual(stored.plans[0].hooks, [hook]);
  assert.equal(stored.plans[0].monitors[0].url, SECOND);
  const missing = await api.call('plans.delete', { plan: 'first' });
  assert.equal(missing.status, 404, JSON.stringify(missing.body));
  assert.match(missing.body.error.message, /no plan "first"/);
});
