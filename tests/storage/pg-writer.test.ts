import { is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { CandidateState } from '../../server/src/contract/candidate.js';
import type { ProctorRow } from '../../server/src/contract/proctor.js';
import * as pgSchema from '../../server/src/db/schema-pg.js';
import { createPgRepositories } from '../../server/src/db/repositories-pg.js';
import { PgReader, bridgedRepositories } from '../../server/src/db/pg-reader.js';
import * as sqliteSchema from '../../server/src/db/schema.js';
import { ThreadWriter, WriterLost, type DurableWriter } from '../../server/src/db/writer.js';
import type { WriteOp } from '../../server/src/db/write-ops.js';
import { KacaError } from '../../server/src/domain/errors.js';
import type { KacaStore } from '../../server/src/services/store.js';
import { call, miniBank, staffHeaders } from '../helpers/admin.js';
import { freshPgDatabase, TeeWriter, type PgDatabase } from '../helpers/postgres.js';
import { ack, candidateSession, eventually, ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The writer on PostgreSQL (issue 16) against the SQLite writer: every unit goes to both, in the
 * same order, and must come back with the same values (log indexes, new ids, the very same
 * signed checkpoints and receipts) or the same refusal; afterwards every table must hold the
 * same rows. Over a real PostgreSQL server (tests/helpers/postgres.ts).
 */

const cleanups: (() => unknown)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** In en-US collation, so that a query ordering text as the database's default does shows (SQLite compares bytes). */
async function database(): Promise<PgDatabase> {
  const db = await freshPgDatabase('kaca_writer', 'en-US');
  cleanups.push(() => db.drop());
  return db;
}

/** A test server whose every write also goes to a PostgreSQL writer. */
async function shadowedServer(db: PgDatabase, candidates: number): Promise<{ server: TestServer; tee: TeeWriter; shadow: DurableWriter }> {
  let tee!: TeeWriter;
  let shadow!: DurableWriter;
  const server = await startTestServer({
    candidates,
    wrapWriter: (store: KacaStore) => {
      shadow = new ThreadWriter({ postgres: db.url }, store.logKey);
      return (tee = new TeeWriter(store.writer, shadow));
    },
  });
  cleanups.push(() => server.close());
  return { server, tee, shadow };
}

/**
 * A JSON text with object keys sorted, so rows sort alike whichever dialect read them; or, with
 * `asRead`, with the keys in the order they came (what a reply's JSON would show).
 */
function canonical(v: unknown, asRead = false): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, asRead)).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (!asRead) keys.sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k], asRead)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Every table of both dialects, read through their schemas (so JSON, booleans and times come back
 * as the same JavaScript values), rows sorted. An answer's row id is left out: PostgreSQL's
 * sequences do not roll back with a failed transaction, SQLite's do.
 */
async function tables(store: KacaStore, db: PgDatabase): Promise<{ sqlite: Record<string, string[]>; pg: Record<string, string[]> }> {
  const pgDb = drizzle(db.client, { schema: pgSchema });
  const sqlite: Record<string, string[]> = {};
  const pg: Record<string, string[]> = {};
  const drop = (name: string, row: Record<string, unknown>) => {
    if (name === 'answer_events') delete row.id;
    return canonical(row);
  };
  for (const [key, table] of Object.entries(sqliteSchema)) {
    if (!is(table, SQLiteTable)) continue;
    const other = (pgSchema as Record<string, unknown>)[key];
    expect(is(other, PgTable), key).toBe(true);
    const name = getTableConfig(table).name;
    sqlite[name] = (store.handle!.db.select().from(table).all() as Record<string, unknown>[]).map((r) => drop(name, r)).sort();
    pg[name] = ((await pgDb.select().from(other as PgTable)) as Record<string, unknown>[]).map((r) => drop(name, r)).sort();
  }
  return { sqlite, pg };
}

