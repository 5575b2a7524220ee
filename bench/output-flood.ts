// B4: output flood. `lifeboat run` of a plan whose backup.before hook prints 1 GiB of lines.
// Lifeboat's own peak RSS (getrusage of the Lifeboat process, not the hook's) and the size of the
// stored hook output. Usage: node bench/output-flood.ts [--runs N] [--mib N]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchResult, execOk, LIFEBOAT_BIN, median, printResult, round, runsArg, withTempDir } from './lib/common.ts';

const runs = runsArg(5);
const mibIndex = process.argv.indexOf('--mib');
const FLOOD_MIB = mibIndex >= 0 ? Number(process.argv[mibIndex + 1]) : 1024;
const FLOOD_BYTES = FLOOD_MIB * 1024 * 1024;
const LINE = `flood ${'0123456789abcdef'.repeat(12)}`; // 198 bytes + newline
const STORE_LIMIT = 1024 * 1024;
const MARKER = /\[… \d+ lines \(\d+ bytes\) left out …\]\n/;
const PASSWORD = 'bench password for lifeboat';

const result = await withTempDir('b4', async (root) => {
  const source = join(root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'file.txt'), 'a small file\n');
  const repo = join(root, 'repo');
  const configFile = join(root, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      version: 1,
      repositories: [{ id: 'local', name: 'Bench', url: repo, passwordEnv: 'LIFEBOAT_BENCH_PASSWORD' }],
      plans: [
        {
          id: 'b4',
          name: 'B4',
          repository: 'local',
          sources: [source],
          hooks: [{ id: 'flood', on: ['backup.before'], timeout: '10m', script: { command: `yes '${LINE}' | head -c ${FLOOD_BYTES}` } }],
        },
        { id: 'quiet', name: 'Quiet', repository: 'local', sources: [source], hooks: [{ id: 'quiet', on: ['backup.before'], script: { command: 'true' } }] },
      ],
    }),
  );
  const env = { ...process.env, LIFEBOAT_BENCH_PASSWORD: PASSWORD, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: join(root, 'cache') };
  await execOk('restic', ['-r', repo, 'init'], { env });
  const peak: number[] = [];
  const stored: number[] = [];
  const seconds: number[] = [];
  const rate: number[] = [];
  let markerSeen = '';
  const lifeboatRun = async (plan: string, rssFile: string) =>
    execOk(
      process.execPath,
      [
        '--import',
        join(import.meta.dirname, 'lib', 'report-maxrss.mjs'),
        LIFEBOAT_BIN,
        '--config',
        configFile,
        '--data-dir',
        join(root, 'data'),
        'run',
        plan,
        '--json',
      ],
      { env: { ...env, LIFEBOAT_BENCH_MAXRSS_FILE: rssFile } },
    );
  const baseline: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const rssFile = join(root, `maxrss-quiet-${r}`);
    await lifeboatRun('quiet', rssFile);
    baseline.push(round(Number(await readFile(rssFile, 'utf8')) / 1024 / 1024));
  }
  for (let r = 0; r < runs; r += 1) {
    const rssFile = join(root, `maxrss-${r}`);
    const run = await lifeboatRun('b4', rssFile);
    const record = JSON.parse(run.stdout) as { id: string; status: string; steps: Array<{ name: string; output: string; durationMs: number }> };
    if (record.status !== 'success') throw new Error(`run ended ${record.status}`);
    const hook = record.steps.find((step) => step.name === 'flood');
    if (!hook) throw new Error('no flood step');
    // What is stored is the run's log file, read back from the data dir.
    const logged = JSON.parse(await readFile(join(root, 'data', 'history', 'logs', `${record.id}.json`), 'utf8')) as string[];
    const output = logged[record.steps.indexOf(hook)] ?? '';
    const marker = MARKER.exec(output)?.[0];
    if (!marker) throw new Error('the stored output has no marker');
    markerSeen = marker.trim();
    const maxRss = Number(await readFile(rssFile, 'utf8'));
    peak.push(round(maxRss / 1024 / 1024));
    stored.push(Buffer.byteLength(output));
    seconds.push(round(hook.durationMs / 1000));
    rate.push(round(FLOOD_MIB / (hook.durationMs / 1000)));
    console.error(
      `B4 run ${r + 1}/${runs}: peak RSS ${(maxRss / 1024 / 1024).toFixed(1)} MiB, stored ${Buffer.byteLength(output)} bytes, hook ${hook.durationMs} ms`,
    );
  }
  const storedOk = stored.every((bytes) => bytes <= STORE_LIMIT + Buffer.byteLength(`${markerSeen}\n`));
  const summary: BenchResult = {
    id: 'B4',
    title: 'Output flood',
    setup: `\`lifeboat run b4 --json\` (a new process each run), the plan's backup.before hook runs \`yes '<${LINE.length}-byte line>' | head -c ${FLOOD_BYTES}\` (${FLOOD_MIB} MiB, ${Math.round(FLOOD_BYTES / (LINE.length + 1)).toLocaleString('en')} lines), then restic backs up one small file. Peak RSS is getrusage(RUSAGE_SELF).ru_maxrss of the Lifeboat process (the hook's processes and restic are not counted), written at exit by a \`--import\`ed probe (bench/lib/report-maxrss.mjs). Stored output is the hook's entry in data/history/logs/<run>.json. ${runs} runs, one repository.`,
    figures: [
      {
        name: 'peak RSS of Lifeboat',
        unit: 'MiB',
        values: peak,
        goal: '< 150 MiB in every run',
        met: Math.max(...peak) < 150,
        basis: 'max',
        limit: { value: 150, good: 'below' },
      },
      { name: 'baseline: peak RSS of Lifeboat, same run with a silent hook', unit: 'MiB', values: baseline },
      { name: 'peak RSS added by the flood (each run − baseline median)', unit: 'MiB', values: peak.map((value) => round(value - median(baseline))) },
      { name: 'stored hook output', unit: 'bytes', values: stored, goal: `≤ ${STORE_LIMIT} + marker in every run`, met: storedOk, basis: 'max' },
      { name: `hook duration (${FLOOD_MIB} MiB through the hook runner)`, unit: 's', values: seconds },
      { name: 'hook output throughput', unit: 'MiB/s', values: rate },
    ],
    notes: [`Marker as stored: \`${markerSeen}\`. Median stored size ${median(stored)} bytes.`],
  };
  return summary;
});

printResult(result);
