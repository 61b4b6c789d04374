import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { AnswerAck, CandidateState } from '../../server/src/contract/candidate.js';
import { freshPgDatabase } from '../helpers/postgres.js';
import { ack, candidateSession, eventually, ok, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A server on PostgreSQL whose every database connection is cut in the middle of a sitting (what
 * a PostgreSQL restart or failover does to it): answers keep coming from clients that resend what
 * was not acknowledged, as the exam client's outbox does. Nothing acknowledged may be lost, and
 * once the connections are back the server reads and writes as before.
 */
const cleanups: (() => unknown)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a PostgreSQL outage in the middle of a sitting', () => {
  it('every connection cut while candidates answer: nothing acknowledged is lost, and reads and writes resume', { timeout: 60_000 }, async () => {
    const db = await freshPgDatabase('kaca_outage');
    cleanups.push(() => db.drop());
    const server: TestServer = await startTestServer({ candidates: 5, config: { databaseUrl: db.url } });
    cleanups.push(() => server.close());
    expect(server.onPostgres).toBe(true);
    const people = await Promise.all(
      server.candidates.slice(0, 4).map(async (c) => {
        const s = await candidateSession(server, c.registrationNumber, c.pin);
        sockets.push(s.socket);
        return { ...s, paper: await ok<CandidateState>(s.socket, 'exam:start') };
      }),
    );
    const acked: { candidateId: number; seq: number; item: number; choice: number }[] = [];
    const refusals = new Map<string, number>();
    let cut = false;
    let running = true;
    // each candidate answers in a loop; what is refused is sent again, as the client's outbox does
    const loops = people.map(async (p) => {
      for (let seq = 1; running || seq <= 3; seq++) {
        const item = seq % p.paper.items!.length;
        const choice = seq % p.paper.items![item].options.length;
        for (;;) {
          const r = await ack<AnswerAck>(p.socket, 'answer:submit', { seq, item, choice });
          if (r.ok) {
            acked.push({ candidateId: p.candidateId, seq, item, choice });
            break;
          }
          refusals.set(r.error.code, (refusals.get(r.error.code) ?? 0) + 1);
          await new Promise((res) => setTimeout(res, 20));
        }
        if (cut && acked.length > 400) running = false;
      }
    });
    await eventually(() => (acked.length >= 100 ? true : undefined), '100 acknowledged answers', 20_000);
    // what a restart of PostgreSQL does to every connection of the server: its writer's and its reader's
    const killed = await db.client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    expect(killed.rowCount).toBeGreaterThanOrEqual(2);
    const ackedBeforeCut = acked.length;
    cut = true;
    await Promise.all(loops);
    expect(acked.length).toBeGreaterThan(ackedBeforeCut + 100);
    // the clients met refusals while the writer reconnected (nothing stored for them), and went on:
    // INTERNAL (not saved, send again) and nothing else
    expect([...refusals.keys()]).toEqual(['INTERNAL']);

    // every acknowledged answer is in the database, once
    await server.store.writer.drained();
    const rows = (await db.client.query<{ candidate_id: number; client_seq: string; item: number; choice: number }>('select candidate_id, client_seq, item, choice from answer_events')).rows;
    const stored = new Map(rows.map((r) => [`${r.candidate_id}:${r.client_seq}`, r]));
    expect(rows.length).toBe(stored.size);
    const missing = acked.filter((a) => {
      const row = stored.get(`${a.candidateId}:${a.seq}`);
      return !row || row.item !== a.item || row.choice !== a.choice;
    });
    expect(missing).toEqual([]);

    // reads and writes are back: a new login (a read of the roster, a write), and the state each candidate sees
    const late = server.candidates[4];
    const s = await candidateSession(server, late.registrationNumber, late.pin);
    sockets.push(s.socket);
    expect((await ok<CandidateState>(s.socket, 'exam:start')).attempt.state).toBe('in_progress');
    const admin = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.admin) });
    expect(admin.status).toBe(200);
    for (const p of people) {
      const state = await ok<CandidateState>(p.socket, 'state:get');
      const mine = acked.filter((a) => a.candidateId === p.candidateId);
      expect(state.lastSeq).toBe(Math.max(...mine.map((a) => a.seq)));
    }
  });
});
