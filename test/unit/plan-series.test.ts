import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ulid } from 'ulid';
import type { RunStatus } from '../../main/core/config/schema.ts';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import { readPlanSeries } from '../../main/core/history/plan-series.ts';
import { RepositorySizes, SAMPLE_EVERY_MS } from '../../main/core/history/repository-sizes.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { chartColumns } from '../../renderer/src/views/plan-charts-data.ts';
import { tempDir } from '../helpers/temp.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');

function record(plan: string, startedMs: number, options: Partial<RunRecord> & { added?: number; tookMs?: number } = {}): RunRecord {
  const status = options.status ?? 'success';
  const made = status === 'success' || status === 'warning';
  return {
    id: ulid(startedMs),
    plan,
    repository: options.repository ?? 'nas',
    trigger: options.trigger ?? 'schedule',
    status,
    reason: made ? null : `${status} because`,
    startedAt: new Date(startedMs).toISOString(),
    endedAt: status === 'running' ? null : new Date(startedMs + (options.tookMs ?? 1000)).toISOString(),
    snapshotId: made ? 'f'.repeat(64) : null,
    steps: [],
    summary: made
      ? {
          files_new: 1,
          files_changed: 0,
          files_unmodified: 0,
          dirs_new: 0,
          dirs_changed: 0,
          dirs_unmodified: 0,
          data_blobs: 1,
          tree_blobs: 1,
          data_added: options.added ?? 100,
          total_files_processed: 1,
          total_bytes_processed: 5000,
          total_duration: 1,
        }
      : null,
    ...(options.kind ? { kind: options.kind } : {}),
  };
}

function sizesIn(folder: string, now: () => Date = () => new Date(NOW)): RepositorySizes {
  return new RepositorySizes({ file: join(folder, 'repository-sizes.jsonl'), now, historyDays: () => 90 });
}

test("the series holds the plan's own finished backup runs in the window, oldest first, with duration, bytes added and why a run failed or was skipped", async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  const statuses: RunStatus[] = ['success', 'failure', 'skipped', 'warning', 'cancelled', 'success'];
  // Six runs of docs over the last six days, plus what must be left out.
  for (let day = 6; day >= 1; day -= 1)
    await history.append(record('docs', NOW - day * DAY, { status: statuses[6 - day], added: day * 1000, tookMs: day * 2000 }));
  await history.append(record('docs', NOW - 40 * DAY)); // before the window
  await history.append(record('docs', NOW - 2 * DAY + 5, { kind: 'restore' })); // not a backup
  await history.append(record('docs', NOW - 1000, { status: 'running' })); // not finished
  await history.append(record('docs', NOW + DAY)); // a clock set back: not yet
  await history.append(record('photos', NOW - DAY)); // another plan
  await history.append(record('docs-2', NOW - DAY)); // a plan whose id starts the same
  const sizes = sizesIn(folder);
  await sizes.add({ repository: 'nas', at: new Date(NOW - 45 * DAY).toISOString(), bytes: 1, snapshots: 1 });
  await sizes.add({ repository: 'nas', at: new Date(NOW - 3 * DAY).toISOString(), bytes: 3_000_000, snapshots: 4 });
  await sizes.add({ repository: 'other', at: new Date(NOW - 2 * DAY).toISOString(), bytes: 9, snapshots: 1 });

  const series = await readPlanSeries(history, sizes, { plan: 'docs', repository: 'nas', days: 30, now: new Date(NOW) });
  assert.equal(series.from, new Date(NOW - 30 * DAY).toISOString());
  assert.equal(series.to, new Date(NOW).toISOString());
  assert.equal(series.truncated, false);
  assert.deepEqual(
    series.runs.map((run) => [run.startedAt, run.status, run.durationMs, run.bytesAdded, run.reason]),
    [6, 5, 4, 3, 2, 1].map((day) => {
      const status = statuses[6 - day]!;
      const made = status === 'success' || status === 'warning';
      return [new Date(NOW - day * DAY).toISOString(), status, day * 2000, made ? day * 1000 : null, made ? null : `${status} because`];
    }),
  );
  assert.deepEqual(series.repositorySize, [{ at: new Date(NOW - 3 * DAY).toISOString(), bytes: 3_000_000 }]);

  const week = await readPlanSeries(history, sizes, { plan: 'docs', repository: 'nas', days: 3.5, now: new Date(NOW) });
  assert.equal(week.runs.length, 3, 'days is whole: 3.5 reads as 3');
  for (const days of [0, -5, 10_000, Number.NaN]) {
    const bounded = await readPlanSeries(history, sizes, { plan: 'docs', repository: 'nas', days, now: new Date(NOW) });
    const span = Date.parse(bounded.to) - Date.parse(bounded.from);
    assert.ok(span >= DAY && span <= 366 * DAY, `days ${days} → a window of 1 to 366 days`);
  }
});

