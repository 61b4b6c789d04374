import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { PgReader, bridgedRepositories } from './pg-reader.js';
import { createRepositories, type ReadRepositories } from './repositories/index.js';
import * as schema from './schema.js';
import type { WriterTarget } from './writer.js';

/**
 * Read repositories of their own for a thread that reads off the event loop (exports, proofs,
 * analyses, bank pages): a read-only connection to the SQLite file, or a PostgreSQL reader.
 */
export function openReadRepositories(target: WriterTarget): { repos: ReadRepositories; close(): void } {
  if ('postgres' in target) {
    const reader = new PgReader(target.postgres);
    return { repos: bridgedRepositories(reader), close: () => void reader.close() };
  }
  const sqlite = new Database(target.sqlite, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return { repos: createRepositories(drizzle(sqlite, { schema }) as Parameters<typeof createRepositories>[0]), close: () => sqlite.close() };
}
