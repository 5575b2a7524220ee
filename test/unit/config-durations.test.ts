import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../main/core/config/validate.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';

const raw = {
  version: 1,
  repositories: [{ id: 'usb', url: '/mnt/usb', passwordEnv: 'P' }],
  plans: [
    {
      id: 'docs',
      repository: 'usb',
      sources: ['/home/me/docs'],
      schedule: { every: '1h30m' },
      retention: { keepWithin: '2d' },
      check: { every: '7d' },
      hooks: [
        { id: 'script', on: ['backup.before'], script: { command: 'true' }, timeout: '90s', onError: 'defer', retryAfter: '15m' },
        { id: 'idle', on: ['run.start'], condition: { type: 'idle', minIdle: '5m' } },
        { id: 'online', on: ['run.start'], condition: { type: 'online', timeout: '2s' } },
      ],
    },
  ],
};

test('the loaded config carries every duration in milliseconds, with the words it was written in', () => {
  const result = validateConfig(raw);
  assert.ok(result.ok);
  const plan = result.config.plans[0]!;
  assert.deepEqual(plan.schedule, { every: { ms: 5_400_000, text: '1h30m' } });
  assert.deepEqual(plan.retention?.keepWithin, { ms: 172_800_000, text: '2d' });
  assert.deepEqual(plan.check?.every, { ms: 604_800_000, text: '7d' });
  const [script, idle, online] = plan.hooks;
  assert.deepEqual(
    [script!.timeout, script!.retryAfter],
    [
      { ms: 90_000, text: '90s' },
      { ms: 900_000, text: '15m' },
    ],
  );
  assert.deepEqual(
    [idle!.timeout, idle!.retryAfter],
    [
      { ms: 300_000, text: '5m' },
      { ms: 600_000, text: '10m' },
    ],
    'the defaults are durations too',
  );
  assert.deepEqual(idle!.condition, { type: 'idle', minIdle: { ms: 300_000, text: '5m' } });
  assert.deepEqual(online!.condition, { type: 'online', timeout: { ms: 2000, text: '2s' } });
});

test("the config as written keeps the person's strings: validating does not change it", () => {
  const copy = structuredClone(raw);
  assert.ok(validateConfig(copy).ok);
  assert.deepEqual(copy, raw);
});

test('a duration with spaces or a line break around it is read as written without them, in every duration field, and its words are kept trimmed', () => {
  const padded = structuredClone(raw);
  const plan = padded.plans[0]!;
  plan.schedule = { every: ' 1h30m ' };
  plan.retention = { keepWithin: '2d\n' };
  plan.check = { every: '\t7d' };
  plan.hooks[0]!.timeout = ' 90s';
  plan.hooks[1]!.condition = { type: 'idle', minIdle: '5m ' };
  const result = validateConfig(padded);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
  const loaded = result.config.plans[0]!;
  assert.deepEqual(loaded.schedule, { every: { ms: 5_400_000, text: '1h30m' } });
  assert.deepEqual(loaded.retention?.keepWithin, { ms: 172_800_000, text: '2d' });
  assert.deepEqual(loaded.check?.every, { ms: 604_800_000, text: '7d' });
  assert.deepEqual(loaded.hooks[0]!.timeout, { ms: 90_000, text: '90s' });
  assert.deepEqual(loaded.hooks[1]!.condition, { type: 'idle', minIdle: { ms: 300_000, text: '5m' } });
});

test('a padded duration is named without its spaces when refused; one of only spaces is empty, and says what to write', () => {
  const problems = (timeout: string) => {
    const copy = structuredClone(raw);
    copy.plans[0]!.hooks[0]!.timeout = timeout;
    const result = validateConfig(copy);
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };
  assert.deepEqual(problems(' 2d '), ['plans[0].hooks[0].timeout: "2d" is out of bounds; use a duration between 1s and 24h']);
  assert.deepEqual(problems(' 10 minutes '), ['plans[0].hooks[0].timeout: "10 minutes" is not a duration (try "10m")']);
  assert.deepEqual(problems('   '), ['plans[0].hooks[0].timeout: is empty; write a duration such as "10m" or "6h" (between 1s and 24h)']);
  assert.deepEqual(problems(''), ['plans[0].hooks[0].timeout: is empty; write a duration such as "10m" or "6h" (between 1s and 24h)']);
});

test('a duration with spaces inside is refused with the same duration written without them as the fix', () => {
  const copy = structuredClone(raw);
  copy.plans[0]!.hooks[0]!.timeout = '1h 30m';
  copy.plans[0]!.schedule = { every: '1 h 30 m' };
  const result = validateConfig(copy);
  assert.equal(result.ok, false);
  assert.deepEqual(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`).sort(), [
    'plans[0].hooks[0].timeout: "1h 30m" is not a duration (try "1h30m")',
    'plans[0].schedule.every: "1 h 30 m" is not a duration (try "1h30m")',
  ]);
});

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (/\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

test('durations are parsed only where the config loads: no code past loading calls parseDuration', async () => {
  const callers: string[] = [];
  for (const root of ['main', 'renderer/src']) {
    for (const file of await sourceFiles(join(PROJECT_ROOT, root))) {
      if (/\bparseDuration\(|\bdurationMs\(/.test(await readFile(file, 'utf8'))) callers.push(relative(PROJECT_ROOT, file));
    }
  }
  assert.deepEqual(callers.sort(), ['main/core/config/fields.ts', 'main/core/config/validate.ts', 'main/core/util/duration.ts']);
});
