// Bundles the `lifeboat` command (main/cli/start.ts and every module it loads, packages included)
// into dist/cli, one chunk per command as the sources load them, with the list of files it was
// built from (dist/cli/inputs.json): bin/lifeboat.js runs the bundle only while all of them are
// unchanged. Usage: node scripts/build-cli.ts [--out FOLDER]
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { rolldown } from 'rolldown';
import { BUNDLE_INPUTS } from '../bin/cli-bundle.js';

const ROOT = join(import.meta.dirname, '..');
/**
 * Left to Node at run time: packages that find files beside their own code (node-notifier's
 * helper programs) or load optional native parts (dbus-next), and Electron, which is never in
 * the CLI. Each is loaded only when first needed.
 */
const EXTERNAL = ['node-notifier', 'dbus-next', 'electron', 'x11'];

/**
 * How the list names a file the bundle took in: the project's own files by their path in the
 * project; a package's file by the project's node_modules/<name>/package.json (or @scope/name),
 * as the project sees it even where node_modules links elsewhere, since npm rewrites that file
 * with any other version of the package.
 */
function inputName(file: string): string {
  const own = relative(ROOT, file);
  if (!own.startsWith('..') && !isAbsolute(own) && !own.startsWith(`node_modules${sep}`)) return own;
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(file);
  return match ? join('node_modules', match[1]!, 'package.json') : own;
}

export async function buildCli(out = join(ROOT, 'dist', 'cli')): Promise<{ folder: string; files: number; chunks: number }> {
  const temp = `${out}.building-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  const bundle = await rolldown({
    input: { start: join(ROOT, 'main', 'cli', 'start.ts') },
    platform: 'node',
    // Packages' ES module builds (jsonc-parser's main is a UMD one that requires its parts by path).
    resolve: { mainFields: ['module', 'main'] },
    external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)),
    // A new id for every build: what the bundle remembers between runs (the checked config) is its own.
    transform: { define: { __LIFEBOAT_BUILD__: JSON.stringify(`${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`) } },
    // No dead-code removal: it drops calls it takes for pure that a module makes for their throw
    // (`decodeURIComponent(path)` to test an address); each module is kept as written.
    treeshake: false,
    logLevel: 'warn',
  });
  const { output } = await bundle.write({
    dir: temp,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    // Without comments and spaces a start reads, hashes and decodes less than half the text; names
    // are kept (no mangling), so a stack trace still names the functions.
    minify: { mangle: false, compress: false },
  });
  await bundle.close();
  const inputs = new Set<string>();
  for (const item of output) if (item.type === 'chunk') for (const id of item.moduleIds) if (isAbsolute(id)) inputs.add(inputName(id));
  const files: Array<[string, number, number]> = [];
  for (const name of [...inputs].sort()) {
    const stats = await stat(join(ROOT, name));
    files.push([name, stats.size, stats.mtimeMs]);
  }
  await writeFile(join(temp, BUNDLE_INPUTS), `${JSON.stringify({ builtAt: new Date().toISOString(), files })}\n`);
  // Swapped in whole: a `lifeboat` starting meanwhile sees the old bundle or the new one, or none.
  const old = `${out}.old-${process.pid}`;
  await rename(out, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(temp, out);
  await rm(old, { recursive: true, force: true });
  return { folder: out, files: files.length, chunks: output.filter((item) => item.type === 'chunk').length };
}

if (import.meta.main) {
  const index = process.argv.indexOf('--out');
  const started = performance.now();
  const built = await buildCli(index > 0 ? process.argv[index + 1] : undefined);
  process.stdout.write(
    `lifeboat CLI bundled into ${relative(process.cwd(), built.folder) || '.'}: ${built.chunks} chunks from ${built.files} files in ${Math.round(performance.now() - started)} ms\n`,
  );
}
