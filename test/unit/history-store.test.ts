import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { tempDir } from '../helpers/temp.ts';

function run(id: string, plan: string, startedAt: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    plan,
    repository: 'local',
    trigger: 'manual',
    status: 'success',
    reason: null,
    startedAt,
    endedAt: startedAt,
    snapshotId: null,
    steps: [{ kind: 'restic', name: 'backup', event: null, status: 'success', exitCode: 0, startedAt, durationMs: 5, output: `output of ${id}` }],
    summary: null,
    ...overrides,
  };
}

test('runs list newest first, one entry per run with its latest state, filtered by plan', async (t) => {
  const history = new HistoryStore(await tempDir(t));
  await history.append(run('a', 'docs', '2026-01-01T00:00:00Z', { status: 'running', endedAt: null }));
  await history.append(run('a', 'docs', '2026-01-01T00:00:00Z'));
  await history.append(run('b', 'photos', '2026-01-02T00:00:00Z'));
  await history.append(run('c', 'docs', '2026-01-03T00:00:00Z', { status: 'failure', reason: 'boom' }));
  assert.deepEqual(
    (await history.list()).map((r) => [r.id, r.status]),
    [
      ['c', 'failure'],
      ['b', 'success'],
      ['a', 'success'],
    ],
  );
  assert.deepEqual(
    (await history.list({ plan: 'docs', limit: 1 })).map((r) => r.id),
    ['c'],
  );
  const [withOutput] = await history.list({ plan: 'photos', withOutput: true });
  assert.equal(withOutput?.steps[0]?.output, 'output of b');
  assert.equal((await history.get('a'))?.steps[0]?.output, 'output of a');
});

test('a torn last record (a crash mid-write) is skipped and the next record is not glued to it', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('a', 'docs', '2026-01-01T00:00:00Z'));
  await appendFile(join(folder, 'runs.jsonl'), '{"id":"b","plan":"docs","sta');
  const reopened = new HistoryStore(folder);
  assert.deepEqual(
    (await reopened.list()).map((r) => r.id),
    ['a'],
  );
  await reopened.append(run('c', 'docs', '2026-01-02T00:00:00Z'));
  assert.deepEqual(
    (await new HistoryStore(folder).list()).map((r) => r.id),
    ['c', 'a'],
  );
  const lines = (await readFile(join(folder, 'runs.jsonl'), 'utf8')).split('\n');
  assert.ok(
    lines.some((line) => line === '{"id":"b","plan":"docs","sta'),
    'the torn fragment stays on its own line',
  );
});

test('a run left running by a process that is gone is marked failure: interrupted', async (t) => {
  const history = new HistoryStore(await tempDir(t));
  await history.append(run('dead', 'docs', '2026-01-01T00:00:00Z', { status: 'running', endedAt: null, pid: 111 }));
  await history.append(run('alive', 'docs', '2026-01-01T00:00:00Z', { status: 'running', endedAt: null, pid: 222 }));
  const marked = await history.markInterrupted(new Date('2026-01-01T01:00:00Z'), (pid) => pid === 222);
  assert.deepEqual(
    marked.map((r) => r.id),
    ['dead'],
  );
  const dead = await history.get('dead');
  assert.equal(dead?.status, 'failure');
  assert.equal(dead?.reason, 'interrupted');
  assert.equal(dead?.steps[0]?.output, 'output of dead', 'the steps recorded before the crash are kept');
  assert.equal((await history.get('alive'))?.status, 'running');
});

test('runs older than historyDays are dropped with their logs; newer ones stay', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('old', 'docs', '2026-01-01T00:00:00Z'));
  await history.append(run('new', 'docs', '2026-03-01T00:00:00Z'));
  assert.equal(await history.prune(new Date('2026-02-01T00:00:00Z')), 1);
  assert.deepEqual(
    (await history.list()).map((r) => r.id),
    ['new'],
  );
  await assert.rejects(readFile(join(folder, 'logs', 'old.json')), { code: 'ENOENT' });
  assert.equal(await history.prune(new Date('2026-02-01T00:00:00Z')), 0);
});

test('reading across many chunk-sized pages keeps every run', async (t) => {
  const history = new HistoryStore(await tempDir(t));
  const long = 'x'.repeat(3000);
  for (let i = 0; i < 60; i += 1) {
    await history.append(run(`r${String(i).padStart(3, '0')}`, i % 2 ? 'docs' : 'photos', `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`, { reason: long }));
  }
  const all = await history.list();
  assert.equal(all.length, 60);
  assert.equal(all[0]?.id, 'r059');
  assert.equal(all[59]?.id, 'r000');
  assert.equal((await history.list({ plan: 'docs' })).length, 30);
});

test('records larger than a read chunk are read whole both ways: listed newest first, and the oldest found for pruning even behind a torn first line', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  // A crash mid-write left a torn first line; then records of 100 KB to 300 KB (more than the first 64 KB read).
  await appendFile(join(folder, 'runs.jsonl'), '{"id":"torn","plan":"do');
  const sizes = [300_000, 100_000, 150_000, 70_000, 250_000];
  for (const [i, size] of sizes.entries()) {
    await history.append(run(`big${i}`, 'docs', `2026-0${i + 1}-01T00:00:00Z`, { reason: 'é'.repeat(size / 2) }));
  }
  assert.deepEqual(
    (await history.list()).map((r) => [r.id, r.reason?.length]),
    sizes.map((size, i) => [`big${i}`, size / 2]).reverse(),
  );
  assert.equal((await history.list({ limit: 1 }))[0]?.id, 'big4');
  assert.equal(await history.prune(new Date('2026-01-15T00:00:00Z')), 1, 'the oldest record, 300 KB long, is found behind the torn line and dropped');
  assert.deepEqual(
    (await history.list()).map((r) => r.id),
    ['big4', 'big3', 'big2', 'big1'],
  );
  assert.equal(await history.prune(new Date('2026-01-15T00:00:00Z')), 0);
});

test('a run whose final record was torn still shows its earlier state, and a crash there is marked interrupted', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('r1', 'docs', '2026-01-01T00:00:00Z', { status: 'running', endedAt: null, pid: 999_999 }));
  await appendFile(join(folder, 'runs.jsonl'), '{"id":"r1","plan":"docs","status":"succ');
  const reopened = new HistoryStore(folder);
  assert.deepEqual(
    (await reopened.list()).map((r) => [r.id, r.status]),
    [['r1', 'running']],
  );
  assert.deepEqual(
    (await reopened.markInterrupted(new Date('2026-01-02T00:00:00Z'), () => false)).map((r) => r.id),
    ['r1'],
  );
  assert.equal((await reopened.get('r1'))?.reason, 'interrupted');
});
