import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ack, candidateSession, connect, connected, ok, postJson, staffSocket, startTestServer, waitForMatch, type TestServer } from '../helpers/server.js';
import type { CandidateState } from '../../server/src/contract/candidate.js';
import type { ProctorSnapshot } from '../../server/src/contract/proctor.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});

const count = async (table: string) => (await server.sql<{ n: number }>(`select cast(count(*) as integer) n from ${table}`))[0].n;
const login = (body: unknown) => postJson<{ error: { code: string; message: string } }>(`${server.url}/api/candidate/login`, body);

/**
 * A proctor and a scoreboard viewer watching the sitting, recording every push they get. A push
 * that did not come cannot be waited for, so `barrier` makes one that must come: the last
 * candidate logs in, and once both watchers have seen that, anything pushed before it is in.
 */
async function watchers() {
  const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
  sockets.push(proctor.socket);
  await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
  const viewer = connect(server.url, '/scoreboard');
  sockets.push(viewer);
  await connected(viewer);
  await ok(viewer, 'scoreboard:watch', { sittingId: server.sittingId });
  const pushes: { to: string; event: string; ids: number[] }[] = [];
  const idsOf = (payload: unknown): number[] => {
    const rows = (payload as { rows?: unknown[] } | undefined)?.rows ?? [];
    return rows.map((r) => (Array.isArray(r) ? (r[0] as number) : (r as { id: number }).id));
  };
  proctor.socket.onAny((event, payload) => pushes.push({ to: 'proctor', event, ids: idsOf(payload) }));
  viewer.onAny((event, payload) => pushes.push({ to: 'scoreboard', event, ids: idsOf(payload) }));
  const barrier = async (): Promise<number> => {
    const last = server.candidates.at(-1)!;
    const byRow = (id: number) => (p: { rows: unknown[] }) => idsOf(p).includes(id);
    const login = await postJson<{ candidateId: number }>(`${server.url}/api/candidate/login`, { registrationNumber: last.registrationNumber, pin: last.pin });
    const id = login.body.candidateId;
    await Promise.all([waitForMatch(proctor.socket, 'candidates:updated', byRow(id)), waitForMatch(viewer, 'scoreboard:updated', byRow(id))]);
    return id;
  };
  /** The pushes that were not the barrier's. */
  const others = (barrierId: number) => pushes.filter((p) => !(p.ids.length === 1 && p.ids[0] === barrierId));
  return { proctor, viewer, pushes, barrier, others };
}

