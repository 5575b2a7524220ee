// B1: wrapper overhead. `lifeboat run` of a plan with two trivial hooks vs. the same `restic backup`
// called directly, on a generated tree (fixed seed), a fresh repository each time, orders alternated.
// Usage: node bench/wrapper-overhead.ts [--runs N] [--files N] [--mb N]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchResult, execOk, LIFEBOAT_BIN, median, printResult, runsArg, withTempDir } from './lib/common.ts';
import { generateTree as generateTreeOf, TREE_SEED as SEED } from './lib/tree.ts';

const runs = runsArg(7);
const argNumber = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const fileCount = argNumber('--files', 10_000);
const totalMb = argNumber('--mb', 117);
const PASSWORD = 'bench password for lifeboat';

const generateTree = (root: string) => generateTreeOf(root, fileCount, totalMb);

const result = await withTempDir('b1', async (root) => {
  const tree = join(root, 'tree');
  const bytes = await generateTree(tree);
  const env = (dir: string) => ({ ...process.env, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(dir, 'cache') });
  const resticBackup = (dir: string, repo: string) =>
    execOk('restic', ['-r', repo, 'backup', '--json', '--tag', 'lifeboat', '--tag', 'plan:b1', '--', tree], { env: env(dir) });

  // Warm the page cache with the tree, so the first timed backup does not pay for it alone.
  await withTempDir('b1-warm', async (dir) => {
    await execOk('restic', ['-r', join(dir, 'repo'), 'init'], { env: env(dir) });
    await resticBackup(dir, join(dir, 'repo'));
  });

  const timings = {
    lifeboatFirst: [] as number[],
    directFirst: [] as number[],
    lifeboatSecond: [] as number[],
    directSecond: [] as number[],
    outsideFirst: [] as number[],
    outsideSecond: [] as number[],
    ownFirst: [] as number[],
    ownSecond: [] as number[],
  };
  const startup: number[] = [];
  const ratiosFirst: number[] = [];
  const ratiosSecond: number[] = [];

  const direct = async (): Promise<[number, number]> =>
    withTempDir('b1-direct', async (dir) => {
      const repo = join(dir, 'repo');
      await execOk('restic', ['-r', repo, 'init'], { env: env(dir) });
      const first = await resticBackup(dir, repo);
      const second = await resticBackup(dir, repo);
      return [first.ms, second.ms];
    });

  const lifeboat = async (): Promise<[number, number]> =>
    withTempDir('b1-lifeboat', async (dir) => {
      const repo = join(dir, 'repo');
      const config = {
        version: 1,
        repositories: [{ id: 'local', name: 'Bench', url: repo, passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' }],
        plans: [
          {
            id: 'b1',
            name: 'B1',
            repository: 'local',
            sources: [tree],
            hooks: [
              { id: 'before', on: ['backup.before'], script: { command: 'true' } },
              { id: 'after', on: ['backup.after'], script: { command: 'true' } },
            ],
          },
        ],
      };
      await writeFile(join(dir, 'config.json'), JSON.stringify(config));
      await execOk('restic', ['-r', repo, 'init'], { env: env(dir) });
      const args = [LIFEBOAT_BIN, '--config', join(dir, 'config.json'), '--data-dir', join(dir, 'data'), 'run', 'b1', '--json'];
      const runEnv = { ...process.env, LIFEBOAT_BENCH_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(dir, 'cache') };
      const first = await execOk(process.execPath, args, { env: runEnv });
      const second = await execOk(process.execPath, args, { env: runEnv });
      for (const [index, run] of [first, second].entries()) {
        const record = JSON.parse(run.stdout) as { status: string; steps: Array<{ name: string; durationMs: number }> };
        const backupStep = record.steps.find((step) => step.name === 'backup');
        (index === 0 ? timings.outsideFirst : timings.outsideSecond).push(Math.round(run.ms - (backupStep?.durationMs ?? 0)));
        (index === 0 ? timings.ownFirst : timings.ownSecond).push(Number((run.ms / (backupStep?.durationMs ?? run.ms)).toFixed(3)));
        if (record.status !== 'success') throw new Error(`lifeboat run ended ${record.status}`);
        if (record.steps.map((step) => step.name).join(',') !== 'before,backup,after') throw new Error(`unexpected steps: ${run.stdout.slice(0, 500)}`);
      }
      return [first.ms, second.ms];
    });

  for (let i = 0; i < runs; i += 1) {
    let l: [number, number];
    let d: [number, number];
    if (i % 2 === 0) {
      l = await lifeboat();
      d = await direct();
    } else {
      d = await direct();
      l = await lifeboat();
    }
    timings.lifeboatFirst.push(Math.round(l[0]));
    timings.lifeboatSecond.push(Math.round(l[1]));
    timings.directFirst.push(Math.round(d[0]));
    timings.directSecond.push(Math.round(d[1]));
    ratiosFirst.push(Number((l[0] / d[0]).toFixed(3)));
    ratiosSecond.push(Number((l[1] / d[1]).toFixed(3)));
    console.error(`B1 run ${i + 1}/${runs}: lifeboat ${Math.round(l[0])}/${Math.round(l[1])} ms, restic ${Math.round(d[0])}/${Math.round(d[1])} ms`);
  }
  for (let i = 0; i < runs; i += 1) startup.push(Math.round((await execOk(process.execPath, [LIFEBOAT_BIN, '--help'])).ms));
  const summary: BenchResult = {
    id: 'B1',
    title: 'Wrapper overhead',
    setup: `${fileCount} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB (seed ${SEED}, incompressible) in 100 folders; ${runs} runs, each a fresh repository for each side, orders alternated (even runs Lifeboat first); the tree is in the page cache (one untimed backup first). Lifeboat: \`lifeboat run b1 --json\` as a new process (Node start-up included) with a backup.before and a backup.after hook running \`true\`. Direct: \`restic backup --json --tag lifeboat --tag plan:b1 -- TREE\`.`,
    figures: [
      { name: 'first backup, Lifeboat', unit: 'ms', values: timings.lifeboatFirst },
      { name: 'first backup, restic', unit: 'ms', values: timings.directFirst },
      {
        name: 'first backup ratio (Lifeboat / restic, same run)',
        unit: '×',
        values: ratiosFirst,
        goal: '≤ 1.05',
        met: median(ratiosFirst) <= 1.05,
        limit: { value: 1.05, good: 'below' },
      },
      { name: 'unchanged second backup, Lifeboat', unit: 'ms', values: timings.lifeboatSecond },
      { name: 'unchanged second backup, restic', unit: 'ms', values: timings.directSecond },
      {
        name: 'second backup ratio (Lifeboat / restic, same run)',
        unit: '×',
        values: ratiosSecond,
        goal: '≤ 1.05',
        met: median(ratiosSecond) <= 1.05,
        limit: { value: 1.05, good: 'below' },
      },
      {
        name: 'second backup, absolute overhead (Lifeboat − restic, same run)',
        unit: 'ms',
        values: timings.lifeboatSecond.map((value, index) => value - timings.directSecond[index]!),
      },
      { name: 'first backup, Lifeboat time outside its restic backup step', unit: 'ms', values: timings.outsideFirst },
      { name: 'second backup, Lifeboat time outside its restic backup step', unit: 'ms', values: timings.outsideSecond },
      { name: 'first backup, Lifeboat total / its own restic backup step (same process)', unit: '×', values: timings.ownFirst },
      { name: 'second backup, Lifeboat total / its own restic backup step (same process)', unit: '×', values: timings.ownSecond },
      { name: '`lifeboat --help` (Node start-up + loading the CLI modules)', unit: 'ms', values: startup },
    ],
    notes: [],
  };
  for (const [label, ratios] of [
    ['first', ratiosFirst],
    ['second', ratiosSecond],
  ] as const) {
    if (Math.max(...ratios) / Math.min(...ratios) > 1.5) {
      summary.notes.push(
        `The ${label}-backup ratios spread widely (${Math.min(...ratios)}–${Math.max(...ratios)}): restic's own time varied from run to run on this shared machine, so the median ratio against direct restic is not conclusive on its own. The "Lifeboat total / its own restic backup step" row compares the two within one process and is the steadier estimate of the wrapper's share.`,
      );
    }
  }
  return summary;
});

printResult(result);
