import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema.js';
import { CONNECTION_PRAGMAS } from './sql-writer.mjs';

export type Db = BetterSQLite3Database<typeof schema>;
export interface DbHandle {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

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
