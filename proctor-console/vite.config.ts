import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Pages: the proctor console (/proctor/), the public scoreboard (/scoreboard/), the admin console
// (/admin/) and the receipt check (/verify/). Assets go
// to console-assets/ so they never collide with the exam client's assets/ at the same origin.
export default defineConfig({
  root: here('.'),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsDir: 'console-assets',
    rollupOptions: {
      input: { proctor: here('proctor/index.html'), scoreboard: here('scoreboard/index.html'), admin: here('admin/index.html'), verify: here('verify/index.html') },
      // a dependency's comments Rollup cannot place (zod's): nothing to act on, so not printed at every first start
      onwarn: (w, warn) => (w.code === 'INVALID_ANNOTATION' ? undefined : warn(w)),
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/socket.io': { target: 'ws://localhost:8080', ws: true } } },
});
