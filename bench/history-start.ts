// B9 and B10: what the size of the run history costs a start and a running server.
// B9: `lifeboat plans --json` (Node start-up, Engine.open with its interrupted-run check and prune check,
//     the plan list) with a history of 100 runs and of 100,000 runs, interleaved; each history ends with a
//     run left `running` by a process that is gone, found and marked by the first start (untimed).
// B10: `lifeboat serve` with each history: its RSS (VmRSS) after start-up and one `plans.list` call.
// Usage: node bench/history-start.ts [--runs N] [--small N] [--large N]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchResult, execOk, LIFEBOAT_BIN, median, printResult, round, runsArg, seededRandom, withTempDir } from './lib/common.ts';
import { runLines, writeHistoryFixture } from './lib/run-lines.ts';

const argNumber = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const runs = runsArg(7);
const SMALL = argNumber('--small', 100);
const LARGE = argNumber('--large', 100_000);
const PLANS = 20;
const env = { ...process.env, LIFEBOAT_BENCH_PASSWORD: 'bench password for lifeboat' };

/** A config of PLANS plans and a history of `count` runs over the last 80 days, the newest left `running`. */
async function historyOf(root: string, count: number): Promise<{ configFile: string; dataDir: string }> {
  const plans = Array.from({ length: PLANS }, (_, i) => `plan-${i}`);
  await mkdir(root, { recursive: true });
  const { configFile, dataDir, index } = await writeHistoryFixture(root, plans);
  const random = seededRandom(71);
  const out = createWriteStream(index);
  const first = Date.now() - 80 * 86_400_000;
  const step = (80 * 86_400_000) / count;
  for (let i = 0; i < count; i += 1) {
    const [running, ended] = runLines(random, i, plans[i % PLANS]!, Math.round(first + i * step));
    // The last run never ended: its process (pid 999999999) is gone.
    const text = i === count - 1 ? `${JSON.stringify(running)}\n` : `${JSON.stringify(running)}\n${JSON.stringify(ended)}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { configFile, dataDir };
}

/** `lifeboat plans --json` under GNU time: wall time, and its CPU time (user + system), steadier on a busy machine. */
async function plansCommand(fixture: { configFile: string; dataDir: string }) {
  const run = await execOk(
    '/usr/bin/time',
    ['-f', 'CPU %U %S', process.execPath, LIFEBOAT_BIN, '--config', fixture.configFile, '--data-dir', fixture.dataDir, 'plans', '--json'],
    {
      env,
    },
  );
  const [, user, system] = /CPU ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? [];
  return { ...run, cpuMs: Math.round((Number(user) + Number(system)) * 1000) };
}

/** Starts `lifeboat serve --port 0`, calls plans.list once, and reads the server's VmRSS. */
async function serveRss(fixture: { configFile: string; dataDir: string }): Promise<number> {
  const child = spawn(process.execPath, [LIFEBOAT_BIN, '--config', fixture.configFile, '--data-dir', fixture.dataDir, 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    let text = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) {
      text += chunk;
      if (/serving at (\S+)\s/.test(text)) break;
    }
    const base = /serving at (\S+)\s/.exec(text)?.[1];
    if (!base) throw new Error(`serve did not start: ${text}`);
    const token = (await readFile(join(fixture.dataDir, 'serve-token'), 'utf8')).trim();
    const response = await fetch(`${base}api/call/plans.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: '{}',
    });
    if (response.status !== 200) throw new Error(`plans.list answered ${response.status}`);
    await response.arrayBuffer();
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'close');
  }
}

const result = await withTempDir('b9', async (root) => {
  const small = await historyOf(join(root, 'small'), SMALL);
  const large = await historyOf(join(root, 'large'), LARGE);
  // The first start finds the interrupted run and writes the history's summary: untimed.
  for (const fixture of [small, large]) {
    const marked = await plansCommand(fixture);
    if (!marked.stdout.includes('"plan-')) throw new Error(`plans --json printed ${marked.stdout.slice(0, 200)}`);
  }
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  const smallCpu: number[] = [];
  const largeCpu: number[] = [];
  const smallRss: number[] = [];
  const largeRss: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const order = r % 2 === 0 ? ([small, large] as const) : ([large, small] as const);
    for (const fixture of order) {
      const run = await plansCommand(fixture);
      (fixture === small ? smallMs : largeMs).push(Math.round(run.ms));
      (fixture === small ? smallCpu : largeCpu).push(run.cpuMs);
    }
    for (const fixture of order) (fixture === small ? smallRss : largeRss).push(await serveRss(fixture));
    console.error(
      `B9 run ${r + 1}/${runs}: start ${smallMs.at(-1)} / ${largeMs.at(-1)} ms, serve RSS ${smallRss.at(-1)} / ${largeRss.at(-1)} MiB (${SMALL} / ${LARGE} runs)`,
    );
  }
  const startDiff = largeMs.map((value, index) => value - smallMs[index]!);
  const rssDiff = largeRss.map((value, index) => round(value - smallRss[index]!));
  const summary: BenchResult = {
    id: 'B9',
    title: 'Start-up and server memory against history size',
    setup: `${PLANS} plans; histories of ${SMALL} and ${LARGE.toLocaleString('en')} runs (bench/lib/run-lines.ts records over 80 days), each ending with a run left \`running\` by a process that is gone (marked \`interrupted\` by a first, untimed start, which also writes the history's summary). Start-up: \`lifeboat plans --json\` as a new process. Server: \`lifeboat serve --port 0\`, one \`plans.list\` call, then its VmRSS. ${runs} runs, the two histories interleaved, order alternated.`,
    figures: [
      { name: `start-up, ${SMALL} runs of history`, unit: 'ms', values: smallMs },
      { name: `start-up, ${LARGE} runs of history`, unit: 'ms', values: largeMs },
      {
        name: 'start-up difference (large − small history, same run)',
        unit: 'ms',
        values: startDiff,
        goal: '≤ 10 ms',
        met: median(startDiff) <= 10,
        limit: { value: 10, good: 'below' },
      },
      { name: `start-up CPU time (user + system), ${SMALL} runs of history`, unit: 'ms', values: smallCpu },
      { name: `start-up CPU time (user + system), ${LARGE} runs of history`, unit: 'ms', values: largeCpu },
      { name: 'start-up CPU time difference (large − small history, same run)', unit: 'ms', values: largeCpu.map((value, index) => value - smallCpu[index]!) },
      { name: `serve RSS, ${SMALL} runs of history`, unit: 'MiB', values: smallRss },
      { name: `serve RSS, ${LARGE} runs of history`, unit: 'MiB', values: largeRss },
      {
        name: 'serve RSS difference (large − small history, same run)',
        unit: 'MiB',
        values: rssDiff,
        goal: '≤ 10 MiB',
        met: median(rssDiff) <= 10,
        limit: { value: 10, good: 'below' },
      },
    ],
    notes: [],
  };
  return summary;
});

printResult(result);
