import react from '@vitejs/plugin-react';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';

/** The module main.tsx imports for the first screen (React and the app): loaded as the page starts, not when main.tsx asks. */
const START_MODULE = '/renderer/src/start-app.tsx';

/** The chunk of `START_MODULE` and every chunk it imports, each once. */
function startChunks(entry: OutputChunk, bundle: OutputBundle): OutputChunk[] {
  const found = new Map<string, OutputChunk>();
  const visit = (file: string) => {
    const chunk = bundle[file];
    if (chunk?.type !== 'chunk' || found.has(file)) return;
    found.set(file, chunk);
    for (const imported of chunk.imports) visit(imported);
  };
  for (const file of entry.dynamicImports) if ((bundle[file] as OutputChunk | undefined)?.facadeModuleId?.endsWith(START_MODULE)) visit(file);
  return [...found.values()];
}

/**
 * main.tsx is small so that it runs, and asks for the first screen's data, as soon as it arrives;
 * React and the app come in a chunk it imports dynamically. The page preloads that chunk (and what
 * it imports) at once, so it loads while main.tsx runs instead of after.
 */
function preloadStart(): Plugin {
  return {
    name: 'lifeboat-preload-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk }) {
        if (!bundle || !chunk) return [];
        const already = new Set([chunk.fileName, ...chunk.imports]);
        return startChunks(chunk, bundle)
          .filter((each) => !already.has(each.fileName))
          .map((each) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${each.fileName}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// One renderer build for the desktop window and for `lifeboat serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadStart()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
