// `npm start`: the desktop tray app where Electron can start; otherwise `lifeboat serve` with the
// browser UI, saying why in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { processIo } from '../main/cli/io.ts';
import { main } from '../main/cli/main.ts';

const root = join(import.meta.dirname, '..');
const desktopEntry = join(root, 'main', 'electron', 'main.ts');
process.stdout.write(
  existsSync(desktopEntry)
    ? 'Electron cannot start here, so Lifeboat runs headless with its browser UI.\n'
    : 'This build has no desktop tray app yet, so Lifeboat runs headless with its browser UI.\n',
);
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  process.stdout.write('Building the browser UI once…\n');
  const build = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());
const io = processIo(controller.signal);
const stdout = io.stdout;
io.stdout = (text) => {
  stdout(text);
  const url = /serving at (\S+)/.exec(text)?.[1];
  // Open the browser where there is a desktop to show it on.
  if (url && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && process.platform === 'linux') {
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  }
};
process.exitCode = await main(['serve', ...process.argv.slice(2)], io);
