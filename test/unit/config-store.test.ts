import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigInvalidError, ConfigParseError, loadConfig, migrateConfig, saveConfig } from '../../main/core/config/store.ts';
import { resolveLocations } from '../../main/core/util/paths.ts';
import { tempDir } from '../helpers/temp.ts';

const VALID = {
  version: 1,
  repositories: [{ id: 'nas', url: '/mnt/nas', passwordEnv: 'PW' }],
  plans: [{ id: 'docs', repository: 'nas', sources: ['/home/me/docs'] }],
};

test('a missing config file loads as an empty config and is not created', async (t) => {
  const dir = await tempDir(t);
  const loaded = await loadConfig(join(dir, 'config.json'));
  assert.equal(loaded.exists, false);
  assert.deepEqual(loaded.config.plans, []);
  assert.deepEqual(await readdir(dir), []);
});

test('a save is atomic, leaves no temp files, and makes the file private (0600)', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await saveConfig(file, VALID);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), VALID);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(dir), ['config.json']);
});

test('an invalid config is refused on save and the file on disk is unchanged', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await saveConfig(file, VALID);
  const before = await readFile(file, 'utf8');
  await assert.rejects(saveConfig(file, { ...VALID, plans: [{ id: 'docs', repository: 'nowhere', sources: ['/x'] }] }), ConfigInvalidError);
  assert.equal(await readFile(file, 'utf8'), before);
});

test('a config that fails to parse is reported with its line and kept byte for byte', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  const broken = '{\n  "version": 1,\n  "plans": [\n    { "id": "docs", }\n  ]\n}\n';
  await writeFile(file, broken);
  await assert.rejects(loadConfig(file), (error: unknown) => {
    assert.ok(error instanceof ConfigParseError);
    assert.equal(error.line, 4);
    assert.match(error.message, /line 4/);
    assert.match(error.message, /will not overwrite it/);
    return true;
  });
  assert.equal(await readFile(file, 'utf8'), broken);
});

test('saving over a file that does not parse keeps a copy of it first', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await writeFile(file, '{ "version": 1, oops');
  const result = await saveConfig(file, VALID, new Date('2026-11-21T10:00:00Z'));
  assert.ok(result.keptCopy);
  assert.equal(await readFile(result.keptCopy, 'utf8'), '{ "version": 1, oops');
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), VALID);
});

test('a YAML config given with --config loads, and its parse errors name the line', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'lifeboat.yaml');
  await writeFile(
    file,
    'version: 1\nrepositories:\n  - id: nas\n    url: /mnt/nas\n    passwordEnv: PW\nplans:\n  - id: docs\n    repository: nas\n    sources: ["~/docs"]\n',
  );
  const loaded = await loadConfig(file);
  assert.equal(loaded.config.plans[0]?.id, 'docs');
  await writeFile(file, 'version: 1\nplans:\n  - id: docs\n   repository: nas\n');
  await assert.rejects(loadConfig(file), (error: unknown) => error instanceof ConfigParseError && error.line === 4);
});

test('an older config version is migrated, written back, and the old copy kept', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  const old = { version: 0, repos: VALID.repositories, plans: VALID.plans };
  await writeFile(file, JSON.stringify(old));
  const migrations = { 0: ({ repos, ...rest }: Record<string, unknown>) => ({ ...rest, repositories: repos }) };
  const loaded = await loadConfig(file, { migrations });
  assert.equal(loaded.migration?.from, 0);
  assert.deepEqual(JSON.parse(await readFile(`${file}.v0.bak`, 'utf8')), old);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).version, 1);
  assert.equal(loaded.config.repositories[0]?.id, 'nas');
});

test('a migration step that is missing is a clear error', () => {
  assert.throws(() => migrateConfig({ version: 0 }, {}), /cannot migrate a config from version 0/);
});

test('a config from a newer Lifeboat is refused and left alone', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify({ ...VALID, version: 9 }));
  await assert.rejects(loadConfig(file), /written by a newer Lifeboat/);
  assert.equal(JSON.parse(await readFile(file, 'utf8')).version, 9);
});

