import assert from 'node:assert/strict';
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { tempDir } from '../helpers/temp.ts';

const DEAD_PID = 2 ** 22 + 12_345; // above Linux's largest pid: never a live process

/** A small deterministic PRNG (mulberry32): the same sequence on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), state | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function run(id: string, plan: string, overrides: Partial<RunRecord> & { kind?: string } = {}): RunRecord {
  const startedAt = '2026-03-01T00:00:00.000Z';
  return {
    id,
    plan,
    repository: 'local',
    trigger: 'schedule',
    status: 'success',
    reason: null,
    startedAt,
    endedAt: startedAt,
    snapshotId: `snap-${id}`,
    steps: [{ kind: 'restic', name: 'backup', event: null, status: 'success', exitCode: 0, startedAt, durationMs: 5, output: `output of ${id}` }],
    summary: null,
    ...overrides,
  };
}

/** What a scan of the whole history says: each plan's last run and last successful backup, and the runs still running. */
async function scanned(history: HistoryStore): Promise<{ plans: Record<string, { lastRun: RunRecord; lastSuccess: RunRecord | null }>; running: string[] }> {
  const all = await history.list();
  const plans: Record<string, { lastRun: RunRecord; lastSuccess: RunRecord | null }> = {};
  for (const candidate of all) {
    const made = (r: RunRecord) =>
      (r as { kind?: string }).kind === undefined &&
      (r.status === 'success' || r.status === 'warning') &&
      r.snapshotId !== null &&
      r.steps.some((s) => s.kind === 'restic' && s.name === 'backup');
    // A plan's last run counts its backups only: a plan with nothing but restores has none.
    const ofPlan = all.filter((r) => r.plan === candidate.plan && (r as { kind?: string }).kind === undefined);
    if (!plans[candidate.plan] && ofPlan.length > 0) plans[candidate.plan] = { lastRun: ofPlan[0]!, lastSuccess: ofPlan.find(made) ?? null };
  }
  return { plans, running: all.filter((r) => r.status === 'running').map((r) => r.id) };
}

async function fromSummary(history: HistoryStore): Promise<Record<string, { lastRun: RunRecord; lastSuccess: RunRecord | null }>> {
  return Object.fromEntries([...(await history.latestByPlan())].sort(([a], [b]) => a.localeCompare(b)));
}

async function assertMatchesScan(history: HistoryStore, message: string): Promise<void> {
  const scan = await scanned(history);
  const sorted = Object.fromEntries(Object.entries(scan.plans).sort(([a], [b]) => a.localeCompare(b)));
  assert.deepEqual(await fromSummary(history), sorted, message);
  const repositories = [...new Set((await history.list()).map((r) => r.repository))];
  for (const repository of repositories) {
    const [last] = await history.list({ repository, limit: 1 });
    assert.deepEqual(await history.lastRunOfRepository(repository), last, `${message}: the last run of repository ${repository}`);
  }
  assert.equal(await history.lastRunOfRepository('nowhere'), undefined);
}

/** The summary file's first line: what start-up reads. */
async function summaryFile(folder: string): Promise<{ size: number; running: { id: string }[] }> {
  return JSON.parse((await readFile(join(folder, 'runs-summary.json'), 'utf8')).split('\n')[0]!);
}

