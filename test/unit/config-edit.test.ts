import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addHook,
  addMonitor,
  addPlan,
  addRepository,
  ConfigEditError,
  type RawConfig,
  readRawConfig,
  removeHook,
  removeMonitor,
  removePlan,
  removeRepository,
  repositoryAt,
  uniqueId,
  updateHook,
  updateMonitor,
  updatePlan,
  updateRepository,
  updateSettings,
} from '../../main/core/config/edit.ts';
import { MASK, maskConfig } from '../../main/core/config/secrets-mask.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { UserError } from '../../main/core/util/errors.ts';

const HOOK = { id: 'notify', on: ['backup.after' as const], script: { command: 'echo done' } };

function sample(): RawConfig {
  return readRawConfig({
    version: 1,
    repositories: [
      { id: 'local', url: '/srv/restic', passwordEnv: 'PW' },
      { id: 'cloud', url: 'rest:https://me:cloud-secret@example.test/repo', passwordEnv: 'PW', env: { AWS_SECRET_ACCESS_KEY: 'aws-secret' } },
    ],
    plans: [
      {
        id: 'docs',
        repository: 'local',
        sources: ['/home/me/docs'],
        hooks: [{ ...HOOK, id: 'docs-hook' }],
        monitors: [{ type: 'healthchecks', url: 'https://hc.test/docs-secret' }],
      },
      {
        id: 'photos',
        repository: 'cloud',
        sources: ['/home/me/photos'],
        hooks: [HOOK],
        monitors: [{ id: 'ping', type: 'ntfy', url: 'https://ntfy.test/photos', token: 'photos-token' }],
      },
      {
        id: 'music',
        repository: 'local',
        sources: ['/home/me/music'],
        hooks: [{ ...HOOK, id: 'music-hook' }],
        monitors: [{ id: 'hook', type: 'webhook', url: 'https://hook.test/music-secret', headers: { Authorization: 'Bearer music' } }],
      },
    ],
  });
}

/** A refusal of the given reason whose message is one sentence naming what to do. */
function refusal(reason: ConfigEditError['reason'], kind: UserError['kind'], fix: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ConfigEditError, String(error));
    assert.ok(error instanceof UserError);
    assert.equal(error.reason, reason);
    assert.equal(error.kind, kind);
    assert.match(error.message, fix);
    assert.ok(!error.message.includes('\n'), error.message);
    return true;
  };
}

function assertValid(config: RawConfig): void {
  const result = validateConfig(config);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
}

test('a raw config is read typed; one that is not a config is refused as a config problem', () => {
  assert.deepEqual(readRawConfig({ version: 1 }), { version: 1 });
  assert.throws(
    () => readRawConfig({ version: 1, plans: 'docs' }),
    (error: unknown) => error instanceof UserError && error.kind === 'config',
  );
});

test('plans are added, updated and removed by id, and the input is never changed', () => {
  const config = sample();
  const before = structuredClone(config);
  const added = addPlan(config, { id: 'games', repository: 'local', sources: ['/home/me/games'] });
  assert.deepEqual(
    added.plans?.map((plan) => plan.id),
    ['docs', 'photos', 'music', 'games'],
  );
  const renamed = updatePlan(added, 'games', { name: 'Saved games', sources: ['/home/me/games', '/home/me/saves'] });
  assert.deepEqual(renamed.plans?.[3], { id: 'games', name: 'Saved games', repository: 'local', sources: ['/home/me/games', '/home/me/saves'] });
  const removed = removePlan(renamed, 'games');
  assert.deepEqual(removed, before);
  assert.deepEqual(config, before, 'the input config is left as it was');
  assertValid(renamed);
});

test("a removed plan's neighbours keep their own hooks, monitors and secrets", () => {
  const config = sample();
  const removed = removePlan(config, 'photos');
  assert.deepEqual(removed.plans, [config.plans![0], config.plans![2]]);
  assert.equal(removed.plans?.[1]?.monitors?.[0]?.url, 'https://hook.test/music-secret');
  assert.deepEqual(removed.plans?.[1]?.hooks, [{ ...HOOK, id: 'music-hook' }]);
  assert.deepEqual(removed.repositories, config.repositories);
  assertValid(removed);
});

