import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigConflictError, configRevision, loadConfig, saveConfig } from '../../main/core/config/store.ts';
import { tempDir } from '../helpers/temp.ts';

const CONFIG = { version: 1, repositories: [{ id: 'local', url: '/srv/restic', passwordEnv: 'PW' }], plans: [] };

test('a save carrying the revision it edited is refused when the file changed since, and the file is left as it is', async (t) => {
  const file = join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify(CONFIG));
  const loaded = await loadConfig(file);
  assert.equal(loaded.revision, configRevision(JSON.stringify(CONFIG)));
  const edited = `${JSON.stringify({ ...CONFIG, settings: { historyDays: 30 } }, null, 2)}\n`;
  await writeFile(file, edited);
  await assert.rejects(saveConfig(file, { ...CONFIG, settings: { historyDays: 7 } }, new Date(), { expectedRevision: loaded.revision }), ConfigConflictError);
  assert.equal(await readFile(file, 'utf8'), edited);
  const saved = await saveConfig(file, { ...CONFIG, settings: { historyDays: 7 } }, new Date(), { expectedRevision: configRevision(edited) });
  assert.equal(saved.revision, configRevision(await readFile(file, 'utf8')));
});

test('a save over a file with problems keeps a copy of that file beside it', async (t) => {
  const folder = await tempDir(t);
  const file = join(folder, 'config.json');
  const broken = JSON.stringify({ ...CONFIG, plans: [{ id: 'docs', repository: 'local', sources: ['/x'], schedule: { every: '0s' } }] });
  await writeFile(file, broken);
  const result = await saveConfig(file, CONFIG, new Date('2026-11-21T10:00:00Z'));
  assert.ok(result.keptCopy?.includes('.invalid-'), String(result.keptCopy));
  assert.equal(await readFile(result.keptCopy!, 'utf8'), broken);
  assert.equal((await readdir(folder)).length, 2);
});
