import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';

/**
 * Starts a worker thread on one of the server's thread modules. The compiled bundle runs the
 * module's own file in dist/ (scripts/build.mjs builds one per thread); the sources (tests,
 * scripts) run the .ts through tsx's ESM hooks, which a worker does not inherit.
 *
 * `compiled` and `source` are the module's URLs as seen from the caller's file: the caller
 * writes `new URL('./x.js', import.meta.url)` and `new URL('./x.ts', import.meta.url)`, which in
 * the bundle both resolve next to dist/kaca.js.
 */
export function spawnThread(compiled: URL, source: URL, workerData: unknown, resourceLimits?: ResourceLimits, transferList?: TransferListItem[]): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(compiled, { workerData, resourceLimits, transferList });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, resourceLimits, transferList });
}
