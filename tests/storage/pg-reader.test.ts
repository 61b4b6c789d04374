import pg from 'pg';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { PgReader, bridgedRepositories } from '../../server/src/db/pg-reader.js';
import { freshPgDatabase } from '../helpers/postgres.js';
import { kaca, startKaca, stop } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { eventually } from '../helpers/server.js';

/**
 * The PostgreSQL reader (db/pg-reader.ts): synchronous calls into the read repositories, run on
 * a thread of its own against a real PostgreSQL server. What it reads is held to the SQLite
 * repositories in pg-writer.test.ts; this is the bridge itself.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the PostgreSQL reader', () => {
  it('reads through the repositories; a read held up past its time fails, and its late reply is not taken for the next read', async () => {
    const db = await freshPgDatabase('kaca_reader');
    cleanups.push(() => db.drop());
    const reader = new PgReader(db.url);
    cleanups.push(() => reader.close());
    const repos = bridgedRepositories(reader);
    expect(repos.sittings.list()).toEqual([]);
    expect(repos.accounts.count()).toBe(0);
    await db.client.query(`insert into banks (id, title, language, created_at) values ('b1', 'Bank satu', 'id', 1)`);
    expect(repos.banks.exists('b1')).toBe(true);
    expect(repos.banks.get('b1')).toEqual({ id: 'b1', title: 'Bank satu', language: 'id', createdAt: 1 });
    expect(repos.banks.retiredIds('b1')).toEqual(new Set());

    // another session holds the table: the read waits for it, and gives up at its time
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    cleanups.push(() => locker.end());
    await locker.query('begin');
    await locker.query('lock table banks in access exclusive mode');
    const t0 = Date.now();
    expect(() => reader.call('banks', 'get', ['b1'], 300)).toThrow('PostgreSQL gave no answer to banks.get within 300 ms');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
    await locker.query(`update banks set title = 'Bank baru' where id = 'b1'`);
    await locker.query('commit');
    // the held read finishes now, and its late reply must not be taken for this read's
    expect(repos.banks.get('b1')?.title).toBe('Bank baru');
    expect(repos.banks.list().map((b) => b.title)).toEqual(['Bank baru']);

    // a method the repositories do not have, and a failing query, are errors of that call alone
    expect(() => reader.call('banks', 'dropEverything', [])).toThrow(/not a function/);
    await db.client.query('alter table banks rename to banks_gone');
    expect(() => repos.banks.get('b1')).toThrow(/banks/);
    await db.client.query('alter table banks_gone rename to banks');
    expect(repos.banks.exists('b1')).toBe(true);
  });

  it('a reader thread that dies is noticed by the call waiting on it, and the next call starts a new one', { timeout: 30_000 }, async () => {
    const db = await freshPgDatabase('kaca_reader');
    cleanups.push(() => db.drop());
    const reader = new PgReader(db.url);
    cleanups.push(() => reader.close());
    const repos = bridgedRepositories(reader);
    expect(repos.accounts.count()).toBe(0);
    const thread = () => (reader as unknown as { worker: Worker }).worker;
    const first = thread();
    // it dies while this thread waits on it, with no chance to hear of it through an event
    void first.terminate();
    const t0 = Date.now();
    expect(() => repos.accounts.count()).toThrow('the PostgreSQL reader thread stopped answering');
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(repos.accounts.count()).toBe(0);
    expect(thread()).not.toBe(first);
    // and an await on a repository does not take it for a promise
    expect(await Promise.resolve(repos.accounts)).toBe(repos.accounts);
  });

  it('a server that loses its lock to another server is told so', { timeout: 30_000 }, async () => {
    const db = await freshPgDatabase('kaca_reader');
    cleanups.push(() => db.drop());
    const lost: Error[] = [];
    const reader = new PgReader(db.url, undefined, (err) => lost.push(err));
    cleanups.push(() => reader.close());
    reader.claimServer();
    // its lock's connection cut, and another session takes the lock before it can take it again
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    cleanups.push(() => other.end());
    await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'kaca-server'`);
    await eventually(async () => ((await other.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [0x6b616362])).rows[0].ok ? true : undefined), 'the lock taken by another session', 10_000);
    await eventually(() => (lost.length > 0 ? true : undefined), 'the reader tells its owner', 15_000);
    expect(lost[0].message).toMatch(/another Kaca server is running on this database/);
  });

  it('a server that cannot be reached fails the read with the reason, soon', () => {
    const reader = new PgReader('postgres://postgres@127.0.0.1:1/nothing');
    cleanups.push(() => reader.close());
    const t0 = Date.now();
    expect(() => reader.call('banks', 'exists', ['b1'])).toThrow(/ECONNREFUSED/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });
});

describe('one server per PostgreSQL database', () => {
  it("a second server on the same database refuses to start, also after the lock's connection was cut; once the first is killed, a new one starts", { timeout: 60_000 }, async () => {
    const db = await freshPgDatabase('kaca_claim');
    cleanups.push(() => db.drop());
    const dirs = [tempDir('kaca-claim-a-'), tempDir('kaca-claim-b-')];
    cleanups.push(() => dirs.forEach((d) => d.cleanup()));
    const first = await startKaca({ DATA_DIR: dirs[0].dir, DATABASE_URL: db.url });
    cleanups.push(() => stop(first.child));
    expect(first.output()).toMatch(/Database:\s+PostgreSQL/);
    // the lock's connection cut (a PostgreSQL restart does that): the server takes the lock again
    const holderPids = async () => (await db.client.query<{ pid: number }>(`select l.pid from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and a.datname = current_database() and a.application_name = 'kaca-server'`)).rows.map((r) => r.pid);
    const before = await holderPids();
    expect(before).toHaveLength(1);
    await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'kaca-server'`);
    // taken again on a new connection: the terminated one may still be listed for a moment
    await eventually(async () => ((await holderPids()).some((pid) => !before.includes(pid)) ? true : undefined), 'the server lock taken again', 15_000);
    await expect(startKaca({ DATA_DIR: dirs[1].dir, DATABASE_URL: db.url, KACA_SEED_DEMO: 'false' })).rejects.toThrow(/exited with 1:\s+kaca: another Kaca server is running on this database/);
    // the first still serves
    expect((await fetch(`${first.baseUrl}/api/scoreboard/sittings`)).status).toBe(200);
    await stop(first.child, 'SIGKILL');
    const next = await startKaca({ DATA_DIR: dirs[1].dir, DATABASE_URL: db.url, KACA_SEED_DEMO: 'false' });
    cleanups.push(() => stop(next.child));
    expect((await fetch(`${next.baseUrl}/api/scoreboard/sittings`)).status).toBe(200);
  });

  it('a running server whose lock another session takes while it is cut off stops at once (exit 1) rather than write beside it', { timeout: 60_000 }, async () => {
    const db = await freshPgDatabase('kaca_lost');
    cleanups.push(() => db.drop());
    const dir = tempDir('kaca-lost-');
    cleanups.push(() => dir.cleanup());
    const server = await startKaca({ DATA_DIR: dir.dir, DATABASE_URL: db.url });
    cleanups.push(() => stop(server.child, 'SIGKILL'));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    cleanups.push(() => other.end());
    await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'kaca-server'`);
    await eventually(async () => ((await other.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [0x6b616362])).rows[0].ok ? true : undefined), 'the lock taken by another session', 10_000);
    expect(await exited).toBe(1);
    expect(server.output()).toMatch(/the server lock on the database was lost to another server: stopping/);
  });

  it('a server whose PostgreSQL cannot be reached says so and exits', () => {
    const dir = tempDir('kaca-nodb-');
    cleanups.push(() => dir.cleanup());
    const r = kaca(['start'], { DATA_DIR: dir.dir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/kaca', PORT: '0' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('kaca: PostgreSQL at DATABASE_URL could not be opened: connect ECONNREFUSED 127.0.0.1:1');
  });
});