describe('login errors', () => {
  it('bad PIN, unknown candidate, malformed body', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    expect(await login({ registrationNumber: c.registrationNumber, pin: '999999' })).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
    expect(await login({ registrationNumber: 'NOBODY', pin: '000000' })).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
    expect(await login({ registrationNumber: c.registrationNumber })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await login('not json at all')).toMatchObject({ status: 400 });
    const raw = await fetch(`${server.url}/api/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"registrationNumber":' });
    expect(raw.status).toBe(400);
    expect(await count('attempts')).toBe(0);
  });

  it('locks after repeated failures until a proctor resets the login', async () => {
    server = await startTestServer({ config: { lockAfterFailedLogins: 3 } });
    const w = await watchers();
    const c = server.candidates[0];
    for (let i = 0; i < 2; i++) expect((await login({ registrationNumber: c.registrationNumber, pin: '111111' })).body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await login({ registrationNumber: c.registrationNumber, pin: '111111' })).body.error.code).toBe('LOGIN_LOCKED');
    const right = await login({ registrationNumber: c.registrationNumber, pin: c.pin });
    expect(right).toMatchObject({ status: 423, body: { error: { code: 'LOGIN_LOCKED' } } });
    const barrierId = await w.barrier();
    const snap = await ok<ProctorSnapshot>(w.proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const row = snap.rows.find((r) => r.registrationNumber === c.registrationNumber)!;
    expect(row).toMatchObject({ status: 'locked', locked: true, failedLogins: 3 });
    expect(row.alerts.map((a) => a.kind)).toContain('login-locked');
    // failed logins are the proctor's business: the public board heard only of the barrier's login
    expect(w.others(barrierId).filter((p) => p.to === 'scoreboard')).toEqual([]);
    expect(w.pushes.some((p) => p.to === 'proctor' && p.ids.includes(row.id))).toBe(true);
    await ok(w.proctor.socket, 'candidate:reset-login', { sittingId: server.sittingId, candidateId: row.id, reason: 'lupa PIN, identitas dicek' });
    expect((await login({ registrationNumber: c.registrationNumber, pin: c.pin })).status).toBe(200);
  });

  it('token: required, wrong, expired after the grace period; the previous one works during grace', async () => {
    server = await startTestServer({ requireToken: true, config: { tokenGraceMinutes: 2 } });
    const c = server.candidates;
    const proctor = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(proctor.socket);
    const { token, rotatesAt } = await ok<{ token: string; rotatesAt: number }>(proctor.socket, 'token:show', { sittingId: server.sittingId });
    expect(await login({ registrationNumber: c[0].registrationNumber, pin: c[0].pin })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_REQUIRED' } } });
    expect(await login({ registrationNumber: c[0].registrationNumber, pin: c[0].pin, token: 'ZZZZZZ' })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_INVALID' } } });
    server.clock.now = rotatesAt + 60_000; // rotated, inside the grace period
    expect((await login({ registrationNumber: c[0].registrationNumber, pin: c[0].pin, token })).status).toBe(200);
    server.clock.now = rotatesAt + 3 * 60_000; // past the grace period
    expect(await login({ registrationNumber: c[1].registrationNumber, pin: c[1].pin, token })).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_INVALID' } } });
    const fresh = await ok<{ token: string }>(proctor.socket, 'token:show', { sittingId: server.sittingId });
    expect(fresh.token).not.toBe(token);
    expect((await login({ registrationNumber: c[1].registrationNumber, pin: c[1].pin, token: fresh.token.toLowerCase() })).status).toBe(200);
  });

  it('a sitting not yet open; opened but not started', async () => {
    server = await startTestServer({ status: 'scheduled' });
    const c = server.candidates[0];
    expect(await login({ registrationNumber: c.registrationNumber, pin: c.pin })).toMatchObject({ status: 409, body: { error: { code: 'SITTING_NOT_OPEN' } } });
    const p = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(p.socket);
    await ok(p.socket, 'sitting:open', { sittingId: server.sittingId, reason: 'peserta masuk ruangan' });
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    expect(cand.snapshot.attempt.state).toBe('admitted');
    expect(await ack(cand.socket, 'exam:start')).toMatchObject({ ok: false, error: { code: 'SITTING_NOT_OPEN' } });
    await ok(p.socket, 'sitting:start', { sittingId: server.sittingId, reason: 'ujian dimulai' });
    expect((await ok<CandidateState>(cand.socket, 'exam:start')).attempt.state).toBe('in_progress');
    expect(server.store.repos.audit.bySitting(server.sittingId).map((a) => a.action)).toEqual(['sitting-open', 'sitting-start']);
  });

  it('sockets without a valid session are refused', async () => {
    server = await startTestServer();
    for (const [ns, auth] of [['/candidate', {}], ['/candidate', { session: '1.0.forged' }], ['/proctor', { session: 's.1.2.forged' }], ['/proctor', undefined]] as const) {
      const s = connect(server.url, ns, auth);
      sockets.push(s);
      await expect(connected(s)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    }
    expect(await postJson(`${server.url}/api/auth/login`, { username: 'proctor1', password: 'wrong' })).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
  });
});

describe('answer errors change nothing and broadcast nothing', () => {
  it('unknown item, unknown option, malformed payloads of every event, before start', async () => {
    server = await startTestServer();
    const w = await watchers();
    const c = server.candidates[0];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    expect(await ack(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_STARTED' } });
    const state = await ok<CandidateState>(cand.socket, 'exam:start');
    // the start's own pushes are out before the bad input begins
    await waitForMatch(w.viewer, 'scoreboard:updated', (p: { rows: number[][] }) => p.rows.some((r) => r[0] === cand.candidateId));
    w.pushes.length = 0;
    const before = await count('answer_events');

    expect(await ack(cand.socket, 'answer:submit', { seq: 1, item: 7, choice: 0 })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ITEM' } });
    expect(await ack(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: state.items![0].options.length })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPTION' } });
    expect(await ack(cand.socket, 'flag:set', { seq: 1, item: 99, flagged: true })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ITEM' } });
    const malformed: [string, unknown][] = [
      ['answer:submit', null],
      ['answer:submit', 'A'],
      ['answer:submit', { seq: 1, item: 0 }],
      ['answer:submit', { seq: 0, item: 0, choice: 1 }],
      ['answer:submit', { seq: 1.5, item: 0, choice: 1 }],
      ['answer:submit', { seq: 1, item: -1, choice: 1 }],
      ['answer:submit', { seq: 1, item: 0, choice: '1' }],
      ['answer:submit', { seq: 1, item: 0, choice: -2 }],
      ['answer:submit', [1, 0, 1]],
      ['flag:set', { seq: 1, item: 0, flagged: 'yes' }],
      ['flag:set', {}],
      ['client:report', { kind: 'shutdown' }],
      ['client:report', 42],
      ['exam:start', { please: true }],
      ['exam:finish', 'now'],
      ['state:get', [1]],
    ];
    for (const [event, payload] of malformed) {
      const r = await ack(cand.socket, event, payload);
      expect(r, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    // an event this namespace does not know gets its one reply too, a proctor's included
    for (const event of ['no:such:event', 'candidate:terminate', 'x'.repeat(5000)]) {
      expect(await ack(cand.socket, event, { candidateId: cand.candidateId })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^unknown event "/) } });
    }
    // socket.io lets a packet name its event with a number: that is an unknown event as well
    expect(await ack(cand.socket, 42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^unknown event "42"/) } });
    // the public board's socket too
    expect(await ack(w.viewer, 'candidate:terminate', { candidateId: cand.candidateId })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^unknown event "candidate:terminate": this namespace takes sittings:list/) } });
    const unacked = waitForMatch(cand.socket, 'error:event', (p: { event: string }) => p.event === 'no:such:ack');
    cand.socket.emit('no:such:ack', 1);
    expect(await unacked).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    // an event with no ack callback does not crash anything
    cand.socket.emit('answer:submit', { nonsense: true });
    cand.socket.emit('no:such:event', 1);
    const barrierId = await w.barrier();
    expect(await count('answer_events')).toBe(before);
    expect(await count('results')).toBe(0);
    expect(w.others(barrierId)).toEqual([]);
    const after = await ok<CandidateState>(cand.socket, 'state:get');
    expect(after.answers.every((a) => a === null)).toBe(true);
    expect(after.lastSeq).toBe(0);
    // and the server still works
    expect((await ok<{ applied: boolean }>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 })).applied).toBe(true);
  });
});

describe('proctor rights and input', () => {
  it('a proctor of another sitting is forbidden; reasons are required; bad ids are typed errors', async () => {
    server = await startTestServer();
    const other = await staffSocket(server, 'other', 'other-password');
    sockets.push(other.socket);
    expect(await ack(other.socket, 'sitting:watch', { sittingId: server.sittingId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await ack(other.socket, 'candidate:terminate', { sittingId: server.sittingId, candidateId: 1, reason: 'tidak suka' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await ok(other.socket, 'sittings:list')).toEqual([]);
    const p = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(p.socket);
    const c = server.candidates[0];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    await ok(cand.socket, 'exam:start');
    const ids = { sittingId: server.sittingId, candidateId: cand.candidateId };
    expect(await ack(p.socket, 'candidate:extend', { ...ids, minutes: 5 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ack(p.socket, 'candidate:extend', { ...ids, minutes: 5, reason: '' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ack(p.socket, 'candidate:extend', { ...ids, minutes: -5, reason: 'listrik' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ack(p.socket, 'candidate:pause', { ...ids, candidateId: 9999, reason: 'listrik' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ack(p.socket, 'candidate:resume', { ...ids, reason: 'belum dijeda' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await ack(p.socket, 'sitting:watch', { sittingId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ack(p.socket, 'sitting:open', { sittingId: server.sittingId, reason: 'buka lagi' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(server.store.repos.audit.bySitting(server.sittingId)).toEqual([]);
  });

  it('closing the sitting ends attempts in progress and refuses new logins', async () => {
    server = await startTestServer({ candidates: 2 });
    const p = await staffSocket(server, server.proctor.username, server.proctor.password);
    sockets.push(p.socket);
    const c = server.candidates[0];
    const cand = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(cand.socket);
    await ok(cand.socket, 'exam:start');
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 });
    await ok(p.socket, 'sitting:close', { sittingId: server.sittingId, reason: 'waktu sesi habis' });
    expect(server.store.repos.results.get(cand.candidateId)?.endReason).toBe('sitting-closed');
    expect(await ack(cand.socket, 'answer:submit', { seq: 2, item: 1, choice: 0 })).toMatchObject({ ok: false, error: { code: 'FINISHED' } });
    expect((await login({ registrationNumber: server.candidates[1].registrationNumber, pin: server.candidates[1].pin })).body.error.code).toBe('SITTING_CLOSED');
  });
});

describe('a commit that fails', () => {
  it("refuses the candidate's later changes too, so their retries are applied and nothing is lost", async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const s = await candidateSession(server, c.registrationNumber, c.pin);
    sockets.push(s.socket);
    const paper = await ok<CandidateState>(s.socket, 'exam:start');
    expect(paper.items!.length).toBeGreaterThan(2);
    // the disk refuses seq 2 (the writer thread has its own connection: a real trigger, not a temp one)
    if (server.onPostgres) {
      await server.sql(`create function test_refuse_seq2() returns trigger language plpgsql as $$ begin raise exception 'disk trouble'; end $$`);
      await server.sql(`create trigger test_refuse_seq2 before insert on answer_events for each row when (new.client_seq = 2) execute function test_refuse_seq2()`);
    } else await server.sql(`create trigger test_refuse_seq2 before insert on answer_events when new.client_seq = 2 begin select raise(abort, 'disk trouble'); end`);
    const sent = [
      { seq: 1, item: 0, choice: 1 },
      { seq: 2, item: 1, choice: 2 },
      { seq: 3, item: 0, choice: 3 },
    ];
    const first = await Promise.all(sent.map((a) => ack(s.socket, 'answer:submit', a)));
    expect(first.map((r) => r.ok)).toEqual([true, false, false]);
    expect(first.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(['INTERNAL', 'INTERNAL']);
    // seq 3 was given after seq 2: it is not on disk without it
    const stored = () => server.sql<{ seq: number; item: number; choice: number }>(`select cast(client_seq as integer) seq, item, choice from answer_events where candidate_id = ${Number(s.candidateId)} order by id`);
    expect((await stored()).map((e) => e.seq)).toEqual([1]);

    await server.sql(server.onPostgres ? 'drop trigger test_refuse_seq2 on answer_events' : 'drop trigger test_refuse_seq2');
    // the client retries what was not acknowledged, in order, until it is
    for (const a of sent.slice(1)) {
      let r = await ack(s.socket, 'answer:submit', a);
      for (let i = 0; !r.ok && i < 50; i++) {
        expect(r.error.code).toBe('INTERNAL');
        r = await ack(s.socket, 'answer:submit', a);
      }
      expect(r).toMatchObject({ ok: true, data: { seq: a.seq, applied: true } });
    }
    expect(await stored()).toEqual(sent);
    const state = await ok<CandidateState>(s.socket, 'state:get');
    expect([state.answers[0], state.answers[1], state.lastSeq]).toEqual([3, 2, 3]);
  });
});
