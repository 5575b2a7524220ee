import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// One renderer build for the desktop window and for `lifeboat serve`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
