// B5: CPU of an idle `lifeboat daemon` with 50 scheduled plans. Usage: node bench/daemon-idle.ts [seconds]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.argv[2] ?? 60);
const root = await mkdtemp(join(tmpdir(), 'lifeboat-bench-idle-'));
const plans = Array.from({ length: 50 }, (_, i) => ({
  id: `plan-${i}`,
  repository: 'local',
  sources: [root],
  schedule: { cron: `${i % 60} ${3 + (i % 20)} * * *` },
}));
await writeFile(join(root, 'config.json'), JSON.stringify({ version: 1, repositories: [{ id: 'local', url: join(root, 'repo'), passwordEnv: 'PW' }], plans }));
const bin = join(import.meta.dirname, '..', 'bin', 'lifeboat.js');
const child = spawn(process.execPath, [bin, '--config', join(root, 'config.json'), '--data-dir', join(root, 'data'), 'daemon'], {
  env: { ...process.env, PW: 'x' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) => child.stdout.on('data', (chunk) => String(chunk).includes('daemon started') && resolve()));
await new Promise((resolve) => setTimeout(resolve, 2000)); // start-up work is not idle time

const ticks = async () => {
  const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
};
const wakeups = async () => {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
};
const [ticksBefore, switchesBefore] = [await ticks(), await wakeups()];
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const [ticksAfter, switchesAfter] = [await ticks(), await wakeups()];
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
await rm(root, { recursive: true, force: true });

const cpu = (ticksAfter - ticksBefore) / 100;
console.log(`B5 daemon idle: 50 plans, ${seconds} s: CPU ${cpu.toFixed(2)} s (goal < 0.1 s), context switches ${switchesAfter - switchesBefore}`);
process.exitCode = cpu < 0.1 ? 0 : 1;
