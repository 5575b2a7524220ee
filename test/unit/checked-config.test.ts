import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckedConfig } from '../../main/core/config/checked-config.ts';
import { ConfigInvalidError, loadConfig } from '../../main/core/config/store.ts';
import { validateConfig } from '../../main/core/config/validate.ts';
import { tempDir } from '../helpers/temp.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'config', 'every-feature.json');

test('a remembered config reads back exactly as checked, keys left undefined included', async (t) => {
  const dir = await tempDir(t);
  const text = await readFile(FIXTURE, 'utf8');
  const raw = JSON.parse(text);
  const validation = validateConfig(raw);
  assert.ok(validation.ok);
  const checked = new CheckedConfig(join(dir, 'config-checked.json'), 'build-1');
  const key = checked.key(text)!;
  await checked.write(key, validation.config, raw);
  assert.deepStrictEqual(await checked.read(key, JSON.parse(text)), validation.config);
  assert.equal(await checked.read(`${key}x`, raw), undefined, 'another key');
  // Read against another file's text (a stale place), it is not used.
  assert.equal(await checked.read(key, { version: 1 }), undefined);
});

test('the remembered config holds no text of the file: no password, cloud key or monitor URL lands in the data dir', async (t) => {
  const dir = await tempDir(t);
  const secrets = ['cloud-key-3f9a8c', 'https://hc.example/ping/5ecret-uuid', 'sftp://me:url-pa55word@host/srv', 'pass show backup-pw-77'];
  const raw = {
    version: 1,
    repositories: [{ id: 'r', url: secrets[2], passwordCommand: secrets[3], env: { AWS_SECRET_ACCESS_KEY: secrets[0] } }],
    plans: [{ id: 'p', repository: 'r', sources: ['/data'], monitors: [{ type: 'healthchecks', url: secrets[1] }] }],
  };
  const text = JSON.stringify(raw);
  const validation = validateConfig(raw);
  assert.ok(validation.ok, JSON.stringify(validation));
  const file = join(dir, 'config-checked.json');
  const checked = new CheckedConfig(file, 'build-1');
  await checked.write(checked.key(text)!, validation.config, raw);
  const stored = await readFile(file, 'utf8');
  for (const secret of [...secrets, 'url-pa55word', '5ecret-uuid']) assert.ok(!stored.includes(secret), `${secret} is not in the data dir`);
  assert.deepStrictEqual(await checked.read(checked.key(text)!, JSON.parse(text)), validation.config);
});

test('the key changes with the text, the build, the home folder and the fast-schedules switch; the sources remember nothing', () => {
  const one = new CheckedConfig('/nowhere', 'build-1');
  const keys = new Set([
    one.key('{"version":1}'),
    one.key('{"version": 1}'),
    new CheckedConfig('/nowhere', 'build-2').key('{"version":1}'),
    one.key('{"version":1}', { LIFEBOAT_ALLOW_FAST_SCHEDULES: '1' }),
  ]);
  assert.equal(keys.size, 4);
  assert.equal(one.key('{"version":1}'), one.key('{"version":1}'));
  assert.equal(new CheckedConfig('/nowhere', undefined).key('{"version":1}'), undefined);
});

test('a damaged or foreign memory is ignored, and a config holding the stand-in text is never remembered', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config-checked.json');
  const checked = new CheckedConfig(file, 'build-1');
  const key = checked.key('x')!;
  for (const damaged of ['', '{', 'null', '[]', JSON.stringify({ key, config: null }), JSON.stringify({ key, config: 'text' })]) {
    await writeFile(file, damaged);
    assert.equal(await checked.read(key, {}), undefined, damaged);
  }
  const text = JSON.stringify({ version: 1, repositories: [{ id: 'r', url: '/srv/r', passwordEnv: 'P', env: { ODD: '\u0000undefined' } }], plans: [] });
  const validation = validateConfig(JSON.parse(text));
  assert.ok(validation.ok);
  await writeFile(file, 'before');
  await checked.write(checked.key(text)!, validation.config, JSON.parse(text));
  assert.equal(await readFile(file, 'utf8'), 'before', 'not written: it would read back without the value');
});

test('loadConfig uses the remembered config for the same text only; an edited file is checked again', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  const checked = new CheckedConfig(join(dir, 'config-checked.json'), 'build-1');
  const text = await readFile(FIXTURE, 'utf8');
  await writeFile(file, text);
  const first = await loadConfig(file, { checked });
  // What the memory says is what a second load gives (proof it was used, not checked again).
  const marked = structuredClone(first.config);
  marked.plans[0]!.name = 'From the memory';
  await checked.write(checked.key(text)!, marked, JSON.parse(text));
  assert.equal((await loadConfig(file, { checked })).config.plans[0]?.name, 'From the memory');
  // An edit that breaks the config is caught, memory or not.
  await writeFile(file, text.replace('"version": 1', '"version": 1, "bogus": true'));
  await assert.rejects(loadConfig(file, { checked }), ConfigInvalidError);
  // Without a build (the sources), nothing is remembered and every load checks.
  await writeFile(file, text);
  const sources = new CheckedConfig(join(dir, 'sources-checked.json'), undefined);
  assert.deepStrictEqual((await loadConfig(file, { checked: sources })).config, first.config);
  await assert.rejects(readFile(join(dir, 'sources-checked.json')));
});

test('the first load remembers the config even before the data dir exists; a memory that cannot be written costs only a check', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  const text = await readFile(FIXTURE, 'utf8');
  await writeFile(file, text);
  const fresh = new CheckedConfig(join(dir, 'data', 'config-checked.json'), 'build-1');
  const first = await loadConfig(file, { checked: fresh });
  assert.equal((await stat(join(dir, 'data'))).mode & 0o777, 0o700, 'the data dir is made private, as the engine makes it');
  assert.deepStrictEqual(await fresh.read(fresh.key(text)!, JSON.parse(text)), first.config);
  // A data dir path that is a file: nothing can be remembered, and the config still loads.
  await writeFile(join(dir, 'blocked'), 'a file, not a folder');
  const blocked = new CheckedConfig(join(dir, 'blocked', 'config-checked.json'), 'build-1');
  assert.deepStrictEqual((await loadConfig(file, { checked: blocked })).config, first.config);
  assert.deepStrictEqual((await loadConfig(file, { checked: blocked })).config, first.config);
  assert.equal(await readFile(join(dir, 'blocked'), 'utf8'), 'a file, not a folder');
});