test('an unknown id is refused as not-found, with a sentence that names the ids there are', () => {
  const config = sample();
  assert.throws(() => updatePlan(config, 'nope', { name: 'x' }), refusal('not-found', 'not-found', /There is no plan "nope".*docs, photos, music/));
  assert.throws(() => removePlan(config, 'nope'), refusal('not-found', 'not-found', /no plan "nope"/));
  assert.throws(() => removeRepository(config, 'nope'), refusal('not-found', 'not-found', /no repository "nope".*local, cloud/));
  assert.throws(() => updateHook(config, 'docs', 'nope', HOOK), refusal('not-found', 'not-found', /Plan "docs" has no hook "nope".*docs-hook/));
  assert.throws(() => removeHook(config, 'nope', 'docs-hook'), refusal('not-found', 'not-found', /no plan "nope"/));
  assert.throws(() => removeMonitor(config, 'photos', 'nope'), refusal('not-found', 'not-found', /Plan "photos" has no monitor "nope".*ping/));
  const empty = readRawConfig({ version: 1 });
  assert.throws(() => removePlan(empty, 'docs'), refusal('not-found', 'not-found', /There are no plans yet; add one first/));
});

test('a duplicate id is refused: plan, repository, hook within its plan, monitor within its plan', () => {
  const config = sample();
  assert.throws(
    () => addPlan(config, { id: 'docs', repository: 'local', sources: ['/x'] }),
    refusal('exists', 'conflict', /plan "docs" exists already; pick another id/),
  );
  assert.throws(
    () => addRepository(config, { id: 'cloud', url: '/elsewhere', passwordEnv: 'PW' }),
    refusal('exists', 'conflict', /repository "cloud" exists already/),
  );
  assert.throws(() => addHook(config, 'docs', { ...HOOK, id: 'docs-hook' }), refusal('exists', 'conflict', /hook "docs-hook" exists already in plan "docs"/));
  assert.throws(
    () => addMonitor(config, 'photos', { id: 'ping', type: 'healthchecks', url: 'https://hc.test/x' }),
    refusal('exists', 'conflict', /monitor "ping"/),
  );
  // The same hook id in another plan is no clash.
  const added = addHook(config, 'docs', HOOK);
  assert.deepEqual(
    added.plans?.[0]?.hooks?.map((hook) => hook.id),
    ['docs-hook', 'notify'],
  );
});

test('a repository that plans use is not removed; one no plan uses is', () => {
  const config = sample();
  assert.throws(() => removeRepository(config, 'local'), refusal('in-use', 'conflict', /used by the plans "docs", "music"; move or delete those plans first/));
  const alone = removeRepository(removePlan(config, 'photos'), 'cloud');
  assert.deepEqual(
    alone.repositories?.map((repository) => repository.id),
    ['local'],
  );
  assertValid(alone);
});

test('hooks are added, updated and removed by id within their plan; other plans keep theirs', () => {
  const config = sample();
  const updated = updateHook(config, 'photos', 'notify', { ...HOOK, script: { command: 'echo changed' } });
  assert.deepEqual(updated.plans?.[1]?.hooks, [{ ...HOOK, script: { command: 'echo changed' } }]);
  const renamed = updateHook(config, 'docs', 'docs-hook', { ...HOOK, id: 'docs-renamed' });
  assert.deepEqual(
    renamed.plans?.[0]?.hooks?.map((hook) => hook.id),
    ['docs-renamed'],
  );
  const two = addHook(config, 'docs', HOOK);
  assert.throws(() => updateHook(two, 'docs', 'docs-hook', HOOK), refusal('exists', 'conflict', /hook "notify" exists already in plan "docs"/));
  const removed = removeHook(updated, 'photos', 'notify');
  assert.deepEqual(removed.plans?.[1]?.hooks, []);
  assert.deepEqual(removed.plans?.[0]?.hooks, config.plans?.[0]?.hooks);
  assert.deepEqual(removed.plans?.[2]?.hooks, config.plans?.[2]?.hooks);
});

test('repository updates keep masked credentials by key, take new ones, drop missing keys, and keep the masked URL password', () => {
  const config = sample();
  const updated = updateRepository(config, 'cloud', {
    name: 'Cloud',
    url: `rest:https://me:${MASK}@example.test/repo`,
    env: { AWS_SECRET_ACCESS_KEY: MASK, B2_ACCOUNT_ID: 'b2' },
  });
  assert.deepEqual(updated.repositories?.[1], {
    id: 'cloud',
    name: 'Cloud',
    url: 'rest:https://me:cloud-secret@example.test/repo',
    passwordEnv: 'PW',
    env: { AWS_SECRET_ACCESS_KEY: 'aws-secret', B2_ACCOUNT_ID: 'b2' },
  });
  const cleared = updateRepository(updated, 'cloud', { env: {} });
  assert.equal(cleared.repositories?.[1]?.env, undefined, 'no credentials left: no env key');
  const moved = updateRepository(config, 'local', { password: { passwordFile: '/secrets/local.password' } });
  assert.deepEqual(moved.repositories?.[0], { id: 'local', url: '/srv/restic', passwordFile: '/secrets/local.password' });
});