/**
 * Every read method of the PostgreSQL repositories (db/repositories-pg.ts) gives what its SQLite
 * twin gives on the same data, for the ids the test's data has (and for ids it has not). Answer
 * row ids are left out, as above; lists without an order of their own are compared sorted.
 */
async function expectSameReads(store: KacaStore, db: PgDatabase, sittingId: string): Promise<number> {
  const sq = store.repos;
  const pq = createPgRepositories(drizzle(db.client, { schema: pgSchema }));
  const noId = (rows: { id?: unknown }[]) => rows.map(({ id, ...r }) => (void id, r));
  const sorted = (v: unknown) => (Array.isArray(v) ? v.map((x) => canonical(x)).sort() : v instanceof Set ? [...v].sort() : v instanceof Map ? [...v].map((x) => canonical(x)).sort() : v);
  const candidates = sq.candidates.listBySitting(sittingId);
  const accounts = sq.accounts.list();
  const banks = sq.banks.list();
  const checks: [string, unknown, Promise<unknown>][] = [];
  const same = (what: string, a: unknown, b: Promise<unknown>) => checks.push([what, a, b]);
  for (const id of [sittingId, 'no-such-sitting']) {
    same(`sittings.get ${id}`, sq.sittings.get(id), pq.sittings.get(id));
    same(`candidates.listBySitting ${id}`, sq.candidates.listBySitting(id), pq.candidates.listBySitting(id));
    same(`candidates.idsBySitting ${id}`, sq.candidates.idsBySitting(id), pq.candidates.idsBySitting(id));
    same(`attempts.listBySitting ${id}`, sorted(sq.attempts.listBySitting(id)), pq.attempts.listBySitting(id).then(sorted));
    same(`answers.bySitting ${id}`, noId(sq.answers.bySitting(id)), pq.answers.bySitting(id).then(noId));
    same(`answers.streamBySitting ${id}`, [...sq.answers.streamBySitting(id)], pq.answers.streamBySitting(id));
    same(`results.bySitting ${id}`, sorted(sq.results.bySitting(id)), pq.results.bySitting(id).then(sorted));
    same(`audit.bySitting ${id}`, sq.audit.bySitting(id), pq.audit.bySitting(id));
    same(`sittings.proctorsOf ${id}`, sq.sittings.proctorsOf(id), pq.sittings.proctorsOf(id));
    same(`log.size ${id}`, sq.log.size(id), pq.log.size(id));
    same(`log.latestCheckpoint ${id}`, sq.log.latestCheckpoint(id), pq.log.latestCheckpoint(id));
    same(`log.checkpoints ${id}`, sq.log.checkpoints(id), pq.log.checkpoints(id));
  }
  const size = sq.log.size(sittingId);
  same('log.leaves (all)', sq.log.leaves(sittingId, 0, size), pq.log.leaves(sittingId, 0, size));
  same('log.leaves (a page)', sq.log.leaves(sittingId, 1, Math.min(size, 40)), pq.log.leaves(sittingId, 1, Math.min(size, 40)));
  same('sittings.list', sq.sittings.list(), pq.sittings.list());
  same('audit.page', sq.audit.page({ limit: 5 }), pq.audit.page({ limit: 5 }));
  same('audit.page filtered', sq.audit.page({ sittingId, limit: 50, before: 1_000_000 }), pq.audit.page({ sittingId, limit: 50, before: 1_000_000 }));
  for (const c of [...candidates.slice(0, 4), { id: 999_999, registrationNumber: 'none' }]) {
    same(`candidates.get ${c.id}`, sq.candidates.get(c.id), pq.candidates.get(c.id));
    same(`candidates.byRegistration ${c.id}`, sq.candidates.byRegistration(sittingId, c.registrationNumber), pq.candidates.byRegistration(sittingId, c.registrationNumber));
    same(`candidates.allByRegistration ${c.id}`, sq.candidates.allByRegistration(c.registrationNumber), pq.candidates.allByRegistration(c.registrationNumber));
    same(`papers.get ${c.id}`, sq.papers.get(c.id), pq.papers.get(c.id));
    same(`attempts.get ${c.id}`, sq.attempts.get(c.id), pq.attempts.get(c.id));
    same(`answers.byCandidate ${c.id}`, noId(sq.answers.byCandidate(c.id)), pq.answers.byCandidate(c.id).then(noId));
    same(`results.get ${c.id}`, sq.results.get(c.id), pq.results.get(c.id));
  }
  const ids = [...candidates.map((c) => c.id), 999_999];
  same('papers.many', sorted(sq.papers.many(ids)), pq.papers.many(ids).then(sorted));
  for (const a of [...accounts, { id: 999_999, username: 'none' }]) {
    same(`accounts.get ${a.id}`, sq.accounts.get(a.id), pq.accounts.get(a.id));
    same(`accounts.byUsername ${a.username}`, sq.accounts.byUsername(a.username), pq.accounts.byUsername(a.username));
    same(`sittings.sittingIdsOf ${a.id}`, sq.sittings.sittingIdsOf(a.id).sort(), pq.sittings.sittingIdsOf(a.id).then((x) => x.sort()));
    same(`sittings.isProctorOf ${a.id}`, sq.sittings.isProctorOf(sittingId, a.id), pq.sittings.isProctorOf(sittingId, a.id));
  }
  same('accounts.list', accounts, pq.accounts.list());
  same('staffSessions.open', sorted(sq.staffSessions.open()), pq.staffSessions.open().then(sorted));
  same('accounts.count', sq.accounts.count(), pq.accounts.count());
  same('banks.list', banks, pq.banks.list());
  same('templates.list', sq.templates.list(), pq.templates.list());
  for (const t of sq.templates.list()) same(`templates.get ${t.id}`, sq.templates.get(t.id), pq.templates.get(t.id));
  for (const b of [...banks, { id: 'no-such-bank' }]) {
    same(`banks.exists ${b.id}`, sq.banks.exists(b.id), pq.banks.exists(b.id));
    same(`banks.get ${b.id}`, sq.banks.get(b.id), pq.banks.get(b.id));
    same(`banks.questions ${b.id}`, sorted(sq.banks.questions(b.id)), pq.banks.questions(b.id).then(sorted));
    same(`banks.retiredIds ${b.id}`, sorted(sq.banks.retiredIds(b.id)), pq.banks.retiredIds(b.id).then(sorted));
    const someIds = sq.banks.questions(b.id).slice(0, 3).map((q) => q.id);
    same(`banks.knownIds ${b.id}`, sorted(sq.banks.knownIds(b.id, [...someIds, 'nope'])), pq.banks.knownIds(b.id, [...someIds, 'nope']).then(sorted));
    for (const q of someIds) same(`banks.question ${b.id} ${q}`, sq.banks.question(b.id, q), pq.banks.question(b.id, q));
    for (const search of [
      { status: 'all', offset: 0, limit: 5 },
      { status: 'retired', offset: 0, limit: 50 },
      { status: 'active', offset: 2, limit: 3, section: 'A' },
      { status: 'all', offset: 0, limit: 50, q: 'KUTIP null' },
      { status: 'all', offset: 0, limit: 50, q: 'café' },
    ] as const)
      same(`banks.search ${b.id} ${JSON.stringify(search)}`, sq.banks.search(b.id, search), pq.banks.search(b.id, search));
  }
  // keys in the order read: a template's groups, a result's sections or an audit entry's details
  // come out of PostgreSQL as SQLite gives them, in the order they were written
  for (const [what, a, b] of checks) expect(canonical(await b, true), what).toEqual(canonical(a, true));
  // and the server's own path to them: the reader bridge, paging through a sitting's changes
  const reader = new PgReader(db.url);
  try {
    const whole = canonical([...sq.answers.streamBySitting(sittingId)]);
    for (const pageSize of [1, 7, 20_000]) expect(canonical([...bridgedRepositories(reader, pageSize).answers.streamBySitting(sittingId)]), `streamBySitting in pages of ${pageSize}`).toEqual(whole);
  } finally {
    await reader.close();
  }
  return checks.length;
}

