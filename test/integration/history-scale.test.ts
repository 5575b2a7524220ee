import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import { lifeboat, writeSetup } from '../helpers/lifeboat.ts';
import { tempDir } from '../helpers/temp.ts';

const DEAD_PID = 2 ** 22 + 12_345; // above Linux's largest pid: never a live process

/** Within the kept history (historyDays): 3,100 runs a minute apart up to now. */
const START = Date.now() - 3100 * 60_000;

/** The two lines of a run as runs.jsonl holds them (no step outputs): `running`, then its end state. */
function runLines(index: number, plan: string, status: string): string {
  const startedAt = new Date(START + index * 60_000).toISOString();
  const id = `01RUN${String(index).padStart(8, '0')}`;
  const running = {
    id,
    plan,
    repository: 'local',
    trigger: 'schedule',
    status: 'running',
    reason: null,
    startedAt,
    endedAt: null,
    snapshotId: null,
    steps: [],
    summary: null,
    pid: DEAD_PID,
  };
  const made = status === 'success' || status === 'warning';
  const ended = {
    ...running,
    status,
    reason: made && status === 'success' ? null : `reason ${index}`,
    endedAt: startedAt,
    snapshotId: made ? `snapshot${index}` : null,
    steps: [{ kind: 'restic', name: 'backup', event: null, status, exitCode: made ? 0 : 1, startedAt, durationMs: 10 }],
  };
  return `${JSON.stringify(running)}\n${JSON.stringify(ended)}\n`;
}

/** `plans --json` as the user sees it, and each plan's last run as the scan of the history gives it. */
async function compare(setup: Awaited<ReturnType<typeof writeSetup>>, message: string): Promise<void> {
  const result = await lifeboat(setup.args('plans', '--json'), { env: setup.env });
  assert.equal(result.code, 0, result.stderr);
  const plans = JSON.parse(result.stdout) as { id: string; lastRun: unknown }[];
  const history = new HistoryStore(join(setup.dataDir, 'history'));
  for (const plan of plans) {
    const [scanned] = await history.list({ plan: plan.id, limit: 1 });
    assert.deepEqual(plan.lastRun, scanned ?? null, `${message}: plan ${plan.id}`);
  }
  assert.deepEqual(
    plans.map((plan) => plan.lastRun !== null),
    [true, true, true, true, false],
    `${message}: every plan but "never" has a last run`,
  );
}

test('plans --json gives each plan the last run a scan of a large history gives, with or without the summary file', async (t) => {
  const root = await tempDir(t);
  const plans = ['docs', 'photos', 'mail', 'quiet', 'never'].map((id) => ({ id, sources: ['/tmp'] }));
  const setup = await writeSetup(root, plans);
  const folder = join(setup.dataDir, 'history');
  await mkdir(folder, { recursive: true });
  const statuses = ['success', 'success', 'warning', 'failure', 'skipped', 'cancelled'];
  let text = runLines(0, 'quiet', 'success'); // the only run of "quiet" is the oldest
  for (let i = 1; i < 3000; i += 1) text += runLines(i, ['docs', 'photos', 'mail'][i % 3]!, statuses[(i * 7) % statuses.length]!);
  // The newest run of "docs" was in progress when its process died: the next start marks it interrupted.
  text += runLines(3000, 'docs', 'success').split('\n')[0];
  await writeFile(join(folder, 'runs.jsonl'), `${text}\n`);

  await compare(setup, 'a history written without a summary (an older Lifeboat)');
  const summary = JSON.parse((await readFile(join(folder, 'runs-summary.json'), 'utf8')).split('\n')[0]!);
  assert.deepEqual(summary.running, [], 'the interrupted run is no longer marked running');
  const docs = (JSON.parse((await lifeboat(setup.args('plans', '--json'), { env: setup.env })).stdout) as { id: string; lastRun: { reason: string } }[]).find(
    (plan) => plan.id === 'docs',
  );
  assert.equal(docs?.lastRun.reason, 'interrupted');

  await compare(setup, 'from the summary file');
  await appendFile(join(folder, 'runs.jsonl'), runLines(3001, 'quiet', 'failure') + runLines(3002, 'mail', 'warning'));
  await compare(setup, 'records appended behind the summary');
  await writeFile(join(folder, 'runs-summary.json'), '{"version":1,');
  await compare(setup, 'an unreadable summary');
});
