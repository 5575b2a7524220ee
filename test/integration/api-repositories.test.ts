import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { waitFor } from '../helpers/processes.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';

const run = promisify(execFile);

async function servedSetup(t: Parameters<typeof startServe>[0]) {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  await makeRepository(setup.repo, setup.password, setup.env);
  return { root, source, setup, served: await startServe(t, setup) };
}

/** A restic repository made outside Lifeboat (restic itself, with the password in its environment). */
async function makeRepository(url: string, password: string, env: NodeJS.ProcessEnv) {
  await run('restic', ['init', '--repo', url], { env: { ...process.env, ...env, RESTIC_PASSWORD: password } });
}

test('adding an existing repository with a wrong password is refused with a sentence and stores nothing; the right password adds it without initialising', async (t) => {
  const { root, setup, served } = await servedSetup(t);
  const existing = join(root, 'existing');
  await makeRepository(existing, 'the right password', setup.env);
  const before = await readFile(setup.configFile, 'utf8');

  for (const initialise of [false, true]) {
    const wrong = await served.call('repositories.create', { id: 'usb', name: 'USB', url: existing, password: 'not the password', initialise });
    assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
    assert.equal(wrong.body.error.code, 'wrong-password');
    assert.match(wrong.body.error.message, /password does not open the repository at .*existing; nothing was saved/);
    assert.equal(await readFile(setup.configFile, 'utf8'), before, 'the config is untouched');
    assert.ok(!existsSync(join(setup.dataDir, 'secrets', 'usb.password')), 'the wrong password is never stored');
  }

  const right = await served.call('repositories.create', { id: 'usb', name: 'USB', url: existing, password: 'the right password', initialise: true });
  assert.equal(right.status, 200, JSON.stringify(right.body));
  const list = await served.call('repositories.list');
  assert.deepEqual(
    list.body.map((repository: { id: string }) => repository.id),
    ['local', 'usb'],
  );
  const valid = await lifeboat(setup.args('validate'), { env: setup.env });
  assert.equal(valid.code, 0, valid.stderr);

  const twice = await served.call('repositories.create', {
    id: 'usb2',
    name: 'USB again',
    url: `${existing}/`,
    password: 'the right password',
    initialise: false,
  });
  assert.equal(twice.status, 409);
  assert.match(twice.body.error.message, /Repository "usb" is at .* already/);
});

test('adding an empty place without "Initialise" is refused and offers to initialise; with it a repository is made', async (t) => {
  const { root, setup, served } = await servedSetup(t);
  const place = join(root, 'new-place');
  const refused = await served.call('repositories.create', { id: 'fresh', name: 'Fresh', url: place, password: 'a new password', initialise: false });
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'not-initialised');
  assert.match(refused.body.error.message, /no restic repository at .*new-place yet\. Tick "Initialise"/);
  const short = await served.call('repositories.create', { id: 'fresh', name: 'Fresh', url: place, password: 'short', initialise: true });
  assert.equal(short.status, 400);
  assert.ok(!existsSync(join(place, 'config')));
  const made = await served.call('repositories.create', { id: 'fresh', name: 'Fresh', url: place, password: 'a new password', initialise: true });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  assert.ok(existsSync(join(place, 'config')), 'restic init ran');
  assert.ok(!(await readFile(setup.configFile, 'utf8')).includes('a new password'), 'the password is not in the config');
});

test('a repository is edited by id: name, URL and credentials, with secrets write-only (masked kept, new replaced, missing removed)', async (t) => {
  const { root, setup, served } = await servedSetup(t);
  const first = await served.call('repositories.update', {
    id: 'local',
    name: 'NAS "quoted" $(x)',
    env: { AWS_ACCESS_KEY_ID: 'key-id-1', AWS_SECRET_ACCESS_KEY: 'secret-1' },
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const listed = (await served.call('repositories.list')).body[0];
  assert.equal(listed.name, 'NAS "quoted" $(x)');
  assert.deepEqual(Object.keys(listed.env), ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  assert.ok(!JSON.stringify(listed).includes('secret-1'), 'a secret never comes back');

  const second = await served.call('repositories.update', {
    id: 'local',
    env: { AWS_SECRET_ACCESS_KEY: listed.env.AWS_SECRET_ACCESS_KEY, B2_ACCOUNT_ID: 'b2' },
  });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const stored = JSON.parse(await readFile(setup.configFile, 'utf8')).repositories[0];
  assert.deepEqual(stored.env, { AWS_SECRET_ACCESS_KEY: 'secret-1', B2_ACCOUNT_ID: 'b2' });

  const badKey = await served.call('repositories.update', { id: 'local', env: { 'BAD KEY': 'x' } });
  assert.equal(badKey.status, 422);
  assert.match(badKey.body.error.message, /"BAD KEY" is not an environment variable name/);
  const override = await served.call('repositories.update', { id: 'local', env: { RESTIC_PASSWORD: 'sneaky' } });
  assert.equal(override.status, 422);
  assert.match(override.body.error.message, /RESTIC_PASSWORD cannot be a credential/);

  const nowhere = await served.call('repositories.update', { id: 'local', url: join(root, 'nowhere') });
  assert.equal(nowhere.status, 422);
  assert.equal(nowhere.body.error.code, 'not-initialised');
  const foreign = join(root, 'foreign');
  await makeRepository(foreign, 'someone else entirely', setup.env);
  const elsewhere = await served.call('repositories.update', { id: 'local', url: foreign });
  assert.equal(elsewhere.status, 422);
  assert.match(elsewhere.body.error.message, /password does not open .*foreign; nothing was saved/);
  assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).repositories[0].url, setup.repo, 'the URL is untouched');

  const wrong = await served.call('repositories.update', { id: 'local', password: 'a wrong password' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'wrong-password');
  assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).repositories[0].passwordEnv, 'LIFEBOAT_TEST_PASSWORD', 'the password source is untouched');
});

