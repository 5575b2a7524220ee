// B3: progress stream. 1,000,000 restic status lines piped through the parser the backup uses:
// runRestic (execa, LineSplitter, bounded output, keep filter) + parseBackupLine, with `cat FILE`
// standing in for restic. Each run is a fresh process, so its RSS before/after is its own.
// Usage: node bench/progress-stream.ts [--runs N]

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBackupLine } from '../main/core/restic/messages.ts';
import { runRestic } from '../main/core/restic/process.ts';
import { Redactor } from '../main/core/util/redactor.ts';
import { type BenchResult, execOk, median, PROJECT_ROOT, printResult, round, runsArg, withTempDir } from './lib/common.ts';

const LINES = 1_000_000;

interface ChildReport {
  lines: number;
  progress: number;
  ms: number;
  rssBefore: number;
  rssAfter: number;
  maxRss: number;
  heapBefore: number;
  heapAfter: number;
}

async function child(file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let lines = 0;
  let progress = 0;
  let lastPercent = 0;
  const started = performance.now();
  const invocation = await runRestic({
    binary: 'cat',
    args: [file],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    redactor: new Redactor().add('bench password for lifeboat'),
    onStdoutLine: (line) => {
      lines += 1;
      const message = parseBackupLine(line);
      if (message?.kind === 'progress') {
        progress += 1;
        lastPercent = message.progress.percent;
      }
    },
    keepStdoutLine: (line) => !line.includes('"message_type":"status"'),
  });
  const ms = performance.now() - started;
  if (invocation.exitCode !== 0) throw new Error(`cat exited ${invocation.exitCode}`);
  const rssAfter = process.memoryUsage().rss;
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const report: ChildReport = { lines, progress, ms, rssBefore, rssAfter, maxRss: process.resourceUsage().maxRSS * 1024, heapBefore, heapAfter };
  if (lastPercent < 0) throw new Error('unreachable');
  console.log(JSON.stringify(report));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!);
} else {
  const runs = runsArg(5);
  const result = await withTempDir('b3', async (root) => {
    const fixture = await readFile(join(PROJECT_ROOT, 'test', 'fixtures', 'restic', 'backup-stdout.jsonl'), 'utf8');
    const statusLines = fixture.split('\n').filter((line) => line.includes('"message_type":"status"'));
    const file = join(root, 'status.jsonl');
    const out = createWriteStream(file);
    let bytes = 0;
    for (let i = 0; i < LINES; i += 1) {
      const line = `${statusLines[i % statusLines.length]!}\n`;
      bytes += line.length;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const reports: ChildReport[] = [];
    for (let r = 0; r < runs; r += 1) {
      const { stdout } = await execOk(process.execPath, ['--expose-gc', import.meta.filename, '--child', file]);
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
      if (report.lines !== LINES || report.progress !== LINES) throw new Error(`parsed ${report.lines} lines, ${report.progress} progress`);
      reports.push(report);
      console.error(`B3 run ${r + 1}/${runs}: ${Math.round(LINES / (report.ms / 1000))} lines/s, RSS ${report.rssBefore >> 20} → ${report.rssAfter >> 20} MiB`);
    }
    const mib = (value: number) => round(value / 1024 / 1024);
    const rate = reports.map((report) => Math.round(LINES / (report.ms / 1000)));
    const growth = reports.map((report) => mib(report.rssAfter - report.rssBefore));
    const summary: BenchResult = {
      id: 'B3',
      title: 'Progress stream',
      setup: `${LINES.toLocaleString('en')} status lines (${(bytes / 1024 / 1024).toFixed(0)} MiB, the ${statusLines.length} recorded lines of test/fixtures/restic/backup-stdout.jsonl repeated), written by \`cat\` into \`runRestic\` with the backup's line handler (\`parseBackupLine\`, status lines not kept). ${runs} runs, each a fresh Node process; RSS read just before and just after the stream.`,
      figures: [
        { name: 'throughput', unit: 'lines/s', values: rate, goal: '≥ 300,000', met: median(rate) >= 300_000, limit: { value: 300_000, good: 'above' } },
        { name: 'RSS before', unit: 'MiB', values: reports.map((report) => mib(report.rssBefore)) },
        { name: 'RSS after', unit: 'MiB', values: reports.map((report) => mib(report.rssAfter)) },
        {
          name: 'RSS growth (after − before)',
          unit: 'MiB',
          values: growth,
          goal: 'flat (≤ 20 MiB in every run)',
          met: Math.max(...growth) <= 20,
          basis: 'max',
          limit: { value: 20, good: 'below' },
        },
        { name: 'peak RSS of the process', unit: 'MiB', values: reports.map((report) => mib(report.maxRss)) },
        { name: 'heap used after GC, growth', unit: 'MiB', values: reports.map((report) => mib(report.heapAfter - report.heapBefore)) },
      ],
      notes: [],
    };
    return summary;
  });
  printResult(result);
}
