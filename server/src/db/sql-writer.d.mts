import type Database from 'better-sqlite3';
import type { BatchResult, WriteUnit } from './write-ops.js';

export declare const CONNECTION_PRAGMAS: readonly string[];
export declare function createSqlWriter(sqlite: Database.Database, statements: Readonly<Record<string, string>>): (units: WriteUnit[]) => BatchResult;