test('a repository used by a plan cannot be removed (the plans are named); deleting the plan keeps its history, then the repository goes', async (t) => {
  const { setup, served } = await servedSetup(t);
  const backup = await lifeboat(setup.args('run', 'docs'), { env: setup.env });
  assert.equal(backup.code, 0, backup.stderr);

  const refused = await served.call('repositories.remove', { id: 'local' });
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.message, /used by the plan "Documents"; move or delete that plan first/);

  const deleted = await served.call('plans.delete', { plan: 'docs' });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  assert.deepEqual((await served.call('plans.list')).body, []);
  const history = await served.call('history.list', { plan: 'docs' });
  assert.equal(history.body.length, 1, 'the deleted plan keeps its history');
  assert.equal(history.body[0].status, 'success');

  const removed = await served.call('repositories.remove', { id: 'local' });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.deepEqual(JSON.parse(await readFile(setup.configFile, 'utf8')).repositories, []);
  assert.ok(existsSync(join(setup.repo, 'config')), 'the repository data stays on disk');
});

test('onboarding twice on the same place reuses the repository, refuses a different password, and starts the first backup each time', async (t) => {
  const root = await tempDir(t);
  const dataDir = join(root, 'data');
  const setup = { env: { RESTIC_CACHE_DIR: join(root, 'cache') }, args: (...rest: string[]) => ['--data-dir', dataDir, ...rest] };
  const served = await startServe(t, setup);
  const folders = ['one', 'two', 'three'].map((name) => join(root, name));
  for (const folder of folders) {
    await mkdir(folder);
    await writeFile(join(folder, 'f.txt'), folder);
  }
  // Only spaces: asked for, not called " is not a folder".
  const blank = await served.call('onboarding.setup', { folder: '   ', password: 'first password', cron: '0 2 * * *' });
  assert.equal(blank.status, 422);
  assert.equal(blank.body.error.message, 'Type or pick the folder to back up.');
  assert.deepEqual(blank.body.error.problems, [{ path: 'folder', message: 'is empty; type or pick the folder to back up' }]);
  const first = await served.call('onboarding.setup', { folder: folders[0], password: 'first password', cron: '0 2 * * *' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.started, true);
  await waitFor(
    async () => (await served.call('history.list', { plan: first.body.plan })).body[0]?.status === 'success',
    'the first backup to succeed',
    60_000,
  );

  const wrong = await served.call('onboarding.setup', { folder: folders[1], password: 'another password', cron: '0 2 * * *' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'wrong-password');

  const second = await served.call('onboarding.setup', { folder: folders[1], password: 'first password' });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.equal(second.body.repository, first.body.repository);
  const third = await served.call('onboarding.setup', { folder: folders[2], repository: first.body.repository });
  assert.equal(third.status, 200, JSON.stringify(third.body));
  const config = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'));
  assert.equal(config.repositories.length, 1, 'one repository, never a second copy');
  assert.equal(config.plans.length, 3);

  const more = await served.call('onboarding.setup', { folder: folders[2], plan: first.body.plan });
  assert.equal(more.status, 200, JSON.stringify(more.body));
  const plans = (await served.call('plans.list')).body;
  assert.deepEqual(plans.find((plan: { id: string }) => plan.id === first.body.plan).sources, [folders[0], folders[2]]);
  const again = await served.call('onboarding.setup', { folder: folders[2], plan: first.body.plan });
  assert.equal(again.status, 409);
  await waitFor(async () => (await served.call('plans.list')).body.every((plan: { running: boolean }) => !plan.running), 'the backups to end', 60_000);
});

test('the restic program is checked before it is saved: a missing path is refused with a sentence, a good one is kept with its version', async (t) => {
  const { root, setup, served } = await servedSetup(t);
  const missing = await served.call('settings.update', { resticPath: join(root, 'no-such-restic') });
  assert.equal(missing.status, 422);
  assert.match(missing.body.error.message, /no executable restic is there.*Nothing was saved/);
  const notRestic = await served.call('settings.update', { resticPath: '/bin/true' });
  assert.equal(notRestic.status, 422);
  assert.match(notRestic.body.error.message, /did not answer "restic version"/);
  assert.equal(JSON.parse(await readFile(setup.configFile, 'utf8')).settings, undefined, 'nothing saved');

  const good = await served.call('settings.update', { resticPath: '/usr/bin/restic' });
  assert.equal(good.status, 200, JSON.stringify(good.body));
  const shown = await served.call('settings.restic');
  assert.equal(shown.body.resticPath, '/usr/bin/restic');
  assert.match(shown.body.version, /^\d+\.\d+\.\d+$/);
  const cleared = await served.call('settings.update', { resticPath: null });
  assert.equal(cleared.status, 200);
  assert.equal((await served.call('settings.restic')).body.resticPath, null);
});
