import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Preact's JSX through esbuild: no framework plugin needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsDir: 'assets',
    // a dependency's comments Rollup cannot place (zod's): nothing to act on, so not printed at every first start
    rollupOptions: { onwarn: (w, warn) => (w.code === 'INVALID_ANNOTATION' ? undefined : warn(w)) },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'ws://localhost:8080', ws: true } } },
});
