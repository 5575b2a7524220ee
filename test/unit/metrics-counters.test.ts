import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunStatus } from '../../main/core/config/schema.ts';
import { Engine } from '../../main/core/engine.ts';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import { RunCounters } from '../../main/core/metrics/counters.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { PROJECT_ROOT } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 86_400_000;

function record(id: string, status: RunStatus | 'running', daysAgo: number, extra: Record<string, unknown> = {}): RunRecord {
  const startedAt = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  return {
    id,
    plan: 'docs',
    repository: 'local',
    trigger: 'schedule',
    status,
    reason: status === 'success' ? null : 'because',
    startedAt,
    endedAt: status === 'running' ? null : startedAt,
    snapshotId: null,
    steps: [],
    summary: null,
    ...extra,
  } as RunRecord;
}

async function setup(t: Parameters<typeof tempDir>[0], historyDays: number) {
  const dataDir = await tempDir(t);
  const configFile = join(dataDir, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      version: 1,
      settings: { historyDays },
      repositories: [{ id: 'local', url: join(dataDir, 'repo'), passwordEnv: 'P' }],
      plans: [{ id: 'docs', repository: 'local', sources: [dataDir] }],
    }),
  );
  return { dataDir, configFile, history: new HistoryStore(join(dataDir, 'history')) };
}

test('the counters are seeded from the history before it is pruned, and never go back when it is', async (t) => {
  const { dataDir, configFile, history } = await setup(t, 30);
  await history.append(record('01OLD0000000000000000000S1', 'success', 100));
  await history.append(record('01OLD0000000000000000000F1', 'failure', 90));
  await history.append(record('01NEW0000000000000000000S2', 'success', 1));
  await history.append(record('01NEW0000000000000000000R1', 'success', 1, { kind: 'restore' }));
  await Engine.open({ configFile, dataDir, now: () => NOW });
  assert.equal((await history.list()).length, 2, 'the runs older than historyDays were pruned');
  const counters = new RunCounters(dataDir);
  assert.deepEqual(Object.fromEntries(counters.read()), { docs: { success: 2, failure: 1 } }, 'a restore is not a backup run');
  // Restarted on the pruned history: nothing counted twice, nothing lost.
  await Engine.open({ configFile, dataDir, now: () => NOW });
  assert.deepEqual(Object.fromEntries(counters.read()), { docs: { success: 2, failure: 1 } });
  // Even a history removed altogether leaves the counters where they were.
  await rm(join(dataDir, 'history'), { recursive: true });
  await Engine.open({ configFile, dataDir, now: () => NOW });
  assert.deepEqual(Object.fromEntries(counters.read()), { docs: { success: 2, failure: 1 } });
});

test('a run is counted once when it ends; a running state and a repeat of the same run are not counted', async (t) => {
  const { dataDir } = await setup(t, 30);
  const counters = new RunCounters(dataDir);
  counters.runEnded(record('01RUN0000000000000000000A1', 'running', 0));
  assert.deepEqual(Object.fromEntries(counters.read()), {});
  counters.runEnded(record('01RUN0000000000000000000A1', 'cancelled', 0));
  counters.runEnded(record('01RUN0000000000000000000A1', 'cancelled', 0));
  counters.runEnded(record('01RUN0000000000000000000A2', 'skipped', 0, { kind: 'backup' }));
  counters.runEnded(record('01RUN0000000000000000000A3', 'failure', 0, { kind: 'verify' }));
  assert.deepEqual(Object.fromEntries(counters.read()), { docs: { cancelled: 1, skipped: 1 } });
});

test('a run left running by a crash is counted when the next start marks it interrupted', async (t) => {
  const { dataDir, configFile, history } = await setup(t, 30);
  await Engine.open({ configFile, dataDir, now: () => NOW }); // the counters file exists, empty
  await history.append({ ...record('01CRASH00000000000000000X1', 'running', 0), pid: 2 ** 22 + 12_345 });
  await Engine.open({ configFile, dataDir, now: () => NOW });
  assert.deepEqual(Object.fromEntries(new RunCounters(dataDir).read()), { docs: { failure: 1 } });
});

test('a damaged counters file is set aside and counting starts again from the history', async (t) => {
  const { dataDir, configFile, history } = await setup(t, 30);
  await history.append(record('01RUN0000000000000000000B1', 'warning', 1));
  await writeFile(join(dataDir, 'metrics-counters.json'), '{"plans": trunc');
  await Engine.open({ configFile, dataDir, now: () => NOW });
  assert.deepEqual(Object.fromEntries(new RunCounters(dataDir).read()), { docs: { warning: 1 } });
});

test('two processes ending runs at the same moment (a CLI run beside the daemon) lose no count', async (t) => {
  const { dataDir } = await setup(t, 30);
  const script = (prefix: string) => `
    import { RunCounters } from ${JSON.stringify(join(PROJECT_ROOT, 'main/core/metrics/counters.ts'))};
    const counters = new RunCounters(${JSON.stringify(dataDir)});
    for (let i = 0; i < 300; i += 1) {
      counters.runEnded({ id: '${prefix}' + String(i).padStart(8, '0'), plan: 'docs', repository: 'local', trigger: 'cli', status: 'success',
        reason: null, startedAt: '2026-11-29T12:00:00Z', endedAt: '2026-11-29T12:00:01Z', snapshotId: null, steps: [], summary: null });
    }`;
  const child = (prefix: string) =>
    new Promise<number | null>((resolve, reject) => {
      const process_ = spawn(process.execPath, ['--input-type=module', '-e', script(prefix)], { stdio: ['ignore', 'ignore', 'inherit'] });
      process_.on('error', reject);
      process_.on('close', resolve);
    });
  assert.deepEqual(await Promise.all([child('01AAAA'), child('01BBBB')]), [0, 0]);
  assert.deepEqual(Object.fromEntries(new RunCounters(dataDir).read()), { docs: { success: 600 } });
});
