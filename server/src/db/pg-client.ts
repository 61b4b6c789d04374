import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from '../paths.js';
import * as schema from './schema-pg.js';

const MIGRATIONS = join(ROOT, 'server', 'migrations-pg');

/** Any fixed number: the advisory lock nodes take while they migrate. */
const MIGRATION_LOCK = 0x6b616361;

/**
 * Brings a PostgreSQL database up to the current schema (server/migrations-pg, drizzle's
 * migrator), under an advisory lock: nodes that start together migrate one after another, and
 * the second finds nothing left to do.
 */
export async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'kaca-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await client.end();
  }
}