async function expectSameRows(store: KacaStore, db: PgDatabase, tee: TeeWriter): Promise<Record<string, string[]>> {
  await store.writer.drained();
  expect(tee.mismatches).toEqual([]);
  const { sqlite, pg } = await tables(store, db);
  for (const name of Object.keys(sqlite)) expect(pg[name], name).toEqual(sqlite[name]);
  return sqlite;
}

describe('the writer on PostgreSQL, unit for unit against the SQLite writer', () => {
  it('a whole sitting over real sockets: logins, answers, flags, proctor actions, finishes, receipts and the close store the same rows', { timeout: 60_000 }, async () => {
    const db = await database();
    const { server, tee } = await shadowedServer(db, 12);
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const people: { socket: Socket; candidateId: number; state: CandidateState; seq: number }[] = [];
    for (const c of server.candidates) {
      // a wrong PIN first: the failed login is stored too
      expect((await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registrationNumber: c.registrationNumber, pin: '000000' }) })).status).toBe(401);
      const session = await candidateSession(server, c.registrationNumber, c.pin);
      sockets.push(session.socket);
      people.push({ ...session, state: await ok<CandidateState>(session.socket, 'exam:start'), seq: 0 });
    }
    for (const [k, p] of people.entries()) {
      const items = p.state.items!;
      for (let item = 0; item < items.length; item++) {
        server.clock.advance(300);
        await ok(p.socket, 'answer:submit', { seq: ++p.seq, item, choice: (item + k) % items[item].options.length });
        if (item % 3 === k % 3) await ok(p.socket, 'answer:submit', { seq: ++p.seq, item, choice: (item + k + 1) % items[item].options.length });
        if (item % 4 === 1) await ok(p.socket, 'flag:set', { seq: ++p.seq, item, flagged: true });
        if (item % 5 === 2) await ok(p.socket, 'answer:submit', { seq: ++p.seq, item, choice: null });
      }
      // a retry of the last change: acknowledged again, stored once
      expect(await ack(p.socket, 'answer:submit', { seq: p.seq, item: 0, choice: 0 })).toMatchObject({ ok: true, data: { applied: false } });
    }
    const ids = (k: number) => ({ sittingId: server.sittingId, candidateId: people[k].candidateId });
    await ok(proctor.socket, 'candidate:extend', { ...ids(0), minutes: 5, reason: 'PC dimulai ulang' });
    await ok(proctor.socket, 'candidate:pause', { ...ids(1), reason: 'listrik padam' });
    server.clock.advance(60_000);
    await ok(proctor.socket, 'candidate:resume', { ...ids(1), reason: 'listrik menyala' });
    const row = await ok<ProctorRow>(proctor.socket, 'candidate:terminate', { ...ids(2), reason: 'membawa telepon genggam' });
    expect(row.status).toBe('terminated');
    await ok(proctor.socket, 'incident:note', { sittingId: server.sittingId, candidateId: people[3].candidateId, reason: 'PC 7 berbunyi' });
    for (const k of [3, 4]) expect((await ok<{ receipt?: string }>(people[k].socket, 'exam:finish')).receipt).toMatch(/\S/);
    await ok(proctor.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'waktu sesi habis' });
    await eventually(() => (server.store.repos.results.bySitting(server.sittingId).length === people.length ? true : undefined), 'every result stored');

    // an answer row with no leaf, as rows from before the sitting log are: read back first on both
    await server.store.writer.submit([{ kind: 'answer', record: { candidateId: people[5].candidateId, sittingId: server.sittingId, item: 0, kind: 'select', choice: 1, optionIndex: 1, clientSeq: 1_000_000, serverTs: server.clock.now, scoreDelta: 0 } }]);
    const rows = await expectSameRows(server.store, db, tee);
    // and the comparison had something to compare
    expect(rows.answer_events.length).toBeGreaterThan(people.length * 10);
    expect(rows.results).toHaveLength(people.length);
    expect(rows.results.filter((r) => JSON.parse(r).receipt).length).toBe(people.length);
    // past a checkpoint every 128 leaves, and the one the close signs
    expect(rows.answer_events.length).toBeGreaterThan(128);
    expect(rows.log_checkpoints.length).toBeGreaterThan(1);
    expect(rows.audit_log.length).toBeGreaterThan(4);
    // and read back alike by both dialects' repositories
    expect(await expectSameReads(server.store, db, server.sittingId)).toBeGreaterThan(80);
  });

  it('a unit that fails fails alone, on both, and the log goes on without a gap; a refusal keeps its code', async () => {
    const db = await database();
    const { server, tee } = await shadowedServer(db, 3);
    const [a, b, c] = server.store.repos.candidates.listBySitting(server.sittingId);
    // papers as the start deals them, so the answer leaves can be read back
    await server.store.writer.submit([a, b, c].map((x) => ({ kind: 'paper', candidateId: x.id, items: [{ questionId: 'q1', section: 'A', optionOrder: [1, 0, 2, 3] }], dealtAt: 1 })));
    const logged = (candidateId: number, reg: string, seq: number): WriteOp[] => [
      { kind: 'log', sittingId: server.sittingId, event: { type: 'answer', t: 100 + seq, reg, item: 0, section: 'A', choice: 1, delta: 5, seq } },
      { kind: 'answer', record: { candidateId, sittingId: server.sittingId, item: 0, kind: 'select', choice: 1, optionIndex: 0, clientSeq: seq, serverTs: 100 + seq, scoreDelta: 5 } },
    ];
    const results = await Promise.allSettled([
      server.store.writer.submit(logged(a.id, a.registrationNumber, 1)),
      // its second answer names no candidate (a foreign key): its first, and both leaves, go too
      server.store.writer.submit([...logged(b.id, b.registrationNumber, 1), ...logged(999_999, 'R9999', 2)]),
      server.store.writer.submit(logged(c.id, c.registrationNumber, 1)),
      server.store.writer.submit([{ kind: 'bank', bank: { id: 'bank1', title: 'again', language: 'id', questions: [] }, createdAt: 1 }]),
      server.store.writer.submit([{ kind: 'checkpoint', sittingId: server.sittingId, at: 500 }]),
      // a second account of one name (two admins at once): a conflict on both, whose message does
      // not carry the statement's parameters (the password hash)
      server.store.writer.submit([{ kind: 'account', row: { username: server.admin.username, displayName: 'Dua', passwordHash: 'RAHASIA-HASH', role: 'admin', createdAt: 1 }, sittings: [] }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[5] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    const [first, , third] = results.map((r) => (r.status === 'fulfilled' ? (r.value[0] as number) : null));
    expect(third).toBe(first! + 1);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(KacaError);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    // asked again with nothing new: the same checkpoint, from each
    expect(await server.store.writer.submit([{ kind: 'checkpoint', sittingId: server.sittingId, at: 600 }])).toEqual([(results[4] as PromiseFulfilledResult<string[]>).value[0]]);
    const shadowRefusal = await (tee.second as ThreadWriter).submit([{ kind: 'account', row: { username: server.admin.username, displayName: 'Dua', passwordHash: 'RAHASIA-HASH', role: 'admin', createdAt: 1 }, sittings: [] }]).catch((e: unknown) => e);
    expect(shadowRefusal).toMatchObject({ code: 'CONFLICT', message: expect.not.stringContaining('RAHASIA') });
    const rows = await expectSameRows(server.store, db, tee);
    expect(rows.answer_events.map((r) => JSON.parse(r).logIdx).sort()).toEqual([first, third]);
  });
});

describe('the writer on PostgreSQL, admin writes', () => {
  it('a bank upload with text that is awkward in an array literal, retiring, templates, sittings, a roster, accounts and proctor assignments store the same rows', { timeout: 60_000 }, async () => {
    const db = await database();
    const { server, tee } = await shadowedServer(db, 2);
    const admin = await staffHeaders(server, server.admin.username, server.admin.password);
    const ok2xx = (r: { status: number; body: unknown }) => expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(300);
    // quotes, backslashes, braces, commas, the word NULL, TeX and letters outside ASCII
    const bank = miniBank('b-awk', { A: 6, B: 4 }, (sec, i) => `<p>"Kutip" \\ {kurung}, koma NULL ${sec}${i} \\(\\frac{1}{2}\\) café ✓</p>`);
    bank.questions[0].options = ['NULL', '"dikutip"', 'garis \\ miring', '{a,b}'];
    ok2xx(await call(server, 'POST', '/api/admin/banks?template=mini&name=awk.json', { headers: admin, body: JSON.stringify(bank), type: 'application/json' }));
    ok2xx(await call(server, 'POST', '/api/admin/banks/b-awk/retire', { headers: admin, json: { questionIds: ['a1', 'b2'], reason: 'soal bocor' } }));
    ok2xx(await call(server, 'POST', '/api/admin/banks/b-awk/retire', { headers: admin, json: { questionIds: ['b2'], retired: false, reason: 'ternyata tidak bocor' } }));
    ok2xx(await call(server, 'POST', '/api/admin/templates', { headers: admin, json: { ...server.template, id: 'mini2', name: 'Mini dua' } }));
    ok2xx(await call(server, 'PUT', '/api/admin/templates/mini2', { headers: admin, json: { ...server.template, id: 'mini2', name: 'Mini dua', durationMinutes: 7 } }));
    ok2xx(await call(server, 'POST', '/api/admin/sittings', { headers: admin, json: { id: 's2', name: 'Sesi 2', templateId: 'mini2', bankId: 'b-awk', site: 'Kanreg', room: 'R2', scheduledStart: '2026-12-01T08:00:00+07:00', vacancies: { Analis: 1 } } }));
    ok2xx(await call(server, 'PATCH', '/api/admin/sittings/s2', { headers: admin, json: { room: 'R3', roomRows: 2, roomCols: 3 } }));
    ok2xx(await call(server, 'POST', '/api/admin/sittings/s2/candidates?format=csv', { headers: admin, body: 'no_peserta,nama,formasi,kelompok,kursi\r\n2401,"Sari, Dewi",Analis,umum,1\r\n2402,"Budi ""Bud"" Santoso",Analis,umum,2\r\nb10,Bayu,Analis,umum,3\r\nB1,Bima,Analis,umum,4\r\na-2,Ani,Analis,umum,5\r\na1,Ari,Analis,umum,6\r\n', type: 'text/csv' }));
    const created = await call<{ id: number }>(server, 'POST', '/api/admin/accounts', { headers: admin, json: { username: 'pengawas2', displayName: 'Pengawas Dua', password: 'kata-sandi-dua', role: 'proctor', sittings: ['s2'] } });
    ok2xx(created);
    // a session of the new account, which disabling it ends below
    const second = await staffHeaders(server, 'pengawas2', 'kata-sandi-dua');
    ok2xx(await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { displayName: 'Pengawas Kedua' } }));
    ok2xx(await call(server, 'PUT', `/api/admin/sittings/${server.sittingId}/proctors/${created.body.id}`, { headers: admin }));
    ok2xx(await call(server, 'DELETE', `/api/admin/sittings/s2/proctors/${created.body.id}`, { headers: admin }));
    // disabling ends the account's sessions
    ok2xx(await call(server, 'PATCH', `/api/admin/accounts/${created.body.id}`, { headers: admin, json: { disabled: true } }));
    expect((await call(server, 'GET', '/api/admin/sittings', { headers: second })).status).toBe(401);
    // refused on both, with the same code: a second bank of the same id
    expect((await call(server, 'POST', '/api/admin/banks?template=mini&name=awk.json', { headers: admin, body: JSON.stringify(bank), type: 'application/json' })).status).toBe(409);

    const rows = await expectSameRows(server.store, db, tee);
    expect(rows.questions.filter((q) => JSON.parse(q).bankId === 'b-awk')).toHaveLength(10);
    expect(rows.staff_sessions.some((r) => JSON.parse(r).endedAt !== null)).toBe(true);
    // the awkward text arrived as it was sent
    const [q] = (await db.client.query(`select stem, options from questions where bank_id = 'b-awk' and id = 'a0'`)).rows;
    expect(q).toEqual({ stem: bank.questions[0].stem, options: bank.questions[0].options });
    // and read back alike by both dialects' repositories: banks with retired questions, searches, templates, accounts
    expect(await expectSameReads(server.store, db, 's2')).toBeGreaterThan(60);
  });
});

