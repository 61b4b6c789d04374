#!/usr/bin/env node
// The CLI runs the compiled bundle (npm run build; npm start builds it when stale).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/kaca.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('kaca: the server is not built yet: run npm run build (npm start builds it by itself)\n');
  process.exit(1);
}
await import(bundle.href);
