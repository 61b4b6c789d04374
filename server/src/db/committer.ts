import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { KacaError } from '../domain/errors.js';
import { createApplier } from './apply-writes.js';
import * as schema from './schema.js';
import type { BatchResult, WriteError, WriteOp } from './write-ops.js';

function toWriteError(err: unknown): WriteError {
  if (err instanceof KacaError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  // a second row where one may exist (a race between two admin requests) is the caller's conflict
  return { code: /UNIQUE constraint failed/.test(message) ? 'CONFLICT' : null, message };
}

/**
 * Commits batches of units on one connection. A batch is one transaction, so one fsync; if it
 * fails, each unit is retried in a transaction of its own, so one bad unit fails only itself.
 */
export function createCommitter(sqlite: Database.Database): { commit(units: WriteOp[][]): BatchResult } {
  const apply = createApplier(drizzle(sqlite, { schema }), sqlite);
  const runUnit = (unit: WriteOp[], values: number[]) => {
    for (const op of unit) values.push(apply(op));
  };
  const runBatch = sqlite.transaction((units: WriteOp[][], values: number[]) => {
    for (const unit of units) runUnit(unit, values);
  });
  const runOne = sqlite.transaction(runUnit);
  return {
    commit(units) {
      const values: number[] = [];
      try {
        runBatch(units, values);
        return { values, errors: null };
      } catch {
        values.length = 0;
      }
      const errors = units.map((unit) => {
        const mark = values.length;
        try {
          runOne(unit, values);
          return null;
        } catch (err) {
          values.length = mark;
          for (let k = 0; k < unit.length; k++) values.push(0);
          return toWriteError(err);
        }
      });
      return { values, errors };
    },
  };
}
