import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { KacaError } from '../domain/errors.js';
import { createApplier } from './apply-writes.js';
import * as schema from './schema.js';
import type { LogKey } from './sitting-log.js';
import type { BatchResult, WriteError, WriteOp, WriteValue } from './write-ops.js';

export function toWriteError(err: unknown): WriteError {
  if (err instanceof KacaError) return { code: err.code, message: err.message };
  // drizzle wraps a driver's error (DrizzleQueryError, whose message carries the bound
  // parameters: a password hash, a session id): the driver's own error says what happened
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  // a second row where one may exist (a race between two admin requests) is the caller's
  // conflict: SQLite's message, PostgreSQL's unique_violation
  const unique = /UNIQUE constraint failed/.test(message) || (cause as { code?: unknown } | null)?.code === '23505';
  return { code: unique ? 'CONFLICT' : null, message };
}

/**
 * A log op directly before an answer op is that answer's leaf: the answer row keeps its index
 * (and is the leaf's only copy: sitting-log.ts), so an answer's or flag's leaf must be followed
 * by its answer op. Fed each op of a unit in order: next() gives an answer op its leaf's index.
 */
export class LeafPairing {
  private leaf: number | null = null;
  private needsRow = false;
  private last: WriteOp | null = null;

  next(op: WriteOp): number | null {
    if (op.kind === 'answer') {
      const leaf = this.leaf;
      this.leaf = null;
      this.needsRow = false;
      this.last = null;
      return leaf;
    }
    if (this.needsRow) throw new Error('an answer or flag leaf must be followed by its answer op');
    this.last = op;
    return null;
  }

  /** the value the op given to next() came back with */
  value(v: WriteValue): void {
    const op = this.last;
    this.leaf = op?.kind === 'log' ? (v as number) : null;
    this.needsRow = op?.kind === 'log' && (op.event.type === 'answer' || op.event.type === 'flag');
  }

  end(): void {
    if (this.needsRow) throw new Error('an answer or flag leaf must be followed by its answer op');
  }
}

/**
 * Commits batches of units on one connection. A batch is one transaction, so one fsync; if it
 * fails, each unit is retried in a transaction of its own, so one bad unit fails only itself.
 * The sitting logs' heads are written at the end of each transaction and forgotten when it rolls
 * back, so a retried unit appends from where the database stands.
 */
export function createCommitter(sqlite: Database.Database, logKey: LogKey): { commit(units: WriteOp[][]): BatchResult } {
  const applier = createApplier(drizzle(sqlite, { schema }), sqlite, logKey);
  const runUnit = (unit: WriteOp[], values: WriteValue[]) => {
    const pairs = new LeafPairing();
    for (const op of unit) {
      const leaf = pairs.next(op);
      if (op.kind === 'answer') {
        applier.answer(op.record, leaf);
        values.push(0);
        continue;
      }
      const v = applier.apply(op);
      values.push(v);
      pairs.value(v);
    }
    pairs.end();
  };
  const runBatch = sqlite.transaction((units: WriteOp[][], values: WriteValue[]) => {
    for (const unit of units) runUnit(unit, values);
    applier.logs.flush();
  });
  const runOne = sqlite.transaction((unit: WriteOp[], values: WriteValue[]) => {
    runUnit(unit, values);
    applier.logs.flush();
  });
  return {
    commit(units) {
      const values: WriteValue[] = [];
      try {
        runBatch(units, values);
        return { values, errors: null };
      } catch {
        applier.logs.discard();
        values.length = 0;
      }
      const errors = units.map((unit) => {
        const mark = values.length;
        try {
          runOne(unit, values);
          return null;
        } catch (err) {
          applier.logs.discard();
          values.length = mark;
          for (let k = 0; k < unit.length; k++) values.push(0);
          return toWriteError(err);
        }
      });
      return { values, errors };
    },
  };
}
