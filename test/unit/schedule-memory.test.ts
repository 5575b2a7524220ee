import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Trigger } from '../../main/core/config/schema.ts';
import type { Hook } from '../../main/core/config/types.ts';
import { PlanStateStore } from '../../main/core/runs/plan-state.ts';
import { PauseStore } from '../../main/core/schedule/pause.ts';
import { ScheduleMemory } from '../../main/core/schedule/schedule-memory.ts';
import { Scheduler } from '../../main/core/schedule/scheduler.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { testPlan } from '../helpers/plans.ts';
import { tempDir } from '../helpers/temp.ts';

const MIN = 60_000;

const deferHook = { id: 'ac', enabled: true, onError: 'defer' } as Hook;

test('a deferred run survives a restart: tried once after retryAfter, with trigger deferred', async (t) => {
  const dir = await tempDir(t);
  const memoryFile = join(dir, 'schedule-memory.json');
  const plan = testPlan('docs', { cron: '0 * * * *', timezone: 'UTC' }, { hooks: [deferHook] });
  const calls: string[] = [];
  let scheduler!: Scheduler;
  const clock = new FakeClock(new Date('2026-11-21T10:59:00Z'), () => scheduler.idle());
  const make = () =>
    new Scheduler({
      plans: () => [plan],
      state: new PlanStateStore(join(dir, 'plan-state.json')),
      pause: new PauseStore(join(dir, 'pause.json')),
      clock,
      memory: new ScheduleMemory(memoryFile),
      run: async (planId, trigger: Trigger) => {
        calls.push(`${trigger} ${clock.now().toISOString().slice(11, 16)}`);
        const at = clock.now().toISOString();
        const deferred = trigger === 'schedule';
        return {
          record: {
            id: String(calls.length),
            plan: planId,
            repository: 'r',
            trigger,
            status: deferred ? 'skipped' : 'success',
            reason: deferred ? 'on battery' : null,
            startedAt: at,
            endedAt: at,
            snapshotId: null,
            steps: [],
            summary: null,
          },
          retryable: true,
          deferral: deferred ? { reason: 'on battery', retryAfterMs: 10 * MIN } : undefined,
        };
      },
    });
  scheduler = make();
  await scheduler.start();
  await clock.advance(2 * MIN); // 11:00 is deferred to 11:10
  await scheduler.stop();
  const kept = JSON.parse(await readFile(memoryFile, 'utf8'));
  assert.deepEqual(kept.plans.docs.deferred, { at: '2026-11-21T11:10:00.000Z', reason: 'on battery' });
  assert.equal((await stat(memoryFile)).mode & 0o777, 0o600);

  await clock.advance(20 * MIN); // stopped: nothing runs
  scheduler = make();
  t.after(() => scheduler.stop());
  await scheduler.start();
  await clock.advance(30 * MIN);
  assert.deepEqual(calls, ['schedule 11:00', 'deferred 11:21']);
});

test('the memory file: written whole, read back entry by entry; a torn file is told once and ignored', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'sub', 'schedule-memory.json');
  const memory = new ScheduleMemory(file);
  await memory.update('docs', { retry: { attempt: 1, at: '2026-11-21T11:01:00.000Z' } });
  await memory.update('docs', { mountRunAt: '2026-11-21T11:00:00.000Z' });
  await memory.update('photos', { deferred: { at: '2026-11-21T11:10:00.000Z', reason: 'offline' } });
  await memory.update('docs', { retry: undefined });
  const again = new ScheduleMemory(file);
  await again.load();
  assert.deepEqual(again.get('docs'), { mountRunAt: '2026-11-21T11:00:00.000Z' });
  assert.deepEqual(again.get('photos'), { deferred: { at: '2026-11-21T11:10:00.000Z', reason: 'offline' } });

  const told: string[] = [];
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.slice(0, text.length / 2));
  const torn = new ScheduleMemory(file, (line) => told.push(line));
  await torn.load();
  assert.deepEqual(torn.planIds(), []);
  assert.equal(told.length, 1);
  assert.match(told[0]!, /schedule-memory\.json is damaged \(.*\); pending retries and deferrals in it are ignored$/);
  await torn.update('docs', { mountRunAt: '2026-11-21T12:00:00.000Z' });
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, plans: { docs: { mountRunAt: '2026-11-21T12:00:00.000Z' } } });
});