test('each ended run updates the summary file: its length is the history file length and the plan answers equal a scan', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('done', 'docs'));
  const before = await summaryFile(folder);
  // A run's start (an interim record) is not waited for in the file: its end rewrites it, and a
  // reader meanwhile (a crash) folds in the few records after the file's length.
  await history.append(run('a', 'docs', { status: 'running', endedAt: null, snapshotId: null, steps: [] }));
  assert.deepEqual(await summaryFile(folder), before, 'the start of a run leaves the file as it was');
  const seen = await new HistoryStore(folder).markInterrupted(new Date('2026-03-02T00:00:00Z'), () => false);
  assert.deepEqual(
    seen.map((r) => r.id),
    ['a'],
    'another process (here one that finds its process gone) still sees the running run',
  );
  await history.append(run('a', 'docs'));
  await history.append(run('b', 'photos', { status: 'failure', reason: 'boom', snapshotId: null }));
  await history.append(run('c', 'docs', { status: 'warning', reason: 'some files were unreadable' }));
  const file = await summaryFile(folder);
  assert.equal(file.size, (await stat(join(folder, 'runs.jsonl'))).size);
  assert.deepEqual(file.running, []);
  const latest = await history.latestByPlan();
  assert.equal(latest.get('docs')?.lastRun.id, 'c');
  assert.equal(latest.get('docs')?.lastSuccess?.id, 'c');
  assert.equal(latest.get('photos')?.lastRun.id, 'b');
  assert.equal(latest.get('photos')?.lastSuccess, null);
  assert.equal(latest.get('docs')?.lastRun.steps[0]?.output, '', 'outputs stay in the log files, as in a listing');
  await assertMatchesScan(history, 'the summary equals the scan');
  // Another process (a fresh store) reads the same answers from the file.
  await assertMatchesScan(new HistoryStore(folder), 'a fresh store agrees');
});

test('last success ignores skipped, failed, cancelled and running runs, runs without a snapshot and non-backup kinds', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('ok', 'docs'));
  await history.append(run('skipped', 'docs', { status: 'skipped', reason: 'the drive is not mounted', snapshotId: null, steps: [] }));
  await history.append(run('failed', 'docs', { status: 'failure', reason: 'boom', snapshotId: null }));
  await history.append(run('cancelled', 'docs', { status: 'cancelled', reason: 'cancelled', snapshotId: null }));
  await history.append(run('restore', 'docs', { kind: 'restore' }));
  await history.append(run('verify', 'docs', { kind: 'verify' }));
  await history.append(run('hooks-only', 'docs', { steps: [], snapshotId: null }));
  await history.append(run('now', 'docs', { status: 'running', endedAt: null, snapshotId: null, steps: [] }));
  const latest = (await history.latestByPlan()).get('docs');
  assert.equal(latest?.lastRun.id, 'now');
  assert.equal(latest?.lastSuccess?.id, 'ok');
  await assertMatchesScan(new HistoryStore(folder), 'a rebuild agrees');
});

test("a restore is not a plan's last run, but is its repository's last run; a plan with only restores has no last run", async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('backup', 'docs'));
  await history.append(run('restore', 'docs', { kind: 'restore', status: 'failure', reason: 'the target filled up', snapshotId: 'snap-backup' }));
  await history.append(run('restore-only', 'photos', { kind: 'restore', repository: 'usb' }));
  const latest = await history.latestByPlan();
  assert.equal(latest.get('docs')?.lastRun.id, 'backup');
  assert.equal(latest.has('photos'), false);
  assert.equal((await history.lastRunOfRepository('local'))?.id, 'restore');
  await assertMatchesScan(history, 'the summary equals the scan');
  await rm(join(folder, 'runs-summary.json'));
  await assertMatchesScan(new HistoryStore(folder), 'a rebuild agrees');
});

test('a success that is later recorded as something else no longer counts: the previous success is found', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('first', 'docs'));
  await history.append(run('second', 'docs'));
  await history.append(run('second', 'docs', { status: 'failure', reason: 'the snapshot was lost', snapshotId: null }));
  assert.equal((await history.latestByPlan()).get('docs')?.lastSuccess?.id, 'first');
  await rm(join(folder, 'runs-summary.json'));
  assert.equal((await new HistoryStore(folder).latestByPlan()).get('docs')?.lastSuccess?.id, 'first');
  await assertMatchesScan(history, 'equals the scan');
});