test('flags override LIFEBOAT_* variables, which override the OS default data dir', () => {
  const env = { HOME: '/home/me', XDG_CONFIG_HOME: '/home/me/.config' };
  assert.deepEqual(resolveLocations({}, env), { dataDir: '/home/me/.config/Lifeboat', configFile: '/home/me/.config/Lifeboat/config.json' });
  assert.deepEqual(resolveLocations({}, { ...env, LIFEBOAT_DATA_DIR: '/srv/lb' }), { dataDir: '/srv/lb', configFile: '/srv/lb/config.json' });
  assert.deepEqual(resolveLocations({}, { ...env, LIFEBOAT_DATA_DIR: '/srv/lb', LIFEBOAT_CONFIG: '/etc/lb.yaml' }), {
    dataDir: '/srv/lb',
    configFile: '/etc/lb.yaml',
  });
  assert.deepEqual(resolveLocations({ dataDir: '/d', config: '/c.json' }, { ...env, LIFEBOAT_DATA_DIR: '/srv/lb', LIFEBOAT_CONFIG: '/etc/lb.yaml' }), {
    dataDir: '/d',
    configFile: '/c.json',
  });
});

test('a config file that says only null is refused, not taken as an empty config', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await writeFile(file, 'null\n');
  await assert.rejects(loadConfig(file), (error: unknown) => error instanceof ConfigInvalidError && /must be an object/.test(error.message));
});

test('temp files of a save that was killed are removed at the next load; a live saver keeps its own', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'config.json');
  await saveConfig(file, VALID);
  const abandoned = join(dir, '.config.json.999999.0a1b2c3d.tmp');
  const live = join(dir, `.config.json.${process.pid}.0a1b2c3d.tmp`);
  await writeFile(abandoned, 'half a config');
  await writeFile(live, 'being written');
  await loadConfig(file);
  assert.deepEqual((await readdir(dir)).sort(), [`.config.json.${process.pid}.0a1b2c3d.tmp`, 'config.json']);
});

test('a full disk while saving is a sentence, and the config on disk is untouched', async (t) => {
  const { asDiskFull } = await import('../../main/core/util/errors.ts');
  const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const sentence = asDiskFull(error, '/home/me/.config/Lifeboat/config.json') as Error;
  assert.equal(
    sentence.message,
    'The disk holding /home/me/.config/Lifeboat/config.json is full, so Lifeboat could not write it. Free some space there; what was written before is intact.',
  );
  const other = new Error('boom');
  assert.equal(asDiskFull(other, '/x'), other);
  void t;
});

test('saving a YAML config written by hand keeps its comments, order and quoting where nothing changed, and writes exactly the new config', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'lifeboat.yaml');
  const handWritten = [
    '# Backups of this laptop — see the wiki before changing the repository',
    'version: 1',
    'repositories:',
    '  - id: usb # the blue disk',
    '    url: /media/usb/restic',
    "    passwordEnv: 'USB_PASSWORD'",
    'plans:',
    '  # Documents first: they matter most',
    '  - id: docs',
    '    repository: usb',
    '    sources:',
    '      - /home/me/Documents # not Downloads',
    '    retention:',
    '      keepLast: 5 # was 3 until March',
    '  - id: photos',
    '    repository: usb',
    '    sources: [/home/me/Pictures]',
    '',
  ].join('\n');
  await writeFile(file, handWritten);
  const loaded = await loadConfig(file);
  const raw = structuredClone(loaded.raw) as { plans: Array<Record<string, unknown>> };
  (raw.plans[0]!.retention as Record<string, unknown>).keepLast = 7;
  raw.plans[1]!.name = 'Photos: 2024 and "older"';
  (raw.plans[0]!.sources as string[]).push('/home/me/Notes # a hash in a name');
  delete (raw.plans[1] as Record<string, unknown>).repository;
  (raw.plans[1] as Record<string, unknown>).repository = 'usb';
  await saveConfig(file, raw);
  const text = await readFile(file, 'utf8');
  for (const comment of ['# Backups of this laptop', '# the blue disk', '# Documents first', '# not Downloads']) {
    assert.ok(text.includes(comment), `kept: ${comment}\n${text}`);
  }
  assert.ok(text.includes("passwordEnv: 'USB_PASSWORD'"), 'an untouched value keeps its quoting');
  assert.match(text, /keepLast: 7/);
  assert.deepEqual((await loadConfig(file)).raw, raw, 'the file reads back as exactly the config saved');
});
