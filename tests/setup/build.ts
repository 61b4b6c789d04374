import { execFileSync } from 'node:child_process';

/**
 * The CLI tests run bin/kaca.mjs, which runs the compiled bundle: build it (and the apps the
 * browser tests load) when older than the sources, so `npx vitest` alone never tests stale code.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
}
