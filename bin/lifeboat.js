#!/usr/bin/env node
// The `lifeboat` command. Lifeboat's TypeScript runs directly on Node 22.18+ (type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `Lifeboat needs Node 22.18 or newer; this is Node ${process.versions.node}. Run it through npm in the project folder (npx lifeboat …), which uses the project's own Node.\n`,
  );
  process.exit(2);
}
const { main } = await import('../main/cli/main.ts');
const { processIo } = await import('../main/cli/io.ts');
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
