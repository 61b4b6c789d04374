import { afterEach, describe, expect, it } from 'vitest';
import { ThreadWriter } from '../../server/src/db/writer.js';
import { KacaError } from '../../server/src/domain/errors.js';
import { parseConfig } from '../../server/src/config.js';
import { openStore } from '../../server/src/services/store.js';
import { seedDemo } from '../../server/src/services/demo.js';
import { loadLogKey } from '../../server/src/services/log-key.js';
import { freshPgDatabase, type PgDatabase } from '../helpers/postgres.js';
import { eventually } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Several nodes (issue 16): a sitting is run by the node whose writer connection holds the
 * sitting's advisory lock, and a writer refuses to append to the log of a sitting it does not
 * hold. Two fenced writers on one real PostgreSQL database stand for two nodes.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function seeded(): Promise<{ db: PgDatabase; dir: string }> {
  const db = await freshPgDatabase('kaca_fence');
  const tmp = tempDir('kaca-fence-');
  cleanups.push(() => db.drop(), () => tmp.cleanup());
  const store = openStore(parseConfig({ dataDir: tmp.dir, databaseUrl: db.url, logLevel: 'silent' }));
  await seedDemo(store, Date.now(), { candidates: 3 });
  await store.close();
  return { db, dir: tmp.dir };
}

function node(db: PgDatabase, dir: string, lost: string[][] = []): ThreadWriter {
  const w = new ThreadWriter({ postgres: db.url }, loadLogKey(dir), () => undefined, undefined, { lost: (ids) => lost.push(ids) });
  cleanups.push(() => w.close());
  return w;
}

const checkpoint = () => [{ kind: 'checkpoint' as const, sittingId: 'demo', at: Date.now() }];

describe('the writer of several nodes', () => {
  it('appends to a sitting only while its connection holds the sitting; a dead node lets go of it', async () => {
    const { db, dir } = await seeded();
    const a = node(db, dir);
    const b = node(db, dir);
    expect(await a.own('demo', true)).toBe(true);
    expect(await b.own('demo', true)).toBe(false);
    // the node that does not hold the sitting is refused, and stores nothing
    const before = await db.client.query<{ n: string }>('select count(*) as n from log_checkpoints');
    const refused = await b.submit(checkpoint()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KacaError);
    expect((refused as KacaError).code).toBe('UNAVAILABLE');
    expect((await db.client.query<{ n: string }>('select count(*) as n from log_checkpoints')).rows[0].n).toBe(before.rows[0].n);
    // the node that holds it appends
    await a.submit(checkpoint());
    // its connection gone (the node stopped, or died), the other takes the sitting on and appends
    await a.close();
    expect(await b.own('demo', true)).toBe(true);
    await b.submit(checkpoint());
    // letting go (after draining) frees it for the next
    await b.drained();
    expect(await b.own('demo', false)).toBe(true);
    const c = node(db, dir);
    expect(await c.own('demo', true)).toBe(true);
  });

  it('a writer whose connection was cut takes its sittings again, and is told of one another node took meanwhile', async () => {
    const { db, dir } = await seeded();
    const lost: string[][] = [];
    const a = node(db, dir, lost);
    expect(await a.own('demo', true)).toBe(true);
    const aPid = (await db.client.query<{ pid: number }>("select pid from pg_stat_activity where application_name = 'kaca-writer' and datname = current_database()")).rows.map((r) => r.pid);
    expect(aPid).toHaveLength(1);
    // another node, its writer already connected (holding a sitting of its own)
    const b = node(db, dir);
    expect(await b.own('another', true)).toBe(true);
    // PostgreSQL ends the first writer's connection (a restart, an administrator): the lock goes with it
    const killed = await db.client.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [aPid[0]]);
    expect(killed.rows[0].ok).toBe(true);
    // the other node is quicker than the replacement thread, which starts and connects anew
    expect(await eventually(async () => ((await b.own('demo', true).catch(() => false)) ? true : undefined), 'the other node to take the sitting', 10_000)).toBe(true);
    await eventually(() => (lost.length > 0 ? true : undefined), 'the cut writer to be told it lost the sitting', 15_000);
    expect(lost).toEqual([['demo']]);
    // and it appends to it no more
    const refused = await eventually(async () => {
      const r = await a.submit(checkpoint()).catch((e: unknown) => e);
      return r instanceof KacaError && r.code === 'UNAVAILABLE' ? r : undefined;
    }, 'the cut writer to refuse the sitting', 15_000);
    expect(refused.message).toMatch(/another node/);
  });
});
