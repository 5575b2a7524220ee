import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ulid } from 'ulid';
import { HistoryStore } from '../../main/core/history/history-store.ts';
import { RepositorySizes } from '../../main/core/history/repository-sizes.ts';
import type { RunRecord } from '../../main/core/runs/run-record.ts';
import { formatBytes } from '../../main/core/util/size.ts';
import { openBrowser, skipBrowser } from '../helpers/browser-page.ts';
import { lifeboatHere } from '../helpers/cli-in-process.ts';
import { PROJECT_ROOT, writeSetup } from '../helpers/lifeboat.ts';
import { startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/temp.ts';
import { smallSource } from '../helpers/tree.ts';

const run = promisify(execFile);
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** restic's `--time` format, in local time. */
function resticTime(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/** 2025-12-01 in local time, as the preview line shows it. */
function localDay(iso: string): string {
  const at = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

/** Ten days of backups of `docs`, one a day: what each added grows by 1 MiB, day 7 failed, day 4 was skipped. */
function generatedRuns(now: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let day = 10; day >= 1; day -= 1) {
    const started = now - day * DAY + HOUR;
    const status = day === 7 ? 'failure' : day === 4 ? 'skipped' : 'success';
    const made = status === 'success';
    runs.push({
      id: ulid(started),
      plan: 'docs',
      repository: 'local',
      trigger: 'schedule',
      status,
      reason: status === 'failure' ? 'The source "/nope" does not exist.' : status === 'skipped' ? 'Battery at 15 %, below 30 %' : null,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(started + (11 - day) * 1000).toISOString(),
      snapshotId: made ? 'a'.repeat(64) : null,
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
            data_added: (11 - day) * 1024 * 1024,
            total_files_processed: 1,
            total_bytes_processed: 1000,
            total_duration: 11 - day,
          }
        : null,
    });
  }
  return runs;
}

test('in a real browser: the retention preview follows each key typed, a policy removing more than half asks once more (cancel keeps the file as it was), and the plan charts draw the runs with uPlot loaded only there', {
  skip: skipBrowser(),
  timeout: 120_000,
}, async (t) => {
  const root = await tempDir(t);
  const source = await smallSource(root);
  const setup = await writeSetup(root, [{ id: 'docs', name: 'Documents', sources: [source] }]);
  assert.equal((await lifeboatHere(setup, 'init', 'local')).code, 0);
  // Four snapshots on four days, made by restic itself with the plan's tags.
  const now = Date.now();
  const env = { ...process.env, ...setup.env, RESTIC_REPOSITORY: setup.repo, RESTIC_PASSWORD: setup.password };
  for (let day = 4; day >= 1; day -= 1) {
    const at = resticTime(new Date(now - day * DAY));
    await run('restic', ['backup', '--quiet', '--host', hostname(), '--tag=lifeboat', '--tag=plan:docs', '--time', at, source], { env });
  }
  const snapshots = JSON.parse((await lifeboatHere(setup, 'snapshots', 'docs', '--json')).stdout) as Array<{ time: string }>;
  const times = snapshots.map((snapshot) => snapshot.time).sort();
  assert.equal(times.length, 4);
  const history = new HistoryStore(join(setup.dataDir, 'history'));
  const runs = generatedRuns(now);
  for (const record of runs) await history.append(record);
  const sizes = new RepositorySizes({ file: join(setup.dataDir, 'history', 'repository-sizes.jsonl'), now: () => new Date(now), historyDays: () => 90 });
  for (let day = 9; day >= 1; day -= 2)
    await sizes.add({ repository: 'local', at: new Date(now - day * DAY - DAY / 2).toISOString(), bytes: (20 - day) * 1024 * 1024, snapshots: 4 });
  // Measured within the last day (just before the newest run): opening the charts measures nothing more.
  await sizes.add({ repository: 'local', at: new Date(now - DAY + HOUR - 60_000).toISOString(), bytes: 20 * 1024 * 1024, snapshots: 4 });

  const served = await startServe(t, setup);
  const { page, errors, report } = await openBrowser(t, served);
  const shots = process.env.LIFEBOAT_SCREENSHOTS ? join(PROJECT_ROOT, process.env.LIFEBOAT_SCREENSHOTS) : join(root, 'screenshots');
  await mkdir(shots, { recursive: true });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  try {
    await page.getByRole('heading', { name: 'Your backups' }).waitFor();
    assert.ok(!requested.some((url) => /PlanCharts|uPlot/i.test(url)), 'the dashboard does not load the charts');

    // The preview under the keep fields, as the person types.
    await page.goto(`${served.base}#/plans/docs`);
    const preview = page.getByTestId('retention-preview');
    await preview.getByText('No retention policy: keeps all 4 snapshots.').waitFor();
    const last = page.getByLabel('last snapshots');
    await last.click();
    await page.keyboard.press('2');
    await preview.getByText(`Keeps 2 snapshots, removes 2 (oldest kept: ${localDay(times[2]!)}).`).waitFor();
    await page.keyboard.press('0');
    await preview.getByText(`Keeps 4 snapshots, removes 0 (oldest kept: ${localDay(times[0]!)}).`).waitFor();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('3');
    await preview.getByText(`Keeps 3 snapshots, removes 1 (oldest kept: ${localDay(times[1]!)}).`).waitFor();
    assert.equal(await preview.getAttribute('aria-busy'), 'false');

    // Removing one of four saves without asking.
    const configFile = setup.configFile;
    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await page.getByText('Saved.').waitFor();
    assert.deepEqual(JSON.parse(await readFile(configFile, 'utf8')).plans[0].retention, { keepLast: 3 });

    // Three of four: asks once more; cancel keeps the draft and the file as they were.
    await last.fill('1');
    await preview.getByText(`Keeps 1 snapshot, removes 3 (oldest kept: ${localDay(times[3]!)}).`).waitFor();
    const onDisk = await readFile(configFile, 'utf8');
    await page.getByRole('button', { name: 'Save plan' }).last().click();
    const question = page.getByRole('alertdialog');
    await question.getByText('This policy removes 3 of 4 snapshots at the next backup (more than half) and keeps 1. Save it anyway?').waitFor();
    await page.screenshot({ path: join(shots, 'retention-preview.png'), fullPage: true });
    await question.getByRole('button', { name: 'Cancel, keep editing' }).click();
    await question.waitFor({ state: 'detached' });
    assert.equal(await readFile(configFile, 'utf8'), onDisk, 'cancel saves nothing');
    assert.equal(await last.inputValue(), '1', 'the draft stays');
    await page.getByText('Unsaved changes.').waitFor();

    await page.getByRole('button', { name: 'Save plan' }).first().click();
    await question.getByRole('button', { name: 'Save and remove 3' }).click();
    await page.getByText('Saved.').waitFor();
    assert.deepEqual(JSON.parse(await readFile(configFile, 'utf8')).plans[0].retention, { keepLast: 1 });
    assert.equal(await page.getByRole('alertdialog').count(), 0, 'asked once');

    // The charts: uPlot arrives with this page only, one canvas per chart, the runs in its legend.
    await page.goto(`${served.base}#/`);
    await page.getByRole('article', { name: 'Documents' }).getByRole('link', { name: 'Charts' }).click();
    await page.getByRole('heading', { name: 'Charts: Documents' }).waitFor();
    const added = page.getByRole('figure', { name: 'Data added per run' });
    await added.locator('canvas').waitFor();
    assert.ok(
      requested.some((url) => /PlanCharts/.test(url)),
      'the charts chunk is loaded now',
    );
    assert.equal(await page.locator('.time-chart canvas').count(), 3);
    assert.match(await page.getByText(/backup runs since/).innerText(), /^10 backup runs since /);
    const legend = async (figure: string) => (await page.getByRole('figure', { name: figure }).locator('.u-legend').innerText()).replace(/\s+/g, ' ');
    assert.match(await legend('Data added per run'), /Added.*Failed.*Skipped/);
    assert.match(await legend('Repository size'), /Repository size/);
    assert.match(await legend('Run duration'), /Took/);
    // The cursor at the right edge is the newest run: the legend reads uPlot's own data there.
    const over = added.locator('.u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const newest = runs.at(-1)!;
    await added.locator('.u-legend').getByText(formatBytes(newest.summary!.data_added)).waitFor();
    await page.getByRole('figure', { name: 'Run duration' }).locator('.u-legend').getByText('10 s').waitFor();
    // Cursors are synced: the leftmost point is the oldest run.
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await added.locator('.u-legend').getByText(formatBytes(runs[0]!.summary!.data_added)).waitFor();
    const problems = page.getByText('2 failed or skipped runs');
    await problems.click();
    assert.match(await page.locator('.chart-problems').innerText(), /failure[\s\S]*The source "\/nope" does not exist[\s\S]*skipped[\s\S]*Battery at 15 %/);
    await page.screenshot({ path: join(shots, 'plan-charts.png'), fullPage: true });
    await page.getByLabel('Show').selectOption('7');
    await page.getByText(/^7 backup runs since /).waitFor();
    await added.locator('canvas').waitFor();

    // Dark theme: drawn again in its colours, nothing breaks.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.time-chart canvas').nth(2).waitFor();
    assert.equal(await page.locator('.time-chart canvas').count(), 3);
    assert.deepEqual(errors, []);
  } catch (error) {
    await report(error);
  }
});
