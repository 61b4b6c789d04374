import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['tests/setup/build.ts'],
    // a browser test that seats a hall takes 15-30 s on a slow 2-core machine while the other
    // worker runs too: the limit is there to catch a hang, not to time anything
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Realtime and e2e suites start servers on port 0 and write SQLite files: keep files
    // in separate workers but do not oversubscribe a 2-core machine.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['tests/**/*.test.ts'] } },
      // the realtime suite again, the same tests with the data in PostgreSQL (tests/helpers/server.ts)
      { extends: true, test: { name: 'postgres', include: ['tests/realtime/**/*.test.ts'], env: { KACA_TEST_DB: 'postgres' }, setupFiles: ['tests/setup/on-postgres.ts'] } },
    ],
  },
});
