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

/**
 * One server per SQLite database, as on PostgreSQL: a server holds an exclusive lock on a small
 * file beside the database (`server.lock`) for as long as it runs, and the operating system lets
 * it go when the process ends, killed or not. A second server on the same data directory cannot
 * take it and refuses to start; two would each hold the hall in memory and both accept one
 * candidate's answers. Command-line runs take no lock. Returns the release.
 */
export function claimServerLock(databaseFile: string): () => void {
  const lock = new Database(join(dirname(databaseFile), 'server.lock'));
  try {
    lock.pragma('busy_timeout = 0');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`another Kaca server is running on this data directory (${dirname(databaseFile)}): stop it first, or give this one a DATA_DIR of its own`);
    throw err;
  }
  return () => {
    if (!lock.open) return;
    lock.exec('ROLLBACK');
    lock.close();
  };
}
