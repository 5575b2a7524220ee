// B6s: history at scale. 500 plans; a history of 100,000 runs (runs.jsonl as the store writes it, see
// lib/run-lines.ts) in which 450 plans run in turn over 80 days and 50 plans ran once, long ago (their last run
// is among the oldest lines). In a fresh Node process each: Engine.open, then the dashboard's `plans.list`
// (twice) and `plans --json`'s Engine.listPlans. Engine.open is also timed with a history of 100 runs, to show
// what start-up costs per run of history. Usage: node bench/history-scale.ts [--runs N] [--history N] [--once]
// (--once: plans.list is called once per process, not twice, and --start-only: start-up alone, for a build
// where one plans.list takes minutes.)

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApi } from '../main/api/router.ts';
import { Engine } from '../main/core/engine.ts';
import { HistoryStore } from '../main/core/history/history-store.ts';
import { type BenchResult, execOk, type Figure, median, printResult, round, seededRandom, withTempDir } from './lib/common.ts';
import { runLines, writeHistoryFixture } from './lib/run-lines.ts';

const PLANS = 500;
const QUIET = 50;
const DAYS = 80;

const argNumber = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

interface Expected {
  lastRun: Record<string, string>;
  lastBackup: Record<string, string | null>;
}

interface ChildReport {
  /** What start-up does with the history (interrupted runs, the prune check), on a store of its own. */
  historyStartMs: number;
  /** The same in CPU time of this process (user + system): what the work costs, without waiting for a busy CPU. */
  historyStartCpuMs: number;
  openMs: number;
  plansListCpuMs: number;
  plansListMs: number;
  plansListAgainMs: number;
  listPlansMs: number;
}

async function child(configFile: string, dataDir: string, expectedFile: string, listToo: boolean, once: boolean): Promise<void> {
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let cpu = process.cpuUsage();
  let t = performance.now();
  const store = new HistoryStore(join(dataDir, 'history'));
  await store.markInterrupted();
  await store.prune(new Date(Date.now() - 90 * 86_400_000));
  const historyStartMs = performance.now() - t;
  const historyStartCpuMs = cpuMs(cpu);
  t = performance.now();
  const engine = await Engine.open({ configFile, dataDir });
  const openMs = performance.now() - t;
  const report: ChildReport = { historyStartMs, historyStartCpuMs, openMs, plansListMs: 0, plansListCpuMs: 0, plansListAgainMs: 0, listPlansMs: 0 };
  if (listToo) {
    const api = createApi({ engine, scheduler: engine.createScheduler({ log: () => undefined }), version: 'bench', desktop: false });
    cpu = process.cpuUsage();
    t = performance.now();
    const listed = (await api.call('plans.list', {})) as { id: string; lastRun: { id: string } | null; lastBackup: { id: string } | null }[];
    report.plansListMs = performance.now() - t;
    report.plansListCpuMs = cpuMs(cpu);
    if (!once) {
      t = performance.now();
      await api.call('plans.list', {});
      report.plansListAgainMs = performance.now() - t;
    }
    t = performance.now();
    const summaries = await engine.listPlans();
    report.listPlansMs = performance.now() - t;
    const expected = JSON.parse(await readFile(expectedFile, 'utf8')) as Expected;
    for (const plan of listed) {
      if (plan.lastRun?.id !== expected.lastRun[plan.id])
        throw new Error(`plans.list: plan ${plan.id} last run ${plan.lastRun?.id}, expected ${expected.lastRun[plan.id]}`);
      if ((plan.lastBackup?.id ?? null) !== expected.lastBackup[plan.id]) throw new Error(`plans.list: plan ${plan.id} last backup ${plan.lastBackup?.id}`);
    }
    for (const summary of summaries) {
      if (summary.lastRun?.id !== expected.lastRun[summary.id] || summary.lastRun?.status === 'running') throw new Error(`listPlans: plan ${summary.id}`);
    }
  }
  console.log(JSON.stringify(report));
}

