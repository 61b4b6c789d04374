import { TEST_ON_POSTGRES } from '../helpers/postgres.js';

// The postgres project's tests must not pass on SQLite by mistake (vitest.config.ts).
if (!TEST_ON_POSTGRES) throw new Error('the postgres project runs without KACA_TEST_DB=postgres: its tests would run on SQLite');
