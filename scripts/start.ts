// `npm start`: the desktop tray app where it can start; otherwise Lifeboat headless, saying why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { processIo } from '../main/cli/io.ts';
import { main } from '../main/cli/main.ts';
import { resolveLocations } from '../main/core/util/paths.ts';

const desktopEntry = join(import.meta.dirname, '..', 'main', 'electron', 'main.ts');
if (!existsSync(desktopEntry)) {
  process.stdout.write('Starting Lifeboat headless: this build has no desktop tray app yet, so here is the command line.\n\n');
}
const { configFile } = resolveLocations({});
const io = processIo(new AbortController().signal);
if (!existsSync(configFile)) {
  process.stdout.write(`No config yet at ${configFile}.\nCreate it (README → "Your first backup"), then:\n  ./lifeboat validate\n  ./lifeboat run <plan>\n`);
  process.exitCode = 0;
} else {
  process.exitCode = await main(['plans'], io);
  process.stdout.write('\nBack up now: ./lifeboat run <plan>   ·   everything: ./lifeboat --help\n');
}