test('a missing, unreadable or foreign summary is rebuilt by one scan and equals the scan', async (t) => {
  const folder = await tempDir(t);
  const writer = new HistoryStore(folder);
  for (let i = 0; i < 30; i += 1)
    await writer.append(run(`r${String(i).padStart(2, '0')}`, `plan-${i % 4}`, i % 3 === 0 ? { status: 'failure', reason: 'x', snapshotId: null } : {}));
  const expected = await fromSummary(writer);
  await assertMatchesScan(writer, 'the written summary equals the scan');
  const summary = join(folder, 'runs-summary.json');
  const text = await readFile(summary, 'utf8');
  const [header, body] = text.split('\n') as [string, string];
  const bad: [string, string][] = [
    ['not JSON', 'garbage{'],
    ['cut short in its first line', text.slice(0, 100)],
    ['cut short in its second line', text.slice(0, -50)],
    ['an empty file', ''],
    ['another version', `${JSON.stringify({ ...JSON.parse(header), version: 99 })}\n${body}\n`],
    ['plans that are not runs', `${header}\n${JSON.stringify({ plans: [{ lastRun: 'x' }], repositories: [] })}\n`],
    ['no plans part', `${header}\n`],
    ['a length past the end of the history', `${JSON.stringify({ ...JSON.parse(header), size: 10 ** 9 })}\n${body}\n`],
    ['JSON null', 'null'],
  ];

  for (const [what, text] of bad) {
    await writeFile(summary, text);
    assert.deepEqual(await fromSummary(new HistoryStore(folder)), expected, what);
    assert.equal((await summaryFile(folder)).size, (await stat(join(folder, 'runs.jsonl'))).size, `${what}: the summary file is written again`);
  }
  await rm(summary);
  assert.deepEqual(await fromSummary(new HistoryStore(folder)), expected, 'missing');
});

test('records appended without the summary (an older Lifeboat, or a crash before the summary was written) are caught up', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('a', 'docs'));
  const before = await readFile(join(folder, 'runs-summary.json'), 'utf8');
  const { output: _output, ...step } = run('b', 'docs').steps[0]!;
  await appendFile(join(folder, 'runs.jsonl'), `${JSON.stringify({ ...run('b', 'docs'), steps: [step] })}\n`);
  await appendFile(
    join(folder, 'runs.jsonl'),
    `${JSON.stringify({ ...run('c', 'photos', { status: 'running', endedAt: null, snapshotId: null, steps: [] }), pid: DEAD_PID })}\n`,
  );
  assert.equal(await readFile(join(folder, 'runs-summary.json'), 'utf8'), before, 'the summary is behind the history');
  const fresh = new HistoryStore(folder);
  assert.equal((await fresh.latestByPlan()).get('docs')?.lastRun.id, 'b');
  assert.equal((await fresh.latestByPlan()).get('docs')?.lastSuccess?.id, 'b');
  assert.deepEqual(
    (await fresh.markInterrupted()).map((r) => r.id),
    ['c'],
    'a run recorded as running behind the summary is still found interrupted',
  );
  await assertMatchesScan(fresh, 'equals the scan');
  // The process that wrote the summary first also sees what it did not write itself.
  assert.equal((await history.latestByPlan()).get('photos')?.lastRun.status, 'failure');
});

test('a history rewritten in place (same file, other records) is not answered from the old summary', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('aaaa', 'docs'));
  await history.append(run('bbbb', 'docs'));
  const text = await readFile(join(folder, 'runs.jsonl'), 'utf8');
  // The same length and the same file, but other runs of another plan.
  await writeFile(join(folder, 'runs.jsonl'), text.replaceAll('"docs"', '"pics"').replaceAll('aaaa', 'cccc'));
  const latest = await new HistoryStore(folder).latestByPlan();
  assert.deepEqual([...latest.keys()], ['pics']);
  assert.equal(latest.get('pics')?.lastRun.id, 'bbbb');
  await assertMatchesScan(new HistoryStore(folder), 'equals the scan');
});

test('a torn last line in the history is tolerated: skipped, and the next record stands on its own', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('a', 'docs'));
  await appendFile(join(folder, 'runs.jsonl'), '{"id":"torn","plan":"docs","status":"success","summary":{"files_new":1}');
  await rm(join(folder, 'runs-summary.json'));
  const reader = new HistoryStore(folder);
  assert.equal((await reader.latestByPlan()).get('docs')?.lastRun.id, 'a', 'the torn record does not count');
  await assertMatchesScan(reader, 'equals the scan with a torn tail');
  await reader.append(run('b', 'docs'));
  assert.equal((await reader.latestByPlan()).get('docs')?.lastRun.id, 'b');
  assert.equal((await new HistoryStore(folder).latestByPlan()).get('docs')?.lastRun.id, 'b');
  await assertMatchesScan(new HistoryStore(folder), 'equals the scan after the next record');
});

