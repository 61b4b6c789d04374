// The PostgreSQL reader thread (db/pg-reader.ts): runs the read repositories' queries on a pool
// of its own and replies on the port it was given, then moves the shared counter so the waiting
// caller wakes at once.
import { workerData } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { KacaError } from '../domain/errors.js';
import { migratePostgres } from './pg-client.js';
import type { ReadCall, ReadReply, ReaderThreadData } from './pg-reader.js';
import { createPgRepositories } from './repositories-pg.js';
import * as schema from './schema-pg.js';

const { url, signal, port } = workerData as ReaderThreadData;
const counter = new Int32Array(signal);
// a server that does not answer a connection attempt fails the call well before the caller gives up
const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'kaca-reader', keepAlive: true, connectionTimeoutMillis: 2_000 });
// a pooled connection that drops while idle: the next query takes a new one
pool.on('error', () => undefined);
const repos = createPgRepositories(drizzle(pool, { schema })) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

function reply(r: ReadReply): void {
  port.postMessage(r);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

port.on('message', (m: ReadCall) => {
  const run = m.repo === '$migrate' ? migratePostgres(url).then(() => null) : Promise.resolve().then(() => repos[m.repo][m.method](...m.args));
  run.then(
    (value) => reply({ id: m.id, ok: true, value }),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      // drizzle's own message carries the bound parameters: the driver's cause says what went wrong
      const cause = (e as { cause?: unknown }).cause;
      const message = cause instanceof Error ? cause.message : e.message;
      reply({ id: m.id, ok: false, error: err instanceof KacaError ? { message: err.message, code: err.code, details: err.details } : { message } });
    },
  );
});
