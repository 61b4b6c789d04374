import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratePostgres } from '../../server/src/db/pg-client.js';
import { DurableWriter } from '../../server/src/db/writer.js';
import type { BatchResult, WriteError, WriteOp, WriteValue } from '../../server/src/db/write-ops.js';
import { KacaError } from '../../server/src/domain/errors.js';

/**
 * The project's PostgreSQL (127.0.0.1:5432, database `test`, trust auth, or KACA_TEST_PG_URL),
 * which `npm test`'s pretest starts when it is down. Each test gets a database of its own.
 */
export const PG_BASE = new URL(process.env.KACA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test');

export interface PgDatabase {
  url: string;
  /** a connection to it, for the test's own reads */
  client: pg.Client;
  drop(): Promise<void>;
}

/**
 * A new, migrated database; drop() removes it (and ends every connection to it). With
 * `icuLocale`, its text sorts by that ICU collation (en-US: case and punctuation mostly ignored),
 * as a database made on a server with another default would.
 */
export async function freshPgDatabase(prefix = 'kaca_test', icuLocale?: string): Promise<PgDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_BASE.href });
  await admin.connect();
  await admin.query(icuLocale ? `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale}' LOCALE 'C.UTF-8'` : `CREATE DATABASE ${name}`);
  const url = new URL(PG_BASE.href);
  url.pathname = `/${name}`;
  await migratePostgres(url.href);
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  return {
    url: url.href,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * The realtime suite runs a second time on PostgreSQL (vitest.config.ts, project "postgres":
 * KACA_TEST_DB=postgres). Each test server's data dir then has a database of its own, named
 * after the dir, so a server restarted on the same dir finds its data again.
 */
export const TEST_ON_POSTGRES = process.env.KACA_TEST_DB === 'postgres';
/** this run's databases (tests/setup/build.ts sets KACA_TEST_RUN): the run's teardown drops these and no one else's */
const DIR_DB_PREFIX = `kaca_rt_${(process.env.KACA_TEST_RUN ?? 'solo').replace(/[^a-z0-9]/g, '')}_`;

const dirDatabaseName = (dir: string) => DIR_DB_PREFIX + createHash('sha256').update(dir).digest('hex').slice(0, 16);

/** The URL of a data dir's database (made by databaseForDir). */
export function dirDatabaseUrl(dir: string): string {
  const url = new URL(PG_BASE.href);
  url.pathname = `/${dirDatabaseName(dir)}`;
  return url.href;
}

export async function databaseForDir(dir: string): Promise<string> {
  const name = dirDatabaseName(dir);
  const admin = new pg.Client({ connectionString: PG_BASE.href });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return dirDatabaseUrl(dir);
}

/** Drops the database of a data dir (see databaseForDir), or every one of this run's. */
export async function dropDirDatabases(dir?: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_BASE.href });
  await admin.connect();
  try {
    const names = dir
      ? [dirDatabaseName(dir)]
      : (await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${DIR_DB_PREFIX}%`])).rows.map((r) => r.datname);
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function asWriteError(reason: unknown): WriteError {
  return { code: reason instanceof KacaError ? reason.code : null, message: reason instanceof Error ? reason.message : String(reason) };
}

/**
 * Commits every unit through two writers in the same order and answers with the first's
 * outcome; records each unit whose outcome differs (values, or the refusal's code). With SQLite
 * first and PostgreSQL second, a whole sitting run over real sockets tells whether the two
 * dialects store the same thing.
 */
export class TeeWriter extends DurableWriter {
  readonly mismatches: string[] = [];

  constructor(
    readonly first: DurableWriter,
    readonly second: DurableWriter,
  ) {
    super();
  }

  async ready(): Promise<void> {
    await Promise.all([this.first.ready(), this.second.ready()]);
  }

  protected async commit(units: WriteOp[][]): Promise<BatchResult> {
    const [a, b] = await Promise.all([Promise.allSettled(units.map((u) => this.first.submit(u))), Promise.allSettled(units.map((u) => this.second.submit(u)))]);
    const values: WriteValue[] = [];
    const errors: (WriteError | null)[] = [];
    units.forEach((unit, i) => {
      const x = a[i];
      const y = b[i];
      const outcome = (r: PromiseSettledResult<WriteValue[]>) => (r.status === 'fulfilled' ? JSON.stringify(r.value) : `refused ${asWriteError(r.reason).code}`);
      if (outcome(x) !== outcome(y)) this.mismatches.push(`${unit.map((op) => op.kind).join('+')}: ${outcome(x)} / ${outcome(y)}${y.status === 'rejected' ? ` (${asWriteError(y.reason).message})` : ''}`);
      if (x.status === 'fulfilled') {
        values.push(...x.value);
        errors.push(null);
      } else {
        for (let k = 0; k < unit.length; k++) values.push(0);
        errors.push(asWriteError(x.reason));
      }
    });
    return { values, errors: errors.some((e) => e) ? errors : null };
  }

  protected async shutdown(): Promise<void> {
    await Promise.all([this.first.close(), this.second.close()]);
  }
}
