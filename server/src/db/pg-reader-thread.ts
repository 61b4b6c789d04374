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

/** Any fixed number: the advisory lock a server holds on its database while it runs. */
const NODE_LOCK = 0x6b616362;
let holder: pg.Client | null = null;

/**
 * Takes the server's lock on the database, on a connection kept for as long as the thread lives
 * (PostgreSQL lets it go when that connection ends, a killed server's included). A second server
 * on the same database finds it taken: several nodes are not supported yet (docs/deploy.md). A
 * server restarted at once may find its predecessor's lock not yet released: it asks again for a
 * few seconds.
 */
async function claim(): Promise<null> {
  for (let attempt = 0; ; attempt++) {
    const c = new pg.Client({ connectionString: url, application_name: 'kaca-server', keepAlive: true });
    c.on('error', () => undefined);
    await c.connect();
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [NODE_LOCK]);
    if (rows[0].ok) {
      holder = c;
      // the lock goes with its connection (PostgreSQL restarted, say): take it again once it is back
      c.once('end', () => {
        holder = null;
        const again = () => void claim().catch(() => setTimeout(again, 2_000).unref());
        setTimeout(again, 1_000).unref();
      });
      return null;
    }
    await c.end();
    if (attempt >= 20) throw new Error('another Kaca server is running on this database: one server per database until several nodes are supported (docs/deploy.md)');
    await new Promise((r) => setTimeout(r, 250));
  }
}

function reply(r: ReadReply): void {
  port.postMessage(r);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

port.on('message', (m: ReadCall) => {
  const run =
    m.repo === '$migrate' ? migratePostgres(url).then(() => null) : m.repo === '$claim' ? (holder ? Promise.resolve(null) : claim()) : Promise.resolve().then(() => repos[m.repo][m.method](...m.args));
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
