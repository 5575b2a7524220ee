// `npm start`: the desktop tray app where Electron can start; otherwise `lifeboat serve` with the
// browser UI (opened through `lifeboat open`), saying why in one line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processIo } from '../main/cli/io.ts';
import { main } from '../main/cli/main.ts';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Electron fetches its binary on first use; where that never happened (no network), it cannot start. */
function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const electron = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (electron && !noDisplay) {
  run('npm', ['run', '--silent', 'build:desktop']);
  const app = spawn(electron, [root], { stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = !electron ? "Electron's binary is not installed here (it downloads on first use)" : 'there is no desktop display';
  process.stdout.write(`Starting Lifeboat in your browser instead of the tray app: ${why}.\n`);
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) run(bin('vite'), ['build', '--logLevel', 'warn']);
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());
  const io = processIo(controller.signal);
  const stdout = io.stdout;
  const args = process.argv.slice(2);
  // Where this serve keeps its data: `lifeboat open` must look in the same place.
  const locationArgs = args.flatMap((arg, index) => (['--config', '--data-dir'].includes(arg) && args[index + 1] ? [arg, args[index + 1]!] : []));
  io.stdout = (text) => {
    stdout(text);
    const base = /serving at (\S+)/.exec(text)?.[1];
    if (!base) return;
    if (noDisplay) {
      stdout(
        `No browser can open here; Lifeboat stays at ${base}. Run "./lifeboat open" to open it (it prints a one-time sign-in link where no browser can start).\n`,
      );
      return;
    }
    // `lifeboat open` reads the token from the data dir and opens a one-time link: the token never reaches a command line.
    spawn(process.execPath, [join(root, 'bin', 'lifeboat.js'), ...locationArgs, 'open'], { stdio: 'inherit' }).on('error', (error) =>
      stdout(`The browser could not be opened (${error.message}); run "./lifeboat open" to try again.\n`),
    );
  };
  process.exitCode = await main(['serve', ...args], io);
}
