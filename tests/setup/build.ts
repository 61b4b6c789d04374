import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * The CLI tests run bin/kaca.mjs, which runs the compiled bundle: build it (and the apps the
 * browser tests load) when older than the sources, so `npx vitest` alone never tests stale code.
 * At the end, the databases the postgres project's servers left (kept data dirs) are dropped.
 */
export default function setup(): () => Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  // names this run's PostgreSQL databases (tests/helpers/postgres.ts): the test processes inherit it
  process.env.KACA_TEST_RUN = randomBytes(4).toString('hex');
  return async () => {
    const { dropDirDatabases } = await import('../helpers/postgres.js');
    // a run without PostgreSQL (the sqlite project alone, say) made none
    await dropDirDatabases().catch(() => undefined);
  };
}