test('a plan with more runs than the limit gives only the newest, and says the rest were left out', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  for (let i = 120; i >= 1; i -= 1) await history.append(record('docs', NOW - i * 3_600_000, { added: i }));
  const series = await readPlanSeries(history, sizesIn(folder), { plan: 'docs', repository: 'nas', now: new Date(NOW), limit: 50 });
  assert.equal(series.runs.length, 50);
  assert.equal(series.truncated, true);
  assert.deepEqual(
    series.runs.map((run) => run.bytesAdded),
    Array.from({ length: 50 }, (_, i) => 50 - i),
    'the newest 50, oldest first',
  );
  const all = await readPlanSeries(history, sizesIn(folder), { plan: 'docs', repository: 'nas', now: new Date(NOW), limit: 120 });
  assert.deepEqual([all.runs.length, all.truncated], [120, false]);
});

test("the repository's size is measured at most once a day, never twice at once, and a torn or foreign line is skipped", async (t) => {
  const folder = await tempDir(t);
  let now = NOW;
  const sizes = sizesIn(folder, () => new Date(now));
  let measured = 0;
  const measure = async () => {
    measured += 1;
    return { bytes: measured * 1000, snapshots: measured };
  };
  assert.equal(await sizes.sampleIfDue('nas', measure), true);
  now += SAMPLE_EVERY_MS - 1;
  assert.equal(await sizes.sampleIfDue('nas', measure), false, 'less than a day later');
  assert.equal(await sizes.sampleIfDue('usb', measure), true, 'another repository has its own day');
  now += 1;
  const both = await Promise.all([sizes.sampleIfDue('nas', measure), sizes.sampleIfDue('nas', measure)]);
  assert.deepEqual(both.sort(), [false, true], 'two runs ending together measure once');
  assert.equal(measured, 3);
  await assert.rejects(
    sizes.sampleIfDue('broken', async () => {
      throw new Error('restic could not open it');
    }),
  );
  assert.deepEqual(await sizes.read('broken'), [], 'a failed measurement records nothing');
  assert.equal(await sizes.sampleIfDue('broken', measure), true, '…and the next run tries again');

  const file = join(folder, 'repository-sizes.jsonl');
  await appendFile(file, '{"repository":"nas","at":"not a time","bytes":5}\n{"repository":"nas","bytes":"5"}\n[1]\n{"repository":"nas","at":"2026-11-30T');
  const samples = await sizes.read('nas');
  assert.deepEqual(
    samples.map((sample) => sample.bytes),
    [1000, 3000],
  );
  // The torn line does not glue itself to the next sample.
  now += SAMPLE_EVERY_MS;
  await sizes.add({ repository: 'nas', at: new Date(now).toISOString(), bytes: 7, snapshots: null });
  assert.deepEqual(
    (await sizes.read('nas')).map((sample) => sample.bytes),
    [1000, 3000, 7],
    'the sample after a torn line is kept whole',
  );
  assert.match(await readFile(file, 'utf8'), /"bytes":7/);
});

test('the chart columns put runs and size samples on one time axis, mark failed and skipped runs, and add up runs in the same second', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const run = (ms: number, status: RunStatus, bytesAdded: number | null, durationMs: number | null) => ({
    id: ulid(ms),
    startedAt: at(ms),
    status,
    trigger: 'schedule' as const,
    reason: status === 'success' ? null : 'why',
    durationMs,
    bytesAdded,
    bytesProcessed: null,
  });
  const columns = chartColumns({
    plan: 'docs',
    repository: 'nas',
    from: at(NOW - 30 * DAY),
    to: at(NOW),
    truncated: false,
    runs: [
      run(NOW - 3 * DAY, 'success', 10, 4000),
      run(NOW - 2 * DAY, 'failure', null, 500),
      run(NOW - DAY, 'success', 5, 1000),
      run(NOW - DAY + 200, 'success', 7, 3000),
      run(NOW - 1000, 'skipped', null, 0),
    ],
    repositorySize: [
      { at: at(NOW - 2.5 * DAY), bytes: 100 },
      { at: at(NOW - DAY), bytes: 120 },
    ],
  });
  const s = (ms: number) => Math.floor(ms / 1000);
  assert.deepEqual(columns.x, [s(NOW - 3 * DAY), s(NOW - 2.5 * DAY), s(NOW - 2 * DAY), s(NOW - DAY), s(NOW - 1000)]);
  assert.deepEqual(columns.added, [10, null, null, 12, null]);
  assert.deepEqual(columns.duration, [4, null, 0.5, 3, 0]);
  assert.deepEqual(columns.size, [null, 100, null, 120, null]);
  assert.deepEqual(columns.failed, [null, null, 0, null, null]);
  assert.deepEqual(columns.skipped, [null, null, null, null, 0]);
  assert.deepEqual(
    columns.marks.map((mark) => [mark.at, mark.status]),
    [
      [s(NOW - 2 * DAY), 'failure'],
      [s(NOW - 1000), 'skipped'],
    ],
  );
});