test('interrupted runs are found from the running marker: marked once, live ones left alone, the marker emptied', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('done', 'docs'));
  await history.append({ ...run('dead', 'docs', { status: 'running', endedAt: null, snapshotId: null }), pid: DEAD_PID });
  await history.append({ ...run('alive', 'photos', { status: 'running', endedAt: null, snapshotId: null }), pid: process.pid });
  // Both starts are after the summary file's length: a new start catches up from there, with no scan.
  assert.deepEqual((await summaryFile(folder)).running, []);
  const marked = await new HistoryStore(folder).markInterrupted(new Date('2026-03-02T00:00:00Z'));
  assert.deepEqual(
    marked.map((r) => [r.id, r.status, r.reason, r.endedAt]),
    [['dead', 'failure', 'interrupted', '2026-03-02T00:00:00.000Z']],
  );
  assert.equal(marked[0]?.steps[0]?.output, 'output of dead', 'the step outputs are kept');
  assert.deepEqual(
    (await summaryFile(folder)).running.map((r) => r.id),
    ['alive'],
  );
  assert.deepEqual(await new HistoryStore(folder).markInterrupted(), [], 'a second start marks nothing again');
  assert.equal((await history.get('dead'))?.reason, 'interrupted');
});

test('after pruning, the summary describes the pruned history', async (t) => {
  const folder = await tempDir(t);
  const history = new HistoryStore(folder);
  await history.append(run('old', 'gone', { startedAt: '2025-01-01T00:00:00.000Z' }));
  await history.append(run('new', 'docs', { startedAt: '2026-03-01T00:00:00.000Z' }));
  assert.deepEqual([...(await history.latestByPlan()).keys()].sort(), ['docs', 'gone']);
  assert.equal(await history.prune(new Date('2026-01-01T00:00:00Z')), 1);
  assert.deepEqual([...(await history.latestByPlan()).keys()], ['docs']);
  assert.deepEqual([...(await new HistoryStore(folder).latestByPlan()).keys()], ['docs']);
});

test('two stores appending to one history in turn (a CLI run beside the daemon) keep a summary equal to the scan', async (t) => {
  const folder = await tempDir(t);
  let stores = [new HistoryStore(folder), new HistoryStore(folder)];
  const random = seededRandom(7);
  const statuses = ['running', 'success', 'warning', 'failure', 'skipped'] as const;
  for (let i = 0; i < 120; i += 1) {
    const store = stores[Math.floor(random() * stores.length)]!;
    const number = Math.floor(random() * 40);
    const status = statuses[Math.floor(random() * statuses.length)]!;
    const made = status === 'success' || status === 'warning';
    await store.append({
      ...run(`run-${number}`, `plan-${number % 5}`, {
        repository: `repository-${number % 3}`,
        status,
        snapshotId: made ? `s${i}` : null,
        endedAt: status === 'running' ? null : 'x',
      }),
      pid: DEAD_PID,
    });
    if (random() < 0.05) await rm(join(folder, 'runs-summary.json'), { force: true });
    if (random() < 0.05) {
      // A crash mid-write, then both processes start again.
      await appendFile(join(folder, 'runs.jsonl'), '{"id":"torn-');
      stores = [new HistoryStore(folder), new HistoryStore(folder)];
    }
  }
  for (const store of [...stores, new HistoryStore(folder)]) await assertMatchesScan(store, 'equals the scan');
  const scan = await scanned(stores[0]!);
  assert.deepEqual(
    (await new HistoryStore(folder).markInterrupted()).map((r) => r.id).sort(),
    scan.running.sort(),
    'exactly the runs a scan finds running are marked interrupted',
  );
});
