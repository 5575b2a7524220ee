// B1s, B1d and B1m: what a run costs besides restic, on an unchanged tree, side by side with `restic backup`.
// - B1s: `lifeboat run` as a new process on a 100-file tree: the absolute overhead (Node start-up included).
// - B1d: the same plan on the 10,000-file tree run by an already-started Lifeboat process (Engine.runPlan, as
//   the daemon and serve run scheduled plans), against restic on that tree.
// - B1m: the peak RSS of Lifeboat's own Node process for `lifeboat run` on the 10,000-file tree, against restic's.
// Paired runs, order alternated, median of --runs (default 7). Usage:
// node bench/run-overhead.ts [--runs N] [--files N] [--mb N] [--small-files N]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type BenchResult, execOk, LIFEBOAT_BIN, median, printResult, round, runsArg, withTempDir } from './lib/common.ts';
import { generateTree } from './lib/tree.ts';

const argNumber = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const PASSWORD = 'bench password for lifeboat';
const MAXRSS_PROBE = join(import.meta.dirname, 'lib', 'report-maxrss.mjs');

if (process.argv[2] === '--child') {
  // A Lifeboat that stays up: the engine is opened once, then each line on stdin runs the plan it names once.
  const [, , , configFile, dataDir] = process.argv as [string, string, string, string, string];
  const { Engine } = await import('../main/core/engine.ts');
  const engine = await Engine.open({ configFile, dataDir });
  console.log('ready');
  for await (const plan of createInterface({ input: process.stdin })) {
    const started = performance.now();
    const record = await engine.runPlan(plan, { trigger: 'schedule' });
    const ms = performance.now() - started;
    const backup = record.steps.find((step) => step.name === 'backup');
    console.log(JSON.stringify({ ms, status: record.status, backupMs: backup?.durationMs ?? null }));
  }
  await engine.flushMonitors();
  process.exit(0);
}

const runs = runsArg(7);
const fileCount = argNumber('--files', 10_000);
const totalMb = argNumber('--mb', 117);
const smallFiles = argNumber('--small-files', 100);

/** `restic backup` under GNU time: its wall time (ours, spawn to close) and its own peak RSS. */
async function resticBackup(dir: string, repo: string, tree: string): Promise<{ ms: number; rssMiB: number }> {
  const env = { ...process.env, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(dir, 'cache') };
  const run = await execOk('/usr/bin/time', ['-f', 'MAXRSS %M', 'restic', '-r', repo, 'backup', '--json', '--tag', 'lifeboat', '--tag', 'plan:p', '--', tree], {
    env,
  });
  const kib = Number(/MAXRSS (\d+)/.exec(run.stderr)?.[1]);
  return { ms: run.ms, rssMiB: round(kib / 1024) };
}

/**
 * A Lifeboat config and data folder for one side: plan `p` (two trivial hooks) on its own repository;
 * with `bareTwin`, also plan `q`, the same backup without hooks, on a second repository of its own.
 */
