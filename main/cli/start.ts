// The `lifeboat` process: signals, the one command, the exit code. bin/lifeboat.js loads this
// module from the bundle in dist/cli when that bundle is up to date, else from the sources.
import { processIo } from './io.ts';
import { main } from './main.ts';

const controller = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C means now
    process.stderr.write('\nStopping… a running backup is cancelled cleanly (press Ctrl-C again to quit at once)\n');
    controller.abort();
  });
}
process.exitCode = await main(process.argv.slice(2), processIo(controller.signal));
// The command is done; whatever still holds the event loop (a stray timer) must not keep it alive.
setTimeout(() => process.exit(process.exitCode), 5000).unref();
