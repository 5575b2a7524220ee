import { Engine } from './main/core/engine.ts';

const [configFile, dataDir, n] = process.argv.slice(2);
const engine = await Engine.open({ configFile: configFile!, dataDir: dataDir! });
await engine.runPlan('p', { trigger: 'schedule' });
const times: number[] = [];
for (let i = 0; i < Number(n ?? 10); i++) {
  const t = performance.now();
  const r = await engine.runPlan('p', { trigger: 'schedule' });
  times.push(performance.now() - t);
  if (r.status !== 'success') console.log(r.status);
}
times.sort((a, b) => a - b);
console.log('median', times[Math.floor(times.length / 2)]!.toFixed(1), 'min', times[0]!.toFixed(1));
await engine.flushMonitors();
process.exit(0);
