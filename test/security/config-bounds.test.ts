import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem, validateConfig } from '../../main/core/config/validate.ts';
import { systemClock } from '../../main/core/schedule/clock.ts';
import { lifeboat } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

// biome-ignore lint/suspicious/noExplicitAny: the cases change arbitrary parts of a JSON document
type Json = Record<string, any>;

function config(plan: Json = {}, hook: Json = {}): Json {
  return {
    version: 1,
    repositories: [{ id: 'local', url: '/srv/restic', passwordEnv: 'PW' }],
    plans: [
      {
        id: 'docs',
        repository: 'local',
        sources: ['/home/me/docs'],
        hooks: [{ id: 'h', on: ['backup.before'], script: { command: 'true' }, ...hook }],
        ...plan,
      },
    ],
  };
}

function problems(raw: Json): string[] {
  const result = validateConfig(raw);
  return result.ok ? [] : result.problems.map(formatProblem);
}

const OUT_OF_BOUNDS: Array<[string, Json, RegExp]> = [
  ['schedule.every 0s (back-to-back snapshots)', config({ schedule: { every: '0s' } }), /plans\[0\]\.schedule\.every: .*1m.*366d/],
  ['schedule.every 59s', config({ schedule: { every: '59s' } }), /plans\[0\]\.schedule\.every: .*1m.*366d/],
  ['schedule.every 100000000d (a date past year 275760)', config({ schedule: { every: '100000000d' } }), /plans\[0\]\.schedule\.every: .*1m.*366d/],
  ['schedule.every 367d', config({ schedule: { every: '367d' } }), /plans\[0\]\.schedule\.every: .*1m.*366d/],
  ['hook timeout 30d (beyond what a timer can hold)', config({}, { timeout: '30d' }), /plans\[0\]\.hooks\[0\]\.timeout: .*1s.*24h/],
  ['hook timeout 500ms', config({}, { timeout: '500ms' }), /plans\[0\]\.hooks\[0\]\.timeout: .*1s.*24h/],
  ['hook retryAfter 10s', config({}, { onError: 'defer', retryAfter: '10s' }), /plans\[0\]\.hooks\[0\]\.retryAfter: .*1m.*7d/],
  ['hook retryAfter 8d', config({}, { onError: 'defer', retryAfter: '8d' }), /plans\[0\]\.hooks\[0\]\.retryAfter: .*1m.*7d/],
  ['check.every 30m', config({ check: { every: '30m' } }), /plans\[0\]\.check\.every: .*1h.*366d/],
  ['check.every 400d', config({ check: { every: '400d' } }), /plans\[0\]\.check\.every: .*1h.*366d/],
  ['a duration too long for a number', config({ retention: { keepWithin: `${'9'.repeat(400)}d` } }), /plans\[0\]\.retention\.keepWithin: /],
  ['a cron that can never fire (Feb 30)', config({ schedule: { cron: '0 2 30 2 *' } }), /plans\[0\]\.schedule\.cron: "0 2 30 2 \*" never fires/],
  ['a cron that can never fire (Apr 31)', config({ schedule: { cron: '0 0 31 4 *' } }), /plans\[0\]\.schedule\.cron: .*never fires/],
  ['a cron every 2 seconds', config({ schedule: { cron: '*/2 * * * * *' } }), /plans\[0\]\.schedule\.cron: .*more often than once a minute/],
  ['a cron at two seconds of each minute', config({ schedule: { cron: '0,30 * * * * *' } }), /plans\[0\]\.schedule\.cron: .*more often than once a minute/],
];

for (const [name, raw, expected] of OUT_OF_BOUNDS) {
  test(`refused with the field and its bounds: ${name}`, () => {
    const found = problems(raw);
    assert.ok(
      found.some((line) => expected.test(line)),
      `expected a problem matching ${expected}, got:\n${found.join('\n')}`,
    );
  });
}

const IN_BOUNDS: Array<[string, Json]> = [
  ['schedule.every 1m and a 1s hook timeout', config({ schedule: { every: '1m' } }, { timeout: '1s' })],
  ['schedule.every 366d and a 24h hook timeout', config({ schedule: { every: '366d' } }, { timeout: '24h' })],
  ['retryAfter 1m and check.every 1h', config({ check: { every: '1h' } }, { onError: 'defer', retryAfter: '1m' })],
  ['retryAfter 7d and check.every 366d', config({ check: { every: '366d' } }, { onError: 'defer', retryAfter: '7d' })],
  ['a leap-day cron (fires every four years)', config({ schedule: { cron: '0 0 29 2 *' } })],
  ['a 6-field cron at one second of each minute', config({ schedule: { cron: '30 0 * * * *' } })],
];

for (const [name, raw] of IN_BOUNDS) {
  test(`accepted at the edge of its bounds: ${name}`, () => {
    assert.deepEqual(problems(raw), []);
  });
}

test('a timer far in the future never fires early (setTimeout would overflow and fire at once)', async () => {
  let fired = false;
  const timer = systemClock.setTimer(new Date(Date.now() + 30 * 86_400_000), () => {
    fired = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  timer.cancel();
  assert.equal(fired, false);
});

test('lifeboat plans and validate on a plan every 100000000d: exit 2 with one sentence, no RangeError', async (t) => {
  const root = await tempDir(t);
  const configFile = join(root, 'config.json');
  await writeFile(configFile, JSON.stringify(config({ schedule: { every: '100000000d' } })));
  for (const command of ['plans', 'validate']) {
    const result = await lifeboat(['--config', configFile, '--data-dir', join(root, 'data'), command]);
    assert.equal(result.code, 2, `${command}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /plans\[0\]\.schedule\.every: .*between 1m and 366d/);
    assert.doesNotMatch(result.stderr, /RangeError|internal error| {4}at /);
  }
});