test('a masked secret that matches nothing stored is refused, never saved as the secret', () => {
  const config = sample();
  assert.throws(
    () => updateRepository(config, 'cloud', { env: { B2_ACCOUNT_KEY: MASK } }),
    refusal('unknown-mask', 'invalid', /env\.B2_ACCOUNT_KEY is a hidden value.*type the value again/),
  );
  assert.throws(
    () => updateRepository(config, 'local', { url: `sftp://me:${MASK}@host/srv` }),
    refusal('unknown-mask', 'invalid', /hidden password.*type the URL with its password again/),
  );
  assert.throws(
    () => updateMonitor(config, 'music', 'hook', { id: 'hook', type: 'webhook', url: MASK, headers: { 'X-New': MASK } }),
    refusal('unknown-mask', 'invalid', /header "X-New".*type it again/),
  );
  assert.throws(() => addMonitor(config, 'docs', { id: 'new', type: 'healthchecks', url: MASK }), refusal('unknown-mask', 'invalid', /type the URL again/));
  // A mask in another plan's monitor does not find this plan's secret either.
  assert.throws(
    () => updatePlan(config, 'docs', { monitors: [{ id: 'ping', type: 'ntfy', url: MASK, token: MASK }] }),
    refusal('unknown-mask', 'invalid', /no saved monitor of plan "docs" has the id "ping"/),
  );
});

test('monitors are matched by id: a masked edit keeps their own secrets, removing one leaves the rest alone', () => {
  const config = sample();
  const masked = maskConfig(config) as RawConfig;
  const shownId = masked.plans?.[0]?.monitors?.[0]?.id;
  assert.ok(shownId, 'a monitor without an id is shown with a stable one');
  const kept = updateMonitor(config, 'photos', 'ping', { id: 'ping', type: 'ntfy', url: MASK, token: MASK });
  assert.deepEqual(kept.plans?.[1]?.monitors, config.plans?.[1]?.monitors);
  const plan = updatePlan(config, 'music', { monitors: [{ id: 'hook', type: 'webhook', url: MASK, headers: { Authorization: MASK } }] });
  assert.deepEqual(plan.plans?.[2]?.monitors, config.plans?.[2]?.monitors);
  const withSecond = addMonitor(config, 'docs', { type: 'healthchecks', url: 'https://hc.test/second' });
  assert.equal(withSecond.plans?.[0]?.monitors?.length, 2);
  const firstGone = removeMonitor(withSecond, 'docs', shownId);
  assert.deepEqual(
    firstGone.plans?.[0]?.monitors?.map((monitor) => monitor.url),
    ['https://hc.test/second'],
  );
  assertValid(firstGone);
});

test('settings are merged; a new id is made unique against those taken', () => {
  const config = sample();
  assert.deepEqual(updateSettings(config, { hooksEnabled: false }).settings, { hooksEnabled: false });
  assert.deepEqual(updateSettings(updateSettings(config, { hooksEnabled: false }), { resticPath: null }).settings, { hooksEnabled: false, resticPath: null });
  assert.equal(uniqueId('docs', ['docs', 'docs-2']), 'docs-3');
  assert.equal(uniqueId('new', ['docs']), 'new');
});

test('the same place twice is one repository: a folder however written, a URL with or without its trailing slash', () => {
  const config = sample();
  assert.equal(repositoryAt(config, '/srv/restic/')?.id, 'local');
  assert.equal(repositoryAt(config, '/srv/../srv/restic')?.id, 'local');
  assert.equal(repositoryAt(config, 'rest:https://me:cloud-secret@example.test/repo/')?.id, 'cloud');
  assert.equal(repositoryAt(config, '/srv/restic', 'local'), undefined, 'the repository being edited is not its own duplicate');
  assert.equal(repositoryAt(config, '/srv/other'), undefined);
});

test('an edit keeps the config as written: durations stay the words the person typed, no defaults are added', () => {
  const written = {
    version: 1,
    repositories: [{ id: 'local', url: '/srv/restic', passwordEnv: 'PW' }],
    plans: [
      { id: 'docs', repository: 'local', sources: ['/home/me/docs'], schedule: { every: '6h' }, hooks: [{ ...HOOK, timeout: '90s' }] },
      { id: 'music', repository: 'local', sources: ['/home/me/music'] },
    ],
  };
  const edited = removePlan(readRawConfig(structuredClone(written)), 'music');
  assert.deepEqual(edited, { ...written, plans: [written.plans[0]] });
});
