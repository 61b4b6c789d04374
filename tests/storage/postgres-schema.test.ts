import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sqliteSchema from '../../server/src/db/schema.js';
import { freshPgDatabase, type PgDatabase } from '../helpers/postgres.js';

/**
 * The PostgreSQL dialect (issue 16) over a real server: its migrations build, on an empty
 * database, the same tables, columns, nullability and indexes as the SQLite dialect, with
 * PostgreSQL's own types where they matter, the same append-only triggers, and commits that are
 * durable before they return. The server (127.0.0.1:5432, database `test`, trust auth, or
 * KACA_TEST_PG_URL) is started by `npm test`'s pretest when it is down.
 */

let db: PgDatabase;
let client: pg.Client;

beforeAll(async () => {
  // a new database, migrated as a node migrates it at start (server/migrations-pg)
  db = await freshPgDatabase('kaca_schema');
  client = db.client;
});

afterAll(async () => {
  await db?.drop();
});

const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable)).map((t) => getTableConfig(t));

interface PgColumn {
  table_name: string;
  column_name: string;
  is_nullable: 'YES' | 'NO';
  data_type: string;
}

async function columns(): Promise<PgColumn[]> {
  return (await client.query<PgColumn>(`SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = 'public'`)).rows;
}

describe('the PostgreSQL dialect, migrated on a real server', () => {
  it('has every table and column of the SQLite dialect, with the same nullability, and no others', async () => {
    const pgCols = await columns();
    const pgTables = new Set(pgCols.map((c) => c.table_name));
    expect([...pgTables].sort()).toEqual(sqliteTables.map((t) => t.name).sort());
    for (const t of sqliteTables) {
      const mine = pgCols.filter((c) => c.table_name === t.name);
      expect(mine.map((c) => c.column_name).sort(), t.name).toEqual(t.columns.map((c) => c.name).sort());
      for (const c of t.columns) {
        const p = mine.find((x) => x.column_name === c.name)!;
        // a primary key is NOT NULL in PostgreSQL whether or not the SQLite column says so
        expect(p.is_nullable === 'NO', `${t.name}.${c.name}`).toBe(c.notNull || c.primary || t.primaryKeys.some((k) => k.columns.some((x) => x.name === c.name)));
      }
    }
  });

  it("uses PostgreSQL's types where SQLite has one: bigint for times, boolean, jsonb and json, double precision", async () => {
    const pgCols = await columns();
    const type = (table: string, column: string) => pgCols.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    // every epoch-millisecond column would overflow a 32-bit integer
    const times = pgCols.filter((c) => /(_at|_ms|_since|_until|_start|_ts)$/.test(c.column_name) || c.column_name === 'at');
    expect(times.length).toBeGreaterThan(20);
    for (const c of times) expect(c.data_type, `${c.table_name}.${c.column_name}`).toBe('bigint');
    for (const [table, column] of [['sittings', 'require_token'], ['questions', 'retired'], ['results', 'passed'], ['accounts', 'disabled']]) expect(type(table, column)).toBe('boolean');
    // lists of strings or numbers as jsonb; anything holding objects as json, which keeps their
    // keys in the order written (jsonb reorders them)
    for (const [table, column] of [['questions', 'options'], ['questions', 'weights'], ['sittings', 'dealt_without']]) expect(type(table, column)).toBe('jsonb');
    for (const [table, column] of [['papers', 'items'], ['sittings', 'vacancies'], ['audit_log', 'details'], ['exam_templates', 'definition'], ['results', 'sections']]) expect(type(table, column)).toBe('json');
    expect(type('answer_events', 'score_delta')).toBe('double precision');
  });

  it('has the same indexes, unique where SQLite has them unique', async () => {
    const rows = (await client.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`)).rows;
    for (const t of sqliteTables) {
      for (const i of t.indexes) {
        const found = rows.find((r) => r.indexname === i.config.name);
        expect(found, `${t.name}: index ${i.config.name}`).toBeDefined();
        expect(found!.indexdef.startsWith('CREATE UNIQUE INDEX'), i.config.name).toBe(!!i.config.unique);
      }
    }
  });

  it('refuses to change or remove evidence: answers, the audit log, the sitting logs and their checkpoints', async () => {
    const now = Date.now();
    await client.query(`INSERT INTO banks (id, title, language, created_at) VALUES ('b', 'Bank', 'id', $1)`, [now]);
    await client.query(`INSERT INTO exam_templates (id, name, definition, created_at) VALUES ('t', 'T', '{}', $1)`, [now]);
    await client.query(
      `INSERT INTO sittings (id, name, template_id, bank_id, site, room, scheduled_start, seed, status, require_token, require_admission, token_secret, token_interval_sec, created_at)
       VALUES ('s', 'S', 't', 'b', 'Site', 'R1', $1, 'seed', 'open', false, false, 'x', 900, $1)`,
      [now],
    );
    const cand = await client.query<{ id: number }>(`INSERT INTO candidates (sitting_id, registration_number, name, formation, group_name, pin_hash, created_at) VALUES ('s', 'R1', 'N', 'F', 'umum', 'h', $1) RETURNING id`, [now]);
    const id = cand.rows[0].id;
    await client.query(`INSERT INTO answer_events (candidate_id, item, kind, choice, client_seq, server_ts, log_idx) VALUES ($1, 0, 'select', 2, 1, $2, 0)`, [id, now]);
    await client.query(`INSERT INTO audit_log (at, actor_name, actor_role, sitting_id, action, reason) VALUES ($1, 'Admin', 'admin', 's', 'sitting-open', 'siap')`, [now]);
    await client.query(`INSERT INTO sitting_log (sitting_id, idx, leaf, hash) VALUES ('s', 0, '{}', 'h')`);
    await client.query(`INSERT INTO log_checkpoints (sitting_id, size, root, note, at) VALUES ('s', 1, 'r', 'n', $1)`, [now]);

    const refused = async (sql: string, table: string) => {
      await expect(client.query(sql)).rejects.toThrow(`${table} is append-only`);
    };
    for (const [table, set] of [['answer_events', 'choice = 3'], ['audit_log', "reason = 'lain'"], ['sitting_log', "leaf = '[]'"], ['log_checkpoints', "note = 'm'"]]) {
      await refused(`UPDATE ${table} SET ${set}`, table);
      await refused(`DELETE FROM ${table}`, table);
      await refused(`TRUNCATE ${table} CASCADE`, table);
    }
    // and nothing changed
    expect((await client.query(`SELECT choice FROM answer_events`)).rows).toEqual([{ choice: 2 }]);
    expect((await client.query(`SELECT reason FROM audit_log`)).rows).toEqual([{ reason: 'siap' }]);
    // the rows other tables keep may change (an attempt's clock, a login's state)
    await client.query(`UPDATE candidates SET failed_logins = 1 WHERE id = $1`, [id]);
  });

  it('commits durably before a commit returns, as the SQLite dialect does (synchronous_commit on, fsync on)', async () => {
    expect((await client.query(`SHOW synchronous_commit`)).rows[0].synchronous_commit).toBe('on');
    expect((await client.query(`SHOW fsync`)).rows[0].fsync).toBe('on');
  });
});
