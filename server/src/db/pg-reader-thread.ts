// The PostgreSQL reader thread (db/pg-reader.ts): runs the read repositories' queries on pools
// of its own and replies on the port it was given, then moves the shared counter so the waiting
// caller wakes at once. It also holds the server's lock on the database, for a server.
import { parentPort, workerData } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { KacaError } from '../domain/errors.js';
import { migratePostgres } from './pg-client.js';
import type { ReadCall, ReaderNotice, ReaderThreadData, ReadReply } from './pg-reader.js';
import { answerPage, createPgRepositories, type AnswerCursor } from './repositories-pg.js';
import * as schema from './schema-pg.js';

const { url, signal, port, timeoutMs, bulkTimeoutMs } = workerData as ReaderThreadData;
const counter = new Int32Array(signal);
// the caller knows this thread is alive while this moves (pg-reader.ts)
const beat = () => Atomics.store(counter, 1, Math.floor(Date.now() / 1000));
beat();
setInterval(beat, 500);

type Repos = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
/**
 * Two pools: PostgreSQL stops a statement when its caller stops waiting (statement_timeout just
 * under the caller's), so a read given up on does not hold a connection; whole-sitting reads get
 * longer. A connection attempt to a server that does not answer fails well before either.
 */
function reposOn(max: number, statementTimeout: number): { repos: Repos; db: ReturnType<typeof drizzle<typeof schema>> } {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'kaca-reader', keepAlive: true, connectionTimeoutMillis: 2_000, statement_timeout: statementTimeout });
  // a pooled connection that drops while idle: the next query takes a new one
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { repos: createPgRepositories(db) as unknown as Repos, db };
}
const { repos } = reposOn(4, timeoutMs);
const bulk = reposOn(2, bulkTimeoutMs);

/** Any fixed number: the advisory lock a server holds on its database while it runs. */
const NODE_LOCK = 0x6b616362;
const ANOTHER = 'another Kaca server is running on this database: one server per database until several nodes are supported (docs/deploy.md)';

/**
 * Takes the server's lock on the database, on a connection kept for as long as the thread lives
 * (PostgreSQL lets it go when that connection ends, a killed server's included). A second server
 * on the same database finds it taken. A server restarted at once may find its predecessor's
 * lock not yet released: it asks again for a few seconds.
 */
async function claim(): Promise<null> {
  for (let attempt = 0; ; attempt++) {
    const c = new pg.Client({ connectionString: url, application_name: 'kaca-server', keepAlive: true });
    c.on('error', () => undefined);
    await c.connect();
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [NODE_LOCK]);
    if (rows[0].ok) {
      // the lock goes with its connection (PostgreSQL restarted, say): take it again once it is
      // back; if another server took it meanwhile, the owner is told and stops
      c.once('end', () => setTimeout(reclaim, 1_000));
      return null;
    }
    await c.end();
    if (attempt >= 20) throw new Error(ANOTHER);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function reclaim(): void {
  claim().catch((err: Error) => {
    if (err.message === ANOTHER) parentPort!.postMessage({ type: 'lock-lost', message: ANOTHER } satisfies ReaderNotice);
    // PostgreSQL not back yet: again in a moment
    else setTimeout(reclaim, 2_000);
  });
}

function reply(r: ReadReply): void {
  port.postMessage(r);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

port.on('message', (m: ReadCall) => {
  const on = m.bulk ? bulk.repos : repos;
  const run =
    m.repo === '$migrate'
      ? migratePostgres(url).then(() => null)
      : m.repo === '$claim'
        ? claim()
        : m.repo === '$answerPage'
          ? answerPage(bulk.db, ...(m.args as [string, AnswerCursor | null, number]))
          : Promise.resolve().then(() => on[m.repo][m.method](...m.args));
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
