// Loaded with `node --import` into a process under test: on exit it writes the process's own
// peak RSS (getrusage RUSAGE_SELF, children not included) to $LIFEBOAT_BENCH_MAXRSS_FILE, in bytes.
// Plain JavaScript on purpose: a TypeScript file here would make Node load its type stripper into the
// process under test (about 200 ms and 16 MiB more), which the `lifeboat` bundle itself never does.
import { writeFileSync } from 'node:fs';

const file = process.env.LIFEBOAT_BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
