#!/usr/bin/env node
// The `lifeboat` command. Lifeboat's TypeScript runs directly on Node 22.18+ (type stripping).
import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './cli-bundle.js';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `Lifeboat needs Node 22.18 or newer; this is Node ${process.versions.node}. Run it through npm in the project folder (npx lifeboat …), which uses the project's own Node.\n`,
  );
  process.exit(2);
}

/**
 * Node keeps the compiled (and type-stripped) modules in a cache folder, so a start after the first
 * skips most of the parsing. The folder is the person's own, in the OS temp folder; one that cannot be
 * made, or that someone else could write to, is not used, and Lifeboat starts without the cache.
 */
function enableCompileCache() {
  if (typeof module.enableCompileCache !== 'function' || process.env.LIFEBOAT_COMPILE_CACHE === '0') return;
  try {
    if (process.env.NODE_COMPILE_CACHE) {
      module.enableCompileCache();
      return;
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const dir = join(tmpdir(), `lifeboat-compile-cache${uid === undefined ? '' : `-${uid}`}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = lstatSync(dir);
    if (!stats.isDirectory() || (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0))) return;
    module.enableCompileCache(dir);
  } catch {
    // No cache folder (read-only temp, no space): start without it.
  }
}
enableCompileCache();

/**
 * The CLI as one bundle (dist/cli, built by scripts/build-cli.ts with the renderer) loads in a
 * fraction of the time of its ~200 modules; it is used only while it matches the sources, so an
 * edited file is never run stale. LIFEBOAT_FROM_SOURCE=1 always runs the sources.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = process.env.LIFEBOAT_FROM_SOURCE === '1' ? undefined : freshBundle(root);
await import(bundle ? pathToFileURL(bundle).href : '../main/cli/start.ts');
