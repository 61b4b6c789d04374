import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/build.ts'],
    // a browser test that seats a hall takes 15-30 s on a slow 2-core machine while the other
    // worker runs too: the limit is there to catch a hang, not to time anything
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Realtime and e2e suites start servers on port 0 and write SQLite files: keep files
    // in separate workers but do not oversubscribe a 2-core machine.
    maxWorkers: 2,
  },
});
