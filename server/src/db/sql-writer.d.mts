import type Database from 'better-sqlite3';
import type { BatchResult, WriteUnit } from './write-ops.js';

export declare const CONNECTION_PRAGMAS: readonly string[];
export interface SqlWriter {
  /** commits a batch; keys[i] (a candidate id, or null) orders unit i with the others of its key */
  commit(units: WriteUnit[], keys?: readonly (number | null)[]): BatchResult;
  /** the caller has reloaded these keys from disk: their units are committed again */
  release(keys: readonly number[]): void;
}
export declare function createSqlWriter(sqlite: Database.Database, statements: Readonly<Record<string, string>>): SqlWriter;
