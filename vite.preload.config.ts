import { defineConfig } from 'vite';

// The preload runs sandboxed: one CommonJS file that requires nothing but `electron`.
export default defineConfig({
  build: {
    lib: { entry: 'main/preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    outDir: 'dist/preload',
    emptyOutDir: true,
    minify: false,
    rollupOptions: { external: ['electron'] },
  },
});
