import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Engine } from '../../main/core/engine.ts';
import type { Scheduler } from '../../main/core/schedule/scheduler.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { type Setup, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const MIN = 60_000;

/** A plan on an hourly slot whose run.start hook fails while `broken` exists. */
async function failingSetup(t: TestContext): Promise<{ setup: Setup; broken: string }> {
  const root = await tempDir(t);
  const source = join(root, 'src');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'a\n');
  const broken = join(root, 'broken');
  await writeFile(broken, '');
  const setup = await writeSetup(root, [
    {
      id: 'docs',
      sources: [source],
      schedule: { cron: '0 * * * *', timezone: 'UTC' },
      hooks: [{ id: 'gate', on: ['run.start'], script: { command: `test ! -e "${broken}"` } }],
    },
  ]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  return { setup, broken };
}

/** The real engine and scheduler for the setup's data dir, on a fake clock. */
async function open(setup: Setup, start: Date, log: string[]): Promise<{ engine: Engine; scheduler: Scheduler; clock: FakeClock }> {
  let scheduler!: Scheduler;
  const clock = new FakeClock(start, () => scheduler.idle());
  const engine = await Engine.open({ configFile: setup.configFile, dataDir: setup.dataDir, env: { ...process.env, ...setup.env }, now: () => clock.now() });
  scheduler = engine.createScheduler({ clock, log: (line) => log.push(line) });
  return { engine, scheduler, clock };
}

async function runs(engine: Engine): Promise<string[]> {
  const records = await engine.history.list({ plan: 'docs' });
  return records.map((run) => `${run.trigger} ${run.status} ${run.startedAt.slice(11, 16)}`).reverse();
}

test('a retry due while the scheduler was stopped runs once at the next start, with trigger retry, and is then forgotten', async (t) => {
  const { setup, broken } = await failingSetup(t);
  const log: string[] = [];
  const first = await open(setup, new Date('2026-11-21T10:59:30Z'), log);
  await first.scheduler.start();
  await first.clock.advance(MIN); // the 11:00 slot fails; its retry is due at 11:01:00
  assert.deepEqual(await runs(first.engine), ['schedule failure 11:00']);
  await first.scheduler.stop(); // stopped before the retry
  const kept = JSON.parse(await readFile(join(setup.dataDir, 'schedule-memory.json'), 'utf8'));
  assert.deepEqual(kept.plans.docs.retry, { attempt: 1, at: '2026-11-21T11:01:00.000Z' });

  await rm(broken); // whatever failed is fixed meanwhile
  const second = await open(setup, new Date('2026-11-21T11:20:00Z'), log);
  t.after(() => second.scheduler.stop());
  await second.scheduler.start();
  await second.clock.advance(0);
  assert.deepEqual(await runs(second.engine), ['schedule failure 11:00', 'retry success 11:20']);
  await second.clock.advance(30 * MIN); // 11:50: no second retry before the next slot
  assert.deepEqual(await runs(second.engine), ['schedule failure 11:00', 'retry success 11:20']);
  await second.scheduler.stop();
  const after = JSON.parse(await readFile(join(setup.dataDir, 'schedule-memory.json'), 'utf8'));
  assert.equal(after.plans.docs, undefined, 'the consumed retry is gone from the file');
});

test('a retry that is consumed is not run again by a restart during it', async (t) => {
  const { setup } = await failingSetup(t);
  const log: string[] = [];
  const first = await open(setup, new Date('2026-11-21T10:59:30Z'), log);
  await first.scheduler.start();
  await first.clock.advance(MIN + 30_000); // 11:00 fails, 11:01 retry fails too: retry 2 due 11:06
  assert.deepEqual(await runs(first.engine), ['schedule failure 11:00', 'retry failure 11:01']);
  await first.scheduler.stop();
  const kept = JSON.parse(await readFile(join(setup.dataDir, 'schedule-memory.json'), 'utf8'));
  assert.deepEqual(kept.plans.docs.retry, { attempt: 2, at: '2026-11-21T11:06:00.000Z' });

  const second = await open(setup, new Date('2026-11-21T11:10:00Z'), log);
  t.after(() => second.scheduler.stop());
  await second.scheduler.start();
  await second.clock.advance(0); // retry 2, due since 11:06, runs at start
  await second.clock.advance(20 * MIN); // retry 3 fifteen minutes later, then no more
  assert.deepEqual(await runs(second.engine), ['schedule failure 11:00', 'retry failure 11:01', 'retry failure 11:10', 'retry failure 11:25']);
});

test('a damaged schedule memory file is told and ignored: the scheduler starts and the next slot runs', async (t) => {
  const { setup, broken } = await failingSetup(t);
  await rm(broken);
  await mkdir(setup.dataDir, { recursive: true });
  const file = join(setup.dataDir, 'schedule-memory.json');
  const damages = ['{"version": 1, "plans": {"docs": {"retry": {"attem', '{"version": 1, "plans": {"docs": {"retry": {"attempt": "x", "at": "soon"}}}}'];
  for (const [index, damage] of damages.entries()) {
    await writeFile(file, damage);
    const log: string[] = [];
    const { engine, scheduler, clock } = await open(setup, new Date(Date.parse('2026-11-21T10:59:30Z') + index * 60 * MIN), log);
    await scheduler.start();
    await clock.advance(MIN);
    await scheduler.stop();
    const triggers = (await runs(engine)).filter((line) => line.startsWith('retry'));
    assert.deepEqual(triggers, [], `${JSON.stringify(damage)}: no retry came out of it`);
    if (damage.startsWith('{"version": 1, "plans": {"docs": {"retry": {"attempt": "x"')) continue; // parsed, its bad entry left out
    assert.ok(
      log.some((line) => line.includes('schedule-memory.json is damaged')),
      `${JSON.stringify(damage)}: ${log.join('\n')}`,
    );
  }
  const all = await runs((await open(setup, new Date(), [])).engine);
  assert.deepEqual(all, ['schedule success 11:00', 'schedule success 12:00']);
});