/** Writes config.json, data/history/runs.jsonl with `runs` runs and expected.json (each plan's last run and last backup). */
async function generate(root: string, runs: number): Promise<{ configFile: string; dataDir: string; expectedFile: string; size: number }> {
  const expectedFile = join(root, 'expected.json');
  const plans = Array.from({ length: PLANS }, (_, i) => (i < QUIET ? `quiet-${i}` : `plan-${i}`));
  const { configFile, dataDir, index } = await writeHistoryFixture(root, plans);
  const random = seededRandom(61);
  const out = createWriteStream(index);
  const expected: Expected = { lastRun: {}, lastBackup: {} };
  for (const plan of plans) {
    expected.lastRun[plan] = '';
    expected.lastBackup[plan] = null;
  }
  const now = Date.now();
  const first = now - DAYS * 86_400_000;
  const step = (DAYS * 86_400_000) / runs;
  for (let i = 0; i < runs; i += 1) {
    // The quiet plans' one run each is among the oldest: finding it by a scan reads the whole file.
    const plan = i < QUIET ? plans[i]! : plans[QUIET + (i % (PLANS - QUIET))]!;
    const lines = runLines(random, i, plan, Math.round(first + i * step));
    const ended = lines[1]!;
    expected.lastRun[plan] = ended.id;
    if (ended.status === 'success') expected.lastBackup[plan] = ended.id;
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  for (const plan of plans) if (expected.lastRun[plan] === '') delete expected.lastRun[plan];
  await writeFile(expectedFile, JSON.stringify(expected));
  return { configFile, dataDir, expectedFile, size: (await stat(index)).size };
}

async function inChild(configFile: string, dataDir: string, expectedFile: string, listToo: boolean): Promise<ChildReport> {
  const args = [
    import.meta.filename,
    '--child',
    configFile,
    dataDir,
    expectedFile,
    listToo ? 'list' : 'open',
    process.argv.includes('--once') ? 'once' : 'twice',
  ];
  const { stdout } = await execOk(process.execPath, args);
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6] === 'list', process.argv[7] === 'once');
} else {
  const runs = argNumber('--runs', 5);
  const historySize = argNumber('--history', 100_000);
  const startOnly = process.argv.includes('--start-only');
  const result = await withTempDir('b6s', async (root) => {
    await mkdir(join(root, 'small'));
    await mkdir(join(root, 'large'));
    const small = await generate(join(root, 'small'), 100);
    const large = await generate(join(root, 'large'), historySize);
    // The first start with a history and no summary of it (as after an update from an older Lifeboat).
    const firstOpen = await inChild(large.configFile, large.dataDir, large.expectedFile, false);
    console.error(`B6s first start on the large history: history at start ${firstOpen.historyStartMs.toFixed(1)} ms, open ${firstOpen.openMs.toFixed(1)} ms`);
    await inChild(small.configFile, small.dataDir, small.expectedFile, false);
    const reports: ChildReport[] = [];
    const openSmall: number[] = [];
    const historySmall: number[] = [];
    const historyCpuSmall: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      const report = await inChild(large.configFile, large.dataDir, large.expectedFile, !startOnly);
      reports.push(report);
      const smallReport = await inChild(small.configFile, small.dataDir, small.expectedFile, false);
      openSmall.push(round(smallReport.openMs));
      historySmall.push(round(smallReport.historyStartMs));
      historyCpuSmall.push(round(smallReport.historyStartCpuMs));
      console.error(
        `B6s run ${r + 1}/${runs}: history at start ${report.historyStartMs.toFixed(1)} ms, CPU ${report.historyStartCpuMs.toFixed(1)} ms (100 runs: ${smallReport.historyStartMs.toFixed(1)} ms, CPU ${smallReport.historyStartCpuMs.toFixed(1)} ms), open ${report.openMs.toFixed(1)} ms (100 runs: ${smallReport.openMs.toFixed(1)} ms), plans.list ${report.plansListMs.toFixed(1)} ms (CPU ${report.plansListCpuMs.toFixed(1)} ms), again ${report.plansListAgainMs.toFixed(1)} ms, listPlans ${report.listPlansMs.toFixed(1)} ms`,
      );
    }
    const pick = (key: keyof ChildReport) => reports.map((report) => round(report[key]));
    const openLarge = pick('openMs');
    const plansList = pick('plansListMs');
    const difference = round(median(openLarge) - median(openSmall));
    const historyLarge = pick('historyStartMs');
    const historyDifference = round(median(historyLarge) - median(historySmall));
    const historyCpuLarge = pick('historyStartCpuMs');
    const historyCpuDifference = round(median(historyCpuLarge) - median(historyCpuSmall));
    const listFigures: Figure[] = [
      {
        name: `plans.list, ${PLANS} plans × ${historySize.toLocaleString('en')} runs, first call`,
        unit: 'ms',
        values: plansList,
        goal: '< 50 ms',
        met: median(plansList) < 50,
        limit: { value: 50, good: 'below' },
      },
      { name: 'plans.list, first call, CPU time', unit: 'ms', values: pick('plansListCpuMs'), goal: '< 50 ms', met: median(pick('plansListCpuMs')) < 50 },
      { name: 'plans.list, second call', unit: 'ms', values: pick('plansListAgainMs') },
      { name: 'Engine.listPlans (plans --json)', unit: 'ms', values: pick('listPlansMs') },
    ];
    const summary: BenchResult = {
      id: 'B6s',
      title: 'History at scale',
      setup: `${PLANS} plans; ${historySize.toLocaleString('en')} runs (${(large.size / 1024 / 1024).toFixed(0)} MiB runs.jsonl), ${PLANS - QUIET} plans in turn over ${DAYS} days and ${QUIET} plans whose only run is among the oldest. ${runs} runs, each a fresh Node process: Engine.open, then the API's plans.list twice and Engine.listPlans (plans --json). Engine.open also with a history of 100 runs.`,
      figures: [
        ...(startOnly ? [] : listFigures),
        { name: `start-up's history work (interrupted runs, prune check), ${historySize.toLocaleString('en')} runs`, unit: 'ms', values: historyLarge },
        { name: "start-up's history work, 100 runs", unit: 'ms', values: historySmall },
        {
          name: "start-up's history work, large minus small (medians)",
          unit: 'ms',
          values: [historyDifference],
          goal: '< 10 ms',
          met: historyDifference < 10,
        },
        { name: `start-up's history work, CPU time, ${historySize.toLocaleString('en')} runs`, unit: 'ms', values: historyCpuLarge },
        { name: "start-up's history work, CPU time, 100 runs", unit: 'ms', values: historyCpuSmall },
        {
          name: "start-up's history work, CPU time, large minus small (medians)",
          unit: 'ms',
          values: [historyCpuDifference],
          goal: '< 10 ms',
          met: historyCpuDifference < 10,
        },
        { name: `Engine.open, ${historySize.toLocaleString('en')} runs`, unit: 'ms', values: openLarge },
        { name: 'Engine.open, 100 runs', unit: 'ms', values: openSmall },
        { name: 'Engine.open, large minus small (medians)', unit: 'ms', values: [difference], goal: '< 10 ms', met: difference < 10 },
        { name: "start-up's history work, first start on the large history (no summary file yet)", unit: 'ms', values: [round(firstOpen.historyStartMs)] },
      ],
      notes: [],
    };
    return summary;
  });
  printResult(result);
}
