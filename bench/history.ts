// B6: history. 100,000 runs in runs.jsonl (two lines each, as the store writes them: `running`, then
// the end state), 20 plans in turn over 80 days. Engine.open and listing the newest 50 runs of one plan,
// each run in a fresh Node process. Usage: node bench/history.ts [--runs N]

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Engine } from '../main/core/engine.ts';
import { type BenchResult, execOk, median, printResult, round, runsArg, seededRandom, withTempDir } from './lib/common.ts';
import { runLines, writeHistoryFixture } from './lib/run-lines.ts';

const RUNS_IN_HISTORY = 100_000;
const PLANS = 20;
const DAYS = 80;

interface ChildReport {
  openMs: number;
  listMs: number;
  listAgainMs: number;
  rareMs: number;
  listed: number;
  rareListed: number;
  processToOpenMs: number;
}

async function child(configFile: string, dataDir: string, spawnedAt: number): Promise<void> {
  const started = performance.now();
  const engine = await Engine.open({ configFile, dataDir });
  const openMs = performance.now() - started;
  const openedAt = Date.now();
  let t = performance.now();
  const list = await engine.history.list({ plan: 'plan-7', limit: 50 });
  const listMs = performance.now() - t;
  t = performance.now();
  await engine.history.list({ plan: 'plan-7', limit: 50 });
  const listAgainMs = performance.now() - t;
  t = performance.now();
  const rare = await engine.history.list({ plan: 'rare', limit: 50 });
  const rareMs = performance.now() - t;
  const report: ChildReport = {
    openMs,
    listMs,
    listAgainMs,
    rareMs,
    listed: list.length,
    rareListed: rare.length,
    processToOpenMs: openedAt - spawnedAt,
  };
  console.log(JSON.stringify(report));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else {
  const runs = runsArg(5);
  const result = await withTempDir('b6', async (root) => {
    const plans = [...Array.from({ length: PLANS }, (_, i) => `plan-${i}`), 'rare'];
    const { configFile, dataDir, index } = await writeHistoryFixture(root, plans);
    const random = seededRandom(6);
    const out = createWriteStream(index);
    const now = Date.now();
    const first = now - DAYS * 86_400_000;
    const step = (DAYS * 86_400_000) / RUNS_IN_HISTORY;
    for (let i = 0; i < RUNS_IN_HISTORY; i += 1) {
      // The 50 runs of "rare" are the oldest: listing it reads the whole file (the worst case).
      const plan = i < 50 ? 'rare' : `plan-${i % PLANS}`;
      const text = runLines(random, i, plan, Math.round(first + i * step))
        .map((line) => `${JSON.stringify(line)}\n`)
        .join('');
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const size = (await stat(index)).size;

    // Once in this process, as the check that the history is read as intended.
    const engine = await Engine.open({ configFile, dataDir });
    const check = await engine.history.list({ plan: 'plan-7', limit: 50 });
    if (check.length !== 50 || check[0]!.status === 'running') throw new Error('the generated history does not list as expected');

    const reports: ChildReport[] = [];
    for (let r = 0; r < runs; r += 1) {
      const { stdout } = await execOk(process.execPath, [import.meta.filename, '--child', configFile, dataDir, String(Date.now())]);
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
      if (report.listed !== 50 || report.rareListed !== 50) throw new Error(`listed ${report.listed}/${report.rareListed}`);
      reports.push(report);
      console.error(
        `B6 run ${r + 1}/${runs}: open ${report.openMs.toFixed(1)} ms, list ${report.listMs.toFixed(1)} ms, rare ${report.rareMs.toFixed(1)} ms, process start to open ${report.processToOpenMs} ms`,
      );
    }
    const pick = (key: keyof ChildReport) => reports.map((report) => round(report[key]));
    const open = pick('openMs');
    const list = pick('listMs');
    const summary: BenchResult = {
      id: 'B6',
      title: 'History',
      setup: `${RUNS_IN_HISTORY.toLocaleString('en')} runs (${(2 * RUNS_IN_HISTORY).toLocaleString('en')} lines, ${(size / 1024 / 1024).toFixed(0)} MiB runs.jsonl: a \`running\` line and an end line per run, 3 steps and a summary each), ${PLANS} plans in turn over ${DAYS} days (inside the default 90-day history), plus a plan "rare" whose 50 runs are the oldest. ${runs} runs, each a fresh Node process: \`Engine.open\` (config, markInterrupted, prune check, working dirs), then \`history.list({plan, limit: 50})\`.`,
      figures: [
        { name: 'Engine.open with that history', unit: 'ms', values: open, goal: '< 300 ms', met: median(open) < 300, limit: { value: 300, good: 'below' } },
        {
          name: 'newest 50 of one plan (plan-7), first listing',
          unit: 'ms',
          values: list,
          goal: '< 50 ms',
          met: median(list) < 50,
          limit: { value: 50, good: 'below' },
        },
        { name: 'newest 50 of one plan (plan-7), second listing', unit: 'ms', values: pick('listAgainMs') },
        { name: 'worst case: 50 runs of a plan whose runs are the oldest (whole file read)', unit: 'ms', values: pick('rareMs') },
        { name: 'process spawn to engine open (Node start-up + imports + open)', unit: 'ms', values: pick('processToOpenMs') },
      ],
      notes: [],
    };
    return summary;
  });
  printResult(result);
}
