// B2: hook start latency. A `true` script through the hook runner (HookRunner.call: summary file,
// command preparation, environment, own process group, line splitting) vs. a bare spawn of it.
// Usage: node bench/hook-latency.ts [--runs N] (N rounds of 500 calls of each, interleaved)
import { spawn } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../main/core/config/store.ts';
import { runHookProcess } from '../main/core/hooks/hook-process.ts';
import { HookRunner } from '../main/core/hooks/hook-runner.ts';
import { headlessPlatform } from '../main/core/platform/headless.ts';
import { RunState } from '../main/core/runs/run-state.ts';
import { type BenchResult, median, percentile, printResult, round, runsArg, withTempDir } from './lib/common.ts';

const rounds = runsArg(5);
const CALLS = 500;

function bareSpawn(file: string, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

const result = await withTempDir('b2', async (root) => {
  const script = join(root, 'true.sh');
  await writeFile(script, '#!/bin/sh\ntrue\n');
  await chmod(script, 0o755);
  const configFile = join(root, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      version: 1,
      repositories: [{ id: 'local', url: join(root, 'repo'), passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' }],
      plans: [{ id: 'b2', repository: 'local', sources: [root], hooks: [{ id: 'true', on: ['backup.before'], script: { path: script } }] }],
    }),
  );
  const { config } = await loadConfig(configFile);
  const plan = config.plans[0]!;
  const hook = plan.hooks[0]!;
  const workingDir = join(root, 'work');
  await mkdir(workingDir);
  const runner = new HookRunner({ platform: headlessPlatform(), settings: () => config.settings });
  const run = new RunState({
    record: {
      id: 'bench',
      plan: plan.id,
      repository: 'local',
      trigger: 'manual',
      status: 'running',
      reason: null,
      startedAt: new Date().toISOString(),
      endedAt: null,
      snapshotId: null,
      steps: [],
      summary: null,
    },
    plan,
    repository: config.repositories[0]!,
    signal: new AbortController().signal,
    workingDir,
    emit: () => undefined,
  });

  const processOnly = async () => {
    const result = await runHookProcess({ file: script, args: [], cwd: workingDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 60_000 });
    if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}`);
  };
  // Warm-up: JIT and file system caches.
  for (let i = 0; i < 50; i += 1) {
    await runner.call(hook, 'backup.before', run);
    await bareSpawn(script, workingDir);
    await processOnly();
  }

  const figures = {
    processP50: [] as number[],
    processP99: [] as number[],
    hookP50: [] as number[],
    hookP99: [] as number[],
    bareP50: [] as number[],
    bareP99: [] as number[],
    ratioP50: [] as number[],
    ratioP99: [] as number[],
  };
  for (let r = 0; r < rounds; r += 1) {
    const hookTimes: number[] = [];
    const processTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      // Alternate which goes first, so neither always runs on a just-warmed system.
      const order = i % 2 === 0 ? ['hook', 'bare', 'process'] : ['process', 'bare', 'hook'];
      for (const kind of order) {
        const started = performance.now();
        if (kind === 'hook') {
          const outcome = await runner.call(hook, 'backup.before', run);
          if (outcome.outcome.kind !== 'pass') throw new Error(`hook did not pass: ${outcome.outcome.reason}`);
          hookTimes.push(performance.now() - started);
        } else if (kind === 'process') {
          await processOnly();
          processTimes.push(performance.now() - started);
        } else {
          await bareSpawn(script, workingDir);
          bareTimes.push(performance.now() - started);
        }
      }
    }
    const [hp50, hp99, bp50, bp99] = [percentile(hookTimes, 50), percentile(hookTimes, 99), percentile(bareTimes, 50), percentile(bareTimes, 99)];
    figures.processP50.push(round(percentile(processTimes, 50)));
    figures.processP99.push(round(percentile(processTimes, 99)));
    figures.hookP50.push(round(hp50));
    figures.hookP99.push(round(hp99));
    figures.bareP50.push(round(bp50));
    figures.bareP99.push(round(bp99));
    figures.ratioP50.push(round(hp50 / bp50));
    figures.ratioP99.push(round(hp99 / bp99));
    console.error(
      `B2 round ${r + 1}/${rounds}: hook p50 ${hp50.toFixed(2)} ms p99 ${hp99.toFixed(2)} ms; bare p50 ${bp50.toFixed(2)} ms p99 ${bp99.toFixed(2)} ms`,
    );
  }
  const summary: BenchResult = {
    id: 'B2',
    title: 'Hook start latency',
    setup: `${rounds} rounds of ${CALLS} calls each of a \`#!/bin/sh\\ntrue\` script file: through \`HookRunner.call\` (in process: summary file, command preparation, filtered environment, own process group, line splitting) and a bare \`child_process.spawn\` of the same file with piped output, interleaved (order alternated per call), after 50 warm-up calls of each. Time from call to the process's close.`,
    figures: [
      { name: 'hook runner p50', unit: 'ms', values: figures.hookP50 },
      { name: 'hook runner p99', unit: 'ms', values: figures.hookP99 },
      { name: 'runHookProcess alone p50 (process group, splitters, bounded output; no HookRunner)', unit: 'ms', values: figures.processP50 },
      { name: 'runHookProcess alone p99', unit: 'ms', values: figures.processP99 },
      { name: 'bare spawn p50', unit: 'ms', values: figures.bareP50 },
      { name: 'bare spawn p99', unit: 'ms', values: figures.bareP99 },
      {
        name: 'ratio p50 (hook runner / bare, same round)',
        unit: '×',
        values: figures.ratioP50,
        goal: '≤ 1.5',
        met: median(figures.ratioP50) <= 1.5,
        limit: { value: 1.5, good: 'below' },
      },
      { name: 'ratio p99 (hook runner / bare, same round)', unit: '×', values: figures.ratioP99 },
    ],
    notes: [],
  };
  return summary;
});

printResult(result);
