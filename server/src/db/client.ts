import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { ROOT } from '../paths.js';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS = join(ROOT, 'server', 'migrations');

/**
 * Pragmas of every connection: WAL, and a commit is on disk when it returns (synchronous=FULL).
 * No connection checkpoints when it commits: the writer's checkpoint thread does it, and the
 * last connection to close checkpoints whatever is left (a command-line run included).
 */
export const CONNECTION_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000', 'wal_autocheckpoint = 0', 'journal_size_limit = 67108864'];

/**
 * Opens (creating if needed) and migrates the database. WAL with synchronous=FULL: a commit
 * is on disk when it returns, which is what an acknowledged answer promises.
 */
export function openDatabase(file: string): DbHandle {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  for (const p of CONNECTION_PRAGMAS) sqlite.pragma(p);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return {
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