describe('the writer on PostgreSQL when its connection goes', () => {
  it('a batch caught by a lost connection fails with WriterLost (its fate unknown), and a new connection takes over', { timeout: 30_000 }, async () => {
    const db = await database();
    const { server, shadow } = await shadowedServer(db, 1);
    const [cand] = server.store.repos.candidates.listBySitting(server.sittingId);
    const answer = (seq: number): WriteOp => ({ kind: 'answer', record: { candidateId: cand.id, sittingId: server.sittingId, item: 0, kind: 'select', choice: 1, optionIndex: 0, clientSeq: seq, serverTs: seq, scoreDelta: 0 } });
    const count = async () => Number((await db.client.query('select count(*) as n from answer_events')).rows[0].n);
    await shadow.submit([answer(1)]);
    expect(await count()).toBe(1);

    // hold the log's head so that the writer's next batch waits inside its transaction
    const holder = await freshConnection(db);
    await holder.query('BEGIN');
    await holder.query('select * from log_heads for update');
    const inFlight = shadow.submit([{ kind: 'checkpoint', sittingId: server.sittingId, at: 1 }, answer(2)]);
    await eventually(async () => ((await writerBackend(db, 'Lock')) ? true : undefined), 'the writer waiting on the lock');
    await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kaca-writer' and datname = current_database()`);
    await expect(inFlight).rejects.toBeInstanceOf(WriterLost);
    await holder.query('ROLLBACK');
    await holder.end();
    expect(await count()).toBe(1);

    // until a new connection is up, changes are refused at once (nothing stored, the client sends
    // them again); then the writer commits what comes next
    const refusals: string[] = [];
    const stored = await eventually(
      () =>
        shadow.submit([answer(3)]).then(
          (v) => v,
          (err: Error) => void refusals.push(err.message),
        ),
      'a commit after the reconnect',
      15_000,
    );
    expect(stored).toEqual([0]);
    for (const r of refusals) expect(r).toMatch(/reconnecting/);
    expect(await count()).toBe(2);
  });

  it('a writer that cannot reach PostgreSQL closes at once instead of waiting for it', async () => {
    const w = new ThreadWriter({ postgres: 'postgres://postgres@127.0.0.1:1/none' }, (await import('../../server/src/services/log-key.js')).generateLogKey('kaca.test'));
    // started, and trying: nothing is ready
    const ready = w.ready().then(() => 'ready');
    await expect(Promise.race([ready, new Promise((r) => setImmediate(() => r('waiting')))])).resolves.toBe('waiting');
    await w.close();
    await expect(ready).rejects.toThrow(/stopped/);
  });
});

async function freshConnection(db: PgDatabase) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  return c;
}

/** Whether the writer's connection is waiting on the given kind of event. */
async function writerBackend(db: PgDatabase, waitEventType: string): Promise<boolean> {
  const r = await db.client.query(`select 1 from pg_stat_activity where application_name = 'kaca-writer' and datname = current_database() and wait_event_type = $1`, [waitEventType]);
  return r.rows.length > 0;
}
