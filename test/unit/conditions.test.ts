import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConditionContext } from '../../main/core/conditions/condition.ts';
import { repositoryEndpoint } from '../../main/core/conditions/online.ts';
import { type Condition, type ConditionInput, conditionModule, evaluateCondition } from '../../main/core/conditions/registry.ts';
import { SCHEMA_PARTS } from '../../main/core/config/validate.ts';
import { LinuxPowerSource } from '../../main/core/platform/linux-power.ts';
import type { Platform } from '../../main/core/platform/platform.ts';
import { tempDir } from '../helpers/temp.ts';

async function supplies(root: string, entries: Record<string, Record<string, string>>): Promise<string> {
  for (const [name, files] of Object.entries(entries)) {
    await mkdir(join(root, name), { recursive: true });
    for (const [file, value] of Object.entries(files)) await writeFile(join(root, name, file), `${value}\n`);
  }
  return root;
}

function context(platform: Partial<Platform>, now = new Date(2026, 10, 21, 23, 30)): ConditionContext {
  const unknown = { idle: { idleSeconds: async () => ({ unsupported: 'headless' }) }, network: { metered: async () => ({ unknown: 'no NetworkManager' }) } };
  return { platform: { ...unknown, ...platform } as Platform, repositoryUrl: '/srv/restic', now };
}

/** Parses the condition as the config loader does (durations become milliseconds), then evaluates it. */
async function check(condition: ConditionInput, ctx: ConditionContext) {
  return evaluateCondition(conditionModule(condition.type)!.schema(SCHEMA_PARTS).parse(condition) as Condition, ctx);
}

test('the sysfs power reader tells batteries, mains, and ignores a mouse battery', async (t) => {
  const root = await supplies(await tempDir(t), {
    BAT0: { type: 'Battery', capacity: '42', status: 'Discharging' },
    AC: { type: 'Mains', online: '0' },
    hidpp_battery_0: { type: 'Battery', capacity: '3', status: 'Discharging', scope: 'Device' },
  });
  assert.deepEqual(await new LinuxPowerSource(root).read(), { batteries: [{ name: 'BAT0', percent: 42, status: 'Discharging' }], onAC: false });
  assert.deepEqual(await new LinuxPowerSource(join(root, 'nothing')).read(), { batteries: [], onAC: true });
});

test('battery: below the minimum fails with the reason; on AC or above passes', async (t) => {
  const low = new LinuxPowerSource(await supplies(await tempDir(t), { BAT0: { type: 'Battery', capacity: '15', status: 'Discharging' } }));
  assert.deepEqual(await check({ type: 'battery', minPercent: 30 }, context({ power: low })), { pass: false, reason: 'Battery at 15 %, below 30 %' });
  const charging = new LinuxPowerSource(
    await supplies(await tempDir(t), { BAT0: { type: 'Battery', capacity: '5', status: 'Charging' }, AC: { type: 'Mains', online: '1' } }),
  );
  assert.equal((await check({ type: 'battery', minPercent: 30 }, context({ power: charging }))).pass, true);
  assert.deepEqual(await check({ type: 'battery', minPercent: 30, allowOnAC: false }, context({ power: charging })), {
    pass: false,
    reason: 'Battery at 5 %, below 30 %',
  });
  assert.deepEqual(await check({ type: 'acPower' }, context({ power: low })), { pass: false, reason: 'On battery (15 %), not plugged in' });
});

test('timeWindow handles windows across midnight and the days of the window', async () => {
  const window: ConditionInput = { type: 'timeWindow', from: '22:00', to: '06:00', days: ['fri'] };
  // 2026-11-21 is a Saturday: 23:30 Saturday is outside a Friday-night window, 01:00 Saturday inside it.
  assert.equal((await check(window, context({}, new Date(2026, 10, 21, 23, 30)))).pass, false);
  assert.equal((await check(window, context({}, new Date(2026, 10, 21, 1, 0)))).pass, true);
  assert.equal(
    (await check({ type: 'timeWindow', from: '22:00', to: '06:00' }, context({}, new Date(2026, 10, 21, 12, 0)))).reason,
    '12:00 sat is outside 22:00–06:00',
  );
  assert.equal((await check({ type: 'timeWindow', from: '09:00', to: '17:00' }, context({}, new Date(2026, 10, 21, 9, 0)))).pass, true);
});

test('path, diskSpace, idle and networkUnmetered give their verdicts with reasons', async (t) => {
  const dir = await tempDir(t);
  assert.equal((await check({ type: 'path', path: dir, writable: true }, context({}))).pass, true);
  assert.deepEqual(await check({ type: 'path', path: join(dir, 'usb') }, context({})), {
    pass: false,
    reason: `${join(dir, 'usb')} does not exist (is the drive connected?)`,
  });
  assert.deepEqual(await check({ type: 'path', path: dir, mounted: true }, context({})), { pass: false, reason: `${dir} is not mounted` });
  assert.equal((await check({ type: 'path', path: '/', mounted: true }, context({}))).pass, true);
  assert.equal((await check({ type: 'diskSpace', path: dir, minFree: '1MB' }, context({}))).pass, true);
  assert.match((await check({ type: 'diskSpace', path: dir, minFree: '900TB' }, context({}))).reason, /^Only .* free on .*, below 900TB$/);
  assert.deepEqual(await check({ type: 'idle', minIdle: '5m' }, context({})), { pass: false, reason: 'Idle time unknown: headless' });
  assert.deepEqual(await check({ type: 'networkUnmetered' }, context({})), { pass: true, reason: 'Passing: no NetworkManager' });
});

test('online passes when an HTTP server on 127.0.0.1 answers and fails when nothing listens', async (t) => {
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  assert.deepEqual(await check({ type: 'online', url: `http://127.0.0.1:${port}/health` }, context({})), {
    pass: true,
    reason: `Online: http://127.0.0.1:${port}/health answered`,
  });
  assert.equal((await check({ type: 'online', host: '127.0.0.1', port }, context({}))).pass, true);
  server.close();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const down = await check({ type: 'online', host: '127.0.0.1', port, timeout: '1s' }, context({}));
  assert.deepEqual(down, { pass: false, reason: `Offline: cannot reach 127.0.0.1:${port} (ECONNREFUSED)` });
});

test('online probes the repository host by default', () => {
  assert.deepEqual(repositoryEndpoint('rest:https://u:p@backup.example:8000/me'), { host: 'backup.example', port: 8000 });
  assert.deepEqual(repositoryEndpoint('rest:http://127.0.0.1/'), { host: '127.0.0.1', port: 80 });
  assert.deepEqual(repositoryEndpoint('sftp:me@nas.local:/srv/restic'), { host: 'nas.local', port: 22 });
  assert.deepEqual(repositoryEndpoint('s3:s3.amazonaws.com/bucket'), { host: 's3.amazonaws.com', port: 443 });
  assert.equal(repositoryEndpoint('/mnt/usb/restic'), undefined);
});
