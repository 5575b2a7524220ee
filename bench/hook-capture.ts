// B8: hook output capture. A hook printing 200 MB of lines, captured by the hook process runner
// (redacted, time-stamped, kept within its byte budget, each block of lines handed on as the hook runner does),
// against the same output piped through `cat` to /dev/null. Each capture runs in a new Node process,
// whose own peak RSS is reported. Usage: node bench/hook-capture.ts [--runs N] [--mb N]
import { spawn } from 'node:child_process';
import { type BenchResult, execOk, median, printResult, round, runsArg } from './lib/common.ts';

const argNumber = (name: string, fallback: number) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const LINE = `capture ${'0123456789abcdef'.repeat(4)} token=not-a-secret`; // 92 bytes + newline
const SECRETS = ['correct horse battery staple', 's3cr3t-access-key-id', 'AKIAEXAMPLEKEY'];

if (process.argv.includes('--child')) {
  // One capture in this process: the parent reads its result line.
  const bytes = argNumber('--bytes', 200e6);
  const mode = process.argv[process.argv.indexOf('--child') + 1];
  const command = `yes '${LINE}' | head -c ${bytes}`;
  // The capture's modules are loaded before the clock starts: only the capture is timed.
  const { runHookProcess } = await import('../main/core/hooks/hook-process.ts');
  const { Redactor } = await import('../main/core/util/redactor.ts');
  // The garbage of loading them is collected before too: otherwise the collection of it, begun while
  // loading, goes on during the capture (whose allocations drive it) and not during `cat`.
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  if (mode === 'read') {
    // The floor of any capture in Node: the hook's output read from its pipe as the hook runner reads it, and nothing done with it.
    const { readPipe, PipeBuffers } = await import('../main/core/hooks/pipe-reader.ts');
    let bytesRead = 0;
    await new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      readPipe(
        child.stdout,
        (chunk) => {
          bytesRead += chunk.length;
        },
        new PipeBuffers(),
      );
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (bytesRead !== bytes) throw new Error(`only ${bytesRead} bytes were read`);
  } else if (mode === 'cat') {
    // Started as the hook is (its own session and process group), so both sides are scheduled alike.
    await new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', `${command} | cat > /dev/null`], { detached: true, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', resolve);
    });
  } else {
    const redactor = new Redactor();
    for (const secret of SECRETS) redactor.add(secret);
    let bytesSeen = 0;
    let directives = 0;
    const result = await runHookProcess({
      file: '/bin/sh',
      args: ['-c', command],
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 600_000,
      // As the hook runner calls it (main/core/hooks/hook-runner.ts): the run's redactor, every block
      // on to the run's events (someone follows the run live, the costlier case), and only lines
      // holding LIFEBOAT_ looked into for directives.
      redactor,
      onLines: (_stream, text) => {
        bytesSeen += text.length + 1;
      },
      wantsLines: () => true,
      watch: {
        text: 'LIFEBOAT_',
        onLine: () => {
          directives += 1;
        },
      },
    });
    if (result.exitCode !== 0) throw new Error(`the hook exited ${result.exitCode}`);
    if (bytesSeen < bytes - LINE.length - 1 || directives !== 0) throw new Error(`only ${bytesSeen} bytes were handed on`);
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

const runs = runsArg(5);
const MB = argNumber('--mb', 200);
const bytes = MB * 1e6;
const child = async (mode: 'cat' | 'capture' | 'read') => {
  const run = await execOk(process.execPath, ['--expose-gc', import.meta.filename, '--child', mode, '--bytes', String(bytes)]);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { ms: number; cpuMs: number; maxRss: number };
};
const ratio: number[] = [];
const captureMs: number[] = [];
const captureCpu: number[] = [];
const catMs: number[] = [];
const rate: number[] = [];
const rss: number[] = [];
const readMs: number[] = [];
const readRatio: number[] = [];
for (let r = 0; r < runs; r += 1) {
  const pair = r % 2 === 0 ? [await child('capture'), await child('cat')] : [await child('cat'), await child('capture')].reverse();
  const [capture, cat] = pair as Array<{ ms: number; cpuMs: number; maxRss: number }> as [
    { ms: number; cpuMs: number; maxRss: number },
    { ms: number; cpuMs: number; maxRss: number },
  ];
  captureMs.push(Math.round(capture.ms));
  captureCpu.push(Math.round(capture.cpuMs));
  catMs.push(Math.round(cat.ms));
  ratio.push(round(capture.ms / cat.ms));
  rate.push(round(MB / (capture.ms / 1000)));
  rss.push(round(capture.maxRss / 1024 / 1024));
  const read = await child('read');
  readMs.push(Math.round(read.ms));
  readRatio.push(round(read.ms / cat.ms));
  console.error(`B8 run ${r + 1}/${runs}: capture ${Math.round(capture.ms)} ms, cat ${Math.round(cat.ms)} ms, peak RSS ${rss.at(-1)} MiB`);
}
const result: BenchResult = {
  id: 'B8',
  title: 'Hook output capture',
  setup: `A hook running \`yes '<${LINE.length}-byte line>' | head -c ${bytes}\` (${MB} MB, ${Math.round(bytes / (LINE.length + 1)).toLocaleString('en')} lines) captured by runHookProcess as the hook runner calls it: the run's Redactor holding ${SECRETS.length} secrets (none in the output), every block decoded for the run's events (someone following the run live) and the LIFEBOAT_ directive watch; against \`… | cat > /dev/null\`, and against the same pipe read with nothing done with the bytes (after each pair); each side a new Node process, ${runs} runs, order alternated. Peak RSS is that process's getrusage maxrss.`,
  figures: [
    { name: 'capture', unit: 'ms', values: captureMs },
    { name: 'through cat', unit: 'ms', values: catMs },
    { name: 'ratio (capture / cat, same run)', unit: '×', values: ratio, goal: '≤ 1.5', met: median(ratio) <= 1.5, limit: { value: 1.5, good: 'below' } },
    { name: 'read alone (the pipe read as the hook runner reads it, nothing done with the bytes)', unit: 'ms', values: readMs },
    { name: 'ratio (read alone / cat, same run): the floor of a capture in Node', unit: '×', values: readRatio },
    { name: 'capture throughput', unit: 'MB/s', values: rate },
    { name: 'CPU time of the capturing Node process (user + system)', unit: 'ms', values: captureCpu },
    { name: 'capture throughput per CPU second of that process', unit: 'MB/s', values: captureCpu.map((cpu) => round(MB / (cpu / 1000))) },
    {
      name: 'peak RSS of the capturing process',
      unit: 'MiB',
      values: rss,
      goal: '< 150 MiB in every run',
      met: Math.max(...rss) < 150,
      basis: 'max',
      limit: { value: 150, good: 'below' },
    },
  ],
  notes: [],
};
printResult(result);
