import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareImportedConfig } from '../../main/core/config/import.ts';

test('an imported config with hooks has them turned off until the person turns them on', () => {
  const raw = {
    version: 1,
    plans: [{ id: 'a', hooks: [{ id: 'x' }, { id: 'y' }] }, { id: 'b' }],
    settings: { historyDays: 30, hooksEnabled: true },
  };
  const { config, hooksDisabled } = prepareImportedConfig(raw);
  assert.equal(hooksDisabled, 2);
  assert.deepEqual(config.settings, { historyDays: 30, hooksEnabled: false });
  assert.equal(raw.settings.hooksEnabled, true, 'the input is not changed');
});

test('an imported config without hooks is taken as it is', () => {
  const raw = { version: 1, plans: [{ id: 'a' }] };
  assert.deepEqual(prepareImportedConfig(raw), { config: raw, hooksDisabled: 0 });
});
