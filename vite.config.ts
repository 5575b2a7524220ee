import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';

// The page's first module is small (main.tsx with the client): it runs, and asks for the first
// screen's data, as soon as it arrives. React and the app come in one chunk it imports dynamically,
// which the page preloads at once, so it loads while main.tsx runs. Views opened later load when
// first opened, each in its own chunk.
const MAIN = fileURLToPath(new URL('./renderer/src/main.tsx', import.meta.url));
const START = fileURLToPath(new URL('./renderer/src/start-app.tsx', import.meta.url));

type ModuleInfoOf = (id: string) => { importedIds: readonly string[] } | null;

/** `from` and every module it imports statically (not through `import()`), leaving out `except`. */
function staticallyImported(from: string, getModuleInfo: ModuleInfoOf, except: ReadonlySet<string> = new Set()): Set<string> {
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id) || except.has(id)) return;
    found.add(id);
    for (const imported of getModuleInfo(id)?.importedIds ?? []) visit(imported);
  };
  visit(from);
  return found;
}

let firstScreen: { boot: Set<string>; start: Set<string> } | undefined;

/**
 * Few files for the first screen, so that the browser's six connections to the server are free for
 * its first requests too: main.tsx's chunk (with the client, which the views share), the start
 * chunk (React, the app, the dashboard and all they import), and the styles.
 */
function firstScreenChunk(id: string, context: { getModuleInfo: ModuleInfoOf }): string | null {
  if (!firstScreen) {
    const getModuleInfo: ModuleInfoOf = (each) => context.getModuleInfo(each);
    const boot = staticallyImported(MAIN, getModuleInfo);
    firstScreen = { boot, start: staticallyImported(START, getModuleInfo, boot) };
  }
  if (firstScreen.boot.has(id)) return 'index';
  if (firstScreen.start.has(id)) return 'start-app';
  return null;
}

/** The chunks a chunk imports statically, itself first, each once. */
function withImports(file: string, bundle: OutputBundle, found = new Map<string, OutputChunk>()): Map<string, OutputChunk> {
  const chunk = bundle[file];
  if (chunk?.type !== 'chunk' || found.has(file)) return found;
  found.set(file, chunk);
  for (const imported of chunk.imports) withImports(imported, bundle, found);
  return found;
}

/** index.html preloads the start chunk (and what it imports) with the entry, not when main.tsx asks for it. */
function preloadStart(): Plugin {
  return {
    name: 'lifeboat-preload-start',
    apply: 'build',
    buildStart() {
      firstScreen = undefined; // worked out again for each build
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk }) {
        if (!bundle || !chunk) return [];
        const loaded = withImports(chunk.fileName, bundle);
        const start = new Map<string, OutputChunk>();
        for (const each of loaded.values())
          for (const file of each.dynamicImports) if ((bundle[file] as OutputChunk | undefined)?.moduleIds.includes(START)) withImports(file, bundle, start);
        return [...start.keys()]
          .filter((file) => !loaded.has(file))
          .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// One renderer build for the desktop window and for `lifeboat serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadStart()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstScreenChunk, debugName: 'first screen' }] } } },
  },
});
