import { execFileSync } from 'node:child_process';
import { dropDirDatabases } from '../helpers/postgres.js';

/**
 * The CLI tests run bin/kaca.mjs, which runs the compiled bundle: build it (and the apps the
 * browser tests load) when older than the sources, so `npx vitest` alone never tests stale code.
 * At the end, the databases the postgres project's servers left (kept data dirs) are dropped.
 */
export default function setup(): () => Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  return () => dropDirDatabases();
}
