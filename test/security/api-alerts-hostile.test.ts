import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError, createApi } from '../../main/api/router.ts';
import { Engine } from '../../main/core/engine.ts';
import { writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

test('plans.snooze and plans.run refuse a plan that does not exist and malformed input, naming the fix', async (t) => {
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [join(root, 'docs')], schedule: null }]);
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  const scheduler = engine.createScheduler();
  t.after(() => scheduler.stop());
  const api = createApi({ engine, scheduler, version: 'test', desktop: false });
  const refusal = async (name: string, input: unknown) => {
    try {
      await api.receive(name, input);
    } catch (error) {
      assert.ok(error instanceof ApiError, String(error));
      return error;
    }
    assert.fail(`${name} ${JSON.stringify(input)} was taken`);
  };
  const missing = await refusal('plans.snooze', { plan: 'nope' });
  assert.equal(missing.status, 404);
  assert.equal(missing.message, 'There is no plan "nope". Plans: docs.');
  for (const input of [{ plan: '$(reboot)' }, { plan: 'docs\nrm -rf /' }, { plan: 'docs', until: '2099-01-01' }, { plan: 'docs', off: 'yes' }, {}]) {
    assert.equal((await refusal('plans.snooze', input)).status, 400, JSON.stringify(input).slice(0, 80));
  }
  assert.equal((await refusal('plans.snooze', { plan: 'x'.repeat(100_000) })).status, 404, 'a well-formed id that names no plan');
  assert.equal((await refusal('plans.run', { plan: 'docs', trigger: 'schedule' })).status, 400, 'a UI asks for a manual run or a retry, nothing else');
  assert.equal((await refusal('plans.run', { plan: 'nope', trigger: 'retry' })).status, 404);
  assert.equal((await api.call('plans.list', {}))[0]!.snoozedUntil, null, 'nothing was snoozed');

  // Snoozing twice keeps one snooze; ending one that is not there is fine.
  const first = await api.call('plans.snooze', { plan: 'docs' });
  const second = await api.call('plans.snooze', { plan: 'docs' });
  assert.ok(second.until! >= first.until!);
  assert.deepEqual(await api.call('plans.snooze', { plan: 'docs', off: true }), { until: null });
  assert.deepEqual(await api.call('plans.snooze', { plan: 'docs', off: true }), { until: null });
});

test('a snooze file that is damaged or hand-edited is read as nothing snoozed, never a crash', async (t) => {
  const { writeFile } = await import('node:fs/promises');
  const root = await tempDir(t);
  const setup = await writeSetup(root, [{ id: 'docs', sources: [join(root, 'docs')], schedule: null }]);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(setup.dataDir, { recursive: true });
  for (const text of ['{not json', '[]', 'null', '{"plans": {"docs": 12}}', '{"plans": {"docs": "not a date"}}', '{"plans": "docs"}']) {
    await writeFile(join(setup.dataDir, 'snooze.json'), text);
    const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
    assert.equal(engine.snoozes.snoozedUntil('docs', new Date()), undefined, text);
  }
  await writeFile(join(setup.dataDir, 'snooze.json'), JSON.stringify({ plans: { docs: '2999-01-01T00:00:00.000Z' } }));
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env } });
  assert.equal(engine.snoozes.snoozedUntil('docs', new Date())?.toISOString(), '2999-01-01T00:00:00.000Z');
});
