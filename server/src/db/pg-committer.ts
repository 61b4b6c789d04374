import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { LeafPairing, toWriteError } from './committer.js';
import { createPgApplier, loggedSittings } from './pg-apply.js';
import * as schema from './schema-pg.js';
import type { LogKey } from './sitting-log.js';
import type { BatchResult, WriteOp, WriteValue } from './write-ops.js';

/**
 * Every connection that commits: a COMMIT returns only once PostgreSQL has flushed it to its WAL
 * on disk, whatever the server's default says, which is what an acknowledged answer promises.
 * A writer that vanished in the middle of a transaction (its thread or its network gone) does not
 * hold the log heads' locks for longer than a minute.
 */
export const PG_SESSION = "SET synchronous_commit TO on; SET idle_in_transaction_session_timeout TO '60s'";

/** The batch's fate is unknown: its callers must reload instead of assuming either. */
export class ConnectionLost extends Error {}

/**
 * Commits batches of units on one PostgreSQL connection, as committer.ts does on SQLite (with one
 * difference: a sequence does not roll back, so the ids of rows inserted after a failed batch
 * are not the ones SQLite would give; ids are opaque). a batch
 * is one transaction, so one WAL flush; if it fails, each unit is retried in a transaction of its
 * own, so one bad unit fails only itself. Each transaction first locks the heads of the logs it
 * appends to (FOR UPDATE), so two writers never append to one log at once.
 */
export function createPgCommitter(client: pg.Client, logKey: LogKey, holds: ((sittingId: string) => boolean) | null = null): { commit(units: WriteOp[][]): Promise<BatchResult> } {
  const applier = createPgApplier(client, drizzle(client, { schema }), logKey);

  const runUnit = async (unit: WriteOp[], values: WriteValue[]) => {
    const pairs = new LeafPairing();
    // several nodes: only the node whose connection holds a sitting's lock appends to its log
    // (a sitting made open, as the demo is, opens its log in the unit that makes it: no node runs it yet)
    if (holds) {
      const made = new Set(unit.flatMap((op) => (op.kind === 'sitting' ? [op.row.id] : [])));
      for (const op of unit) if ((op.kind === 'log' || op.kind === 'receipt' || op.kind === 'checkpoint') && !holds(op.sittingId) && !made.has(op.sittingId)) throw new KacaError(ErrorCode.UNAVAILABLE, `sitting ${op.sittingId} is run by another node now: try again`);
    }
    for (const op of unit) {
      const leaf = pairs.next(op);
      if (op.kind === 'answer') {
        applier.answer(op.record, leaf);
        values.push(0);
        continue;
      }
      const r = applier.apply(op);
      const v = typeof r === 'object' ? await r : r;
      values.push(v);
      pairs.value(v);
    }
    pairs.end();
  };

  /** One transaction over the given units; rolls back and throws if any of it fails. */
  const transaction = async (units: WriteOp[][], values: WriteValue[]) => {
    try {
      await client.query('BEGIN');
      await applier.begin(client, loggedSittings(units));
      for (const unit of units) await runUnit(unit, values);
      await applier.end();
      await client.query('COMMIT');
    } catch (err) {
      applier.discard();
      // a connection that cannot even roll back is gone, and with it any way to know whether
      // a COMMIT it was sending arrived
      await client.query('ROLLBACK').catch((lost: unknown) => {
        throw new ConnectionLost(`the connection to PostgreSQL was lost during a commit: ${lost instanceof Error ? lost.message : String(lost)}`);
      });
      throw err;
    }
  };

  return {
    async commit(units) {
      const values: WriteValue[] = [];
      try {
        await transaction(units, values);
        return { values, errors: null };
      } catch (err) {
        if (err instanceof ConnectionLost) throw err;
        values.length = 0;
      }
      const errors = [];
      for (const unit of units) {
        const mark = values.length;
        try {
          await transaction([unit], values);
          errors.push(null);
        } catch (err) {
          if (err instanceof ConnectionLost) throw err;
          values.length = mark;
          for (let k = 0; k < unit.length; k++) values.push(0);
          errors.push(toWriteError(err));
        }
      }
      return { values, errors };
    },
  };
}