async function lifeboatSetup(dir: string, tree: string, { bareTwin = false } = {}) {
  const repo = join(dir, 'repo');
  const bareRepo = join(dir, 'repo-bare');
  const configFile = join(dir, 'config.json');
  const config = {
    version: 1,
    repositories: [
      { id: 'local', name: 'Bench', url: repo, passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' },
      ...(bareTwin ? [{ id: 'bare', name: 'Bench without hooks', url: bareRepo, passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' }] : []),
    ],
    plans: [
      {
        id: 'p',
        name: 'P',
        repository: 'local',
        sources: [tree],
        hooks: [
          { id: 'before', on: ['backup.before'], script: { command: 'true' } },
          { id: 'after', on: ['backup.after'], script: { command: 'true' } },
        ],
      },
      ...(bareTwin ? [{ id: 'q', name: 'Q', repository: 'bare', sources: [tree] }] : []),
    ],
  };
  await writeFile(configFile, JSON.stringify(config));
  const env = { ...process.env, LIFEBOAT_BENCH_PASSWORD: PASSWORD, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(dir, 'cache') };
  await execOk('restic', ['-r', repo, 'init'], { env });
  if (bareTwin) await execOk('restic', ['-r', bareRepo, 'init'], { env });
  const dataDir = join(dir, 'data');
  /** `lifeboat run p --json` as a new process: wall time and its own peak RSS. */
  const cliRun = async (index: number) => {
    const rssFile = join(dir, `maxrss-${index}`);
    const run = await execOk(process.execPath, ['--import', MAXRSS_PROBE, LIFEBOAT_BIN, '--config', configFile, '--data-dir', dataDir, 'run', 'p', '--json'], {
      env: { ...env, LIFEBOAT_BENCH_MAXRSS_FILE: rssFile },
    });
    const record = JSON.parse(run.stdout) as { status: string };
    if (record.status !== 'success') throw new Error(`lifeboat run ended ${record.status}`);
    return { ms: run.ms, rssMiB: round(Number(await readFile(rssFile, 'utf8')) / 1024 / 1024) };
  };
  return { repo, configFile, dataDir, env, cliRun };
}

const result = await withTempDir('b1s', async (root) => {
  const small = join(root, 'small');
  const big = join(root, 'big');
  await generateTree(small, smallFiles, 1);
  const bigBytes = await generateTree(big, fileCount, totalMb);
  const figures: BenchResult['figures'] = [];

  // B1s: the small tree, each side's repository already holding its snapshot (the run changes nothing).
  const smallLifeboat = await withTempDir('b1s-l', async (ldir) =>
    withTempDir('b1s-r', async (rdir) => {
      const lifeboat = await lifeboatSetup(ldir, small);
      const repo = join(rdir, 'repo');
      await execOk('restic', ['-r', repo, 'init'], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD } });
      await lifeboat.cliRun(-1);
      await resticBackup(rdir, repo, small);
      const l: number[] = [];
      const d: number[] = [];
      const node: number[] = [];
      for (let r = 0; r < runs; r += 1) {
        if (r % 2 === 0) {
          l.push((await lifeboat.cliRun(r)).ms);
          d.push((await resticBackup(rdir, repo, small)).ms);
        } else {
          d.push((await resticBackup(rdir, repo, small)).ms);
          l.push((await lifeboat.cliRun(r)).ms);
        }
        // What any Node program costs here before and after its own code: the floor of a new `lifeboat` process.
        node.push((await execOk(process.execPath, ['-e', '0'])).ms);
        console.error(
          `B1s run ${r + 1}/${runs}: lifeboat ${Math.round(l.at(-1)!)} ms, restic ${Math.round(d.at(-1)!)} ms, node -e 0 ${Math.round(node.at(-1)!)} ms`,
        );
      }
      return { l, d, node };
    }),
  );
  const overhead = smallLifeboat.l.map((value, index) => Math.round(value - smallLifeboat.d[index]!));
  const ownOverhead = overhead.map((value, index) => Math.round(value - smallLifeboat.node[index]!));
  figures.push(
    { name: `B1s: ${smallFiles}-file tree, \`lifeboat run\` (new process)`, unit: 'ms', values: smallLifeboat.l.map(Math.round) },
    { name: `B1s: ${smallFiles}-file tree, restic backup`, unit: 'ms', values: smallLifeboat.d.map(Math.round) },
    {
      name: 'B1s: absolute overhead (Lifeboat − restic, same run)',
      unit: 'ms',
      values: overhead,
      goal: '≤ 120 ms',
      met: median(overhead) <= 120,
      limit: { value: 120, good: 'below' },
    },
    { name: 'B1s: Node start-up and exit alone (`node -e 0`, same run)', unit: 'ms', values: smallLifeboat.node.map(Math.round) },
    { name: "B1s: overhead beyond Node's own start-up (overhead − `node -e 0`, same run)", unit: 'ms', values: ownOverhead },
  );

  // B1d and B1m: the big tree; an already-started Lifeboat, a new `lifeboat run`, and restic, side by side.
  // Each side has its own repository, and each repository gets the same backups (two untimed, then one
  // per round): restic takes longer as a repository's snapshots and index files grow, so a side whose
  // repository had more runs would be timed against a slower restic.
  await withTempDir('b1d-l', async (ldir) =>
    withTempDir('b1d-c', async (cdir) =>
      withTempDir('b1d-r', async (rdir) => {
        const lifeboat = await lifeboatSetup(ldir, big, { bareTwin: true });
        const cliSide = await lifeboatSetup(cdir, big);
        const repo = join(rdir, 'repo');
        await execOk('restic', ['-r', repo, 'init'], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD } });
        // The first backup and an unchanged one, untimed, on every side: every timed run is of an unchanged tree.
        for (const index of [-2, -1]) await cliSide.cliRun(index);
        for (let warm = 0; warm < 2; warm += 1) await resticBackup(rdir, repo, big);
        const child = spawn(process.execPath, [import.meta.filename, '--child', lifeboat.configFile, lifeboat.dataDir], {
          env: lifeboat.env,
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
        const ready = await answers.next();
        if (ready.value !== 'ready') throw new Error(`the engine process said ${String(ready.value)}`);
        const daemonRun = async (plan = 'p') => {
          child.stdin.write(`${plan}\n`);
          const answer = JSON.parse((await answers.next()).value as string) as { ms: number; status: string };
          if (answer.status !== 'success') throw new Error(`the engine's run ended ${answer.status}`);
          return answer.ms;
        };
        // The engine's first backup, and an unchanged one that warms what a long-lived process keeps; the same for the plan without hooks.
        for (const plan of ['p', 'p', 'q', 'q']) await daemonRun(plan);
        const daemon: number[] = [];
        const bare: number[] = [];
        const direct: number[] = [];
        const cli: number[] = [];
        const cliRss: number[] = [];
        const resticRss: number[] = [];
        for (let r = 0; r < runs; r += 1) {
          const steps: Array<() => Promise<void>> = [
            // The engine's run with hooks next to restic's, in both orders: the pair with the goal is side by side.
            async () => {
              bare.push(await daemonRun('q'));
            },
            async () => {
              daemon.push(await daemonRun());
            },
            async () => {
              const restic = await resticBackup(rdir, repo, big);
              direct.push(restic.ms);
              resticRss.push(restic.rssMiB);
            },
            async () => {
              const run = await cliSide.cliRun(r);
              cli.push(run.ms);
              cliRss.push(run.rssMiB);
            },
          ];
          for (const step of r % 2 === 0 ? steps : [...steps].reverse()) await step();
          console.error(
            `B1d run ${r + 1}/${runs}: engine ${Math.round(daemon.at(-1)!)} ms (without hooks ${Math.round(bare.at(-1)!)} ms), cli ${Math.round(cli.at(-1)!)} ms, restic ${Math.round(direct.at(-1)!)} ms; RSS lifeboat ${cliRss.at(-1)} MiB, restic ${resticRss.at(-1)} MiB`,
          );
        }
        child.stdin.end();
        await once(child, 'close');
        const daemonRatio = daemon.map((value, index) => round(value / direct[index]!));
        const cliRatio = cli.map((value, index) => round(value / direct[index]!));
        const rssRatio = cliRss.map((value, index) => round(value / resticRss[index]!));
        figures.push(
          { name: `B1d: ${fileCount}-file tree, run by an already-started Lifeboat (Engine.runPlan)`, unit: 'ms', values: daemon.map(Math.round) },
          { name: `B1d: ${fileCount}-file tree, restic backup`, unit: 'ms', values: direct.map(Math.round) },
          {
            name: 'B1d: ratio (already-started Lifeboat / restic, same run)',
            unit: '×',
            values: daemonRatio,
            goal: '≤ 1.02',
            met: median(daemonRatio) <= 1.02,
            limit: { value: 1.02, good: 'below' },
          },
          {
            name: 'B1d: absolute overhead (already-started Lifeboat − restic, same run)',
            unit: 'ms',
            values: daemon.map((value, index) => Math.round(value - direct[index]!)),
          },
          { name: 'B1d: the same engine, a plan without hooks (own repository, same backups)', unit: 'ms', values: bare.map(Math.round) },
          {
            name: 'B1d: ratio without hooks (already-started Lifeboat, no hooks / restic, same run)',
            unit: '×',
            values: bare.map((value, index) => round(value / direct[index]!)),
          },
          { name: `B1d: ${fileCount}-file tree, \`lifeboat run\` (new process)`, unit: 'ms', values: cli.map(Math.round) },
          { name: 'B1d: ratio (`lifeboat run` / restic, same run)', unit: '×', values: cliRatio },
          { name: 'B1m: peak RSS of `lifeboat run` (its Node process)', unit: 'MiB', values: cliRss },
          { name: 'B1m: peak RSS of restic backup', unit: 'MiB', values: resticRss },
          {
            name: 'B1m: RSS ratio (Lifeboat / restic, same run)',
            unit: '×',
            values: rssRatio,
            goal: '≤ 1.2',
            met: median(rssRatio) <= 1.2,
            limit: { value: 1.2, good: 'below' },
          },
        );
      }),
    ),
  );

  const summary: BenchResult = {
    id: 'B1s',
    title: 'Run overhead: small tree, already-started engine, memory',
    setup: `Unchanged trees, each side's repository already holding the tree's snapshot; the plan has a backup.before and a backup.after hook running \`true\`. B1s: ${smallFiles} files (1 MiB); \`lifeboat run p --json\` as a new process against \`restic backup --json --tag lifeboat --tag plan:p -- TREE\`. B1d: ${fileCount} files, ${(bigBytes / 1024 / 1024).toFixed(1)} MiB (seed-generated, incompressible); Engine.runPlan in one Node process opened once before, against restic, and a new \`lifeboat run\` too; each side with its own repository, which gets two untimed backups and then one per round, so every side's restic works on a repository with as many snapshots and index files as the others'; the engine also runs the same backup as a plan without hooks, on a repository of its own. B1m: peak RSS of the \`lifeboat run\` Node process (getrusage at exit, bench/lib/report-maxrss.mjs; hooks and restic not counted) against restic's own (GNU time %M). ${runs} runs each, orders alternated.`,
    figures,
    notes: [],
  };
  return summary;
});

printResult(result);
