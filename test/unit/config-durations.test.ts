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
