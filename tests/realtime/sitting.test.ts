import seedrandom from 'seedrandom';
import { jsonParser } from '../../server/src/realtime/json-parser.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ack, candidateSession, connect, connected, eventually, ok, postJson, staffSocket, startTestServer, waitFor, waitForMatch, type TestServer } from '../helpers/server.js';
import type { AnswerAck, CandidateItem, CandidateResult, CandidateState } from '../../server/src/contract/candidate.js';
import type { ProctorRow, ProctorSnapshot } from '../../server/src/contract/proctor.js';
import { applyScoreRow, type ScoreboardDelta, type ScoreboardSnapshot } from '../../server/src/contract/scoreboard.js';
import { scorePaper, evaluate } from '../../server/src/domain/scoring.js';
import { deal } from '../../server/src/domain/deal.js';

let server: TestServer;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
});
const track = <T extends { socket: Socket }>(x: T) => (sockets.push(x.socket), x);

/** Captures every payload a socket receives (pushes), for leak scans and "nothing broadcast" checks. */
function record(socket: Socket): { event: string; payload: unknown }[] {
  const seen: { event: string; payload: unknown }[] = [];
  socket.onAny((event, payload) => seen.push({ event, payload }));
  return seen;
}

async function answerEventCount(s: TestServer): Promise<number> {
  return (await s.sql<{ n: number }>('select cast(count(*) as integer) n from answer_events'))[0].n;
}

describe('a complete sitting over real sockets', () => {
  it('login, admission, answer everything, finish: the result equals the domain score', async () => {
    server = await startTestServer({ requireAdmission: true, candidates: 2 });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const snap = await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    expect(snap.rows).toHaveLength(2);
    expect(snap.rows.every((r) => r.status === 'absent')).toBe(true);
    const board = track({ socket: connect(server.url, '/scoreboard') });
    await connected(board.socket);
    await ok<ScoreboardSnapshot>(board.socket, 'scoreboard:watch', { sittingId: server.sittingId });

    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    const seen = record(cand.socket);
    expect(cand.snapshot.attempt.state).toBe('waiting');
    expect(cand.snapshot.items).toBeNull();
    const early = await ack(cand.socket, 'exam:start');
    expect(early).toMatchObject({ ok: false, error: { code: 'NOT_ADMITTED' } });

    const admitted = waitFor<CandidateState>(cand.socket, 'attempt:admitted');
    const row = await ok<ProctorRow>(proctor.socket, 'candidate:admit', { sittingId: server.sittingId, candidateId: cand.candidateId, reason: 'identitas sesuai KTP' });
    expect(row.attemptState).toBe('admitted');
    expect((await admitted).attempt.state).toBe('admitted');

    const state = await ok<CandidateState>(cand.socket, 'exam:start');
    expect(state.attempt.state).toBe('in_progress');
    expect(state.items).toHaveLength(7);
    expect(state.attempt.remainingMs).toBe(10 * 60_000);

    // answer every item, some wrongly, one changed, one cleared, one flagged
    let seq = 0;
    const acks: AnswerAck[] = [];
    for (const item of state.items!) acks.push(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: ++seq, item: item.n, choice: item.n % item.options.length }));
    acks.push(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: ++seq, item: 1, choice: 3 }));
    acks.push(await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: ++seq, item: 2, choice: null }));
    acks.push(await ok<AnswerAck>(cand.socket, 'flag:set', { seq: ++seq, item: 4, flagged: true }));
    expect(acks.every((a) => a.applied)).toBe(true);
    expect(acks.at(-1)).toMatchObject({ item: 4, flagged: true });

    const finishedPush = waitFor<{ result: CandidateResult }>(cand.socket, 'exam:finished');
    const result = await ok<CandidateResult>(cand.socket, 'exam:finish');
    expect(result.receiptId).toMatch(/^KCA-/);

    // recompute independently from what is on disk
    const events = server.store.repos.answers.byCandidate(cand.candidateId);
    expect(events.map((e) => e.kind)).toEqual(['select', 'select', 'select', 'select', 'select', 'select', 'select', 'change', 'clear', 'flag']);
    const choices = new Map<number, number | null>();
    for (const e of events) if (e.kind !== 'flag' && e.kind !== 'unflag') choices.set(e.item, e.choice);
    const paper = server.store.repos.papers.get(cand.candidateId)!;
    expect(paper).toEqual(deal([...server.store.catalog.forSitting({ templateId: server.template.id, bankId: 'bank1' }).questions.values()], server.template, 'test-seed', c.registrationNumber).items);
    const questions = server.store.catalog.forSitting({ templateId: server.template.id, bankId: 'bank1' }).questions;
    const expected = scorePaper(server.template, paper, questions, choices);
    expect(result.sections).toEqual(expected);
    expect(result.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    expect(result.passed).toBe(evaluate(server.template, expected, 'umum').passed);
    const stored = server.store.repos.results.get(cand.candidateId)!;
    expect(stored).toMatchObject({ total: result.total, receiptId: result.receiptId, endReason: 'candidate', sections: expected });

    // the candidate's own pushes include the finished result
    expect(await finishedPush).toMatchObject({ result: { total: result.total } });
    expect(seen.find((s) => s.event === 'exam:finished')?.payload).toMatchObject({ result: { total: result.total } });

    // after finish nothing changes
    const late = await ack(cand.socket, 'answer:submit', { seq: ++seq, item: 0, choice: 1 });
    expect(late).toMatchObject({ ok: false, error: { code: 'FINISHED' } });
    expect(server.store.repos.answers.byCandidate(cand.candidateId)).toHaveLength(10);

    // the proctor saw the candidate finish, and the admission is in the audit log
    const audit = server.store.repos.audit.bySitting(server.sittingId);
    expect(audit.map((a) => [a.action, a.reason])).toContainEqual(['admit', 'identitas sesuai KTP']);
  });

  it('an idempotent retry is acknowledged again with no second effect; an older seq never overwrites', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const first = await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 2 });
    expect(first.applied).toBe(true);
    const retry = await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 2 });
    expect(retry).toMatchObject({ applied: false, choice: 2 });
    await ok(cand.socket, 'answer:submit', { seq: 2, item: 0, choice: 3 });
    const stale = await ok<AnswerAck>(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 2 });
    expect(stale).toMatchObject({ applied: false, choice: 3 });
    expect(await answerEventCount(server)).toBe(2);
    const state = await ok<CandidateState>(cand.socket, 'state:get');
    expect(state.answers[0]).toBe(3);
    expect(state.lastSeq).toBe(2);
  });

  it('reconnect with the same session resumes answers, flags and time', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 3, choice: 1 });
    await ok(cand.socket, 'flag:set', { seq: 2, item: 5, flagged: true });
    server.clock.advance(90_000);
    cand.socket.disconnect();
    const again = connect(server.url, '/candidate', { session: cand.session });
    sockets.push(again);
    const snap = await waitFor<CandidateState>(again, 'state:snapshot');
    expect(snap.answers[3]).toBe(1);
    expect(snap.flags[5]).toBe(true);
    expect(snap.lastSeq).toBe(2);
    expect(snap.attempt.remainingMs).toBe(10 * 60_000 - 90_000);
    expect(snap.items).toHaveLength(7);
  });
});

describe('proctor actions reach the candidate and the audit log', () => {
  it('extend, pause, resume and terminate', async () => {
    server = await startTestServer();
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    await ok(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const ids = { sittingId: server.sittingId, candidateId: cand.candidateId };

    const adjusted = waitFor<{ remainingMs: number }>(cand.socket, 'time:adjusted');
    await ok(proctor.socket, 'candidate:extend', { ...ids, minutes: 5, reason: 'PC restart' });
    expect((await adjusted).remainingMs).toBe(15 * 60_000);

    const paused = waitFor<{ paused: boolean; remainingMs: number }>(cand.socket, 'exam:paused');
    await ok(proctor.socket, 'candidate:pause', { ...ids, reason: 'listrik padam' });
    expect(await paused).toMatchObject({ paused: true, remainingMs: 15 * 60_000 });
    server.clock.advance(120_000);
    expect(await ack(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 })).toMatchObject({ ok: false, error: { code: 'PAUSED' } });
    const resumed = waitFor<{ paused: boolean; remainingMs: number }>(cand.socket, 'exam:resumed');
    await ok(proctor.socket, 'candidate:resume', { ...ids, reason: 'listrik menyala' });
    expect(await resumed).toMatchObject({ paused: false, remainingMs: 15 * 60_000 });
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 });

    const terminated = waitFor<{ reason: string }>(cand.socket, 'exam:terminated');
    const row = await ok<ProctorRow>(proctor.socket, 'candidate:terminate', { ...ids, reason: 'membawa telepon genggam' });
    expect(row.status).toBe('terminated');
    expect(await terminated).toMatchObject({ reason: 'terminated', result: { passed: false } });
    expect(await ack(cand.socket, 'answer:submit', { seq: 2, item: 1, choice: 0 })).toMatchObject({ ok: false, error: { code: 'TERMINATED' } });

    const audit = server.store.repos.audit.bySitting(server.sittingId).map((a) => [a.action, a.reason, a.actorName]);
    expect(audit).toEqual([
      ['extend', 'PC restart', 'Pengawas Uji'],
      ['pause', 'listrik padam', 'Pengawas Uji'],
      ['resume', 'listrik menyala', 'Pengawas Uji'],
      ['terminate', 'membawa telepon genggam', 'Pengawas Uji'],
    ]);
    expect(server.store.repos.results.get(cand.candidateId)).toMatchObject({ endReason: 'terminated', passed: false });
  });

  it('a candidate who finished and left can log in again, to the result only; while the exam runs a second login is refused', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const first = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok<CandidateState>(first.socket, 'exam:start');
    await ok(first.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 });
    const login = () => postJson<{ session: string; error?: { code: string } }>(`${server.url}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: c.pin });
    expect(await login()).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CONNECTED' } } });
    const result = await ok<CandidateResult>(first.socket, 'exam:finish');
    first.socket.disconnect();
    const again = track(await candidateSession(server, c.registrationNumber, c.pin));
    expect(again.snapshot.attempt.state).toBe('finished');
    expect(again.snapshot.result).toMatchObject({ total: result.total, receiptId: result.receiptId });
    expect(again.snapshot.items).toBeNull();
    // and nothing can change any more
    expect(await ack(again.socket, 'answer:submit', { seq: 2, item: 1, choice: 2 })).toMatchObject({ ok: false });
    expect(await ack(again.socket, 'exam:start')).toMatchObject({ ok: false });
  });

  it('reset login: the old connection is closed and a new PC continues with the same paper, answers and time', async () => {
    server = await startTestServer({ requireToken: true });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const { token } = await ok<{ token: string }>(proctor.socket, 'token:show', { sittingId: server.sittingId });
    const c = server.candidates[0];
    const first = track(await candidateSession(server, c.registrationNumber, c.pin, { token }));
    const started = await ok<CandidateState>(first.socket, 'exam:start');
    await ok(first.socket, 'answer:submit', { seq: 1, item: 2, choice: 4 });
    server.clock.advance(60_000);

    const second = await postJson<{ error: { code: string } }>(`${server.url}/api/candidate/login`, { registrationNumber: c.registrationNumber, pin: c.pin, token });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CONNECTED' } } });

    const revoked = waitFor<{ reason: string }>(first.socket, 'session:revoked');
    const gone = waitFor(first.socket, 'disconnect');
    await ok(proctor.socket, 'candidate:reset-login', { sittingId: server.sittingId, candidateId: first.candidateId, reason: 'PC 12 mati, pindah ke PC 30' });
    expect((await revoked).reason).toContain('reset');
    await gone;
    // the old session cannot come back
    const stale = connect(server.url, '/candidate', { session: first.session });
    sockets.push(stale);
    await expect(connected(stale)).rejects.toThrow(/reset/);

    const next = track(await candidateSession(server, c.registrationNumber, c.pin, { token }));
    expect(next.snapshot.items!.map((i) => i.stem)).toEqual(started.items!.map((i) => i.stem));
    expect(next.snapshot.items!.map((i) => i.options)).toEqual(started.items!.map((i) => i.options));
    expect(next.snapshot.answers[2]).toBe(4);
    expect(next.snapshot.lastSeq).toBe(1);
    expect(next.snapshot.attempt.remainingMs).toBe(10 * 60_000 - 60_000);
  });

  it('pausing the whole sitting does not count the paused time', async () => {
    server = await startTestServer({ candidates: 2 });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const a = track(await candidateSession(server, server.candidates[0].registrationNumber, server.candidates[0].pin));
    const b = track(await candidateSession(server, server.candidates[1].registrationNumber, server.candidates[1].pin));
    await ok(a.socket, 'exam:start');
    await ok(b.socket, 'exam:start');
    const audits = async () => (await server.sql<{ n: number }>(`select cast(count(*) as integer) n from audit_log where action in ('sitting-pause', 'sitting-resume')`))[0].n;
    const watched = await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId });
    expect(watched.sitting.paused).toBe(false);
    // nothing to resume: refused, and the berita acara does not get a "0 candidates" line
    expect(await ack(proctor.socket, 'sitting:resume', { sittingId: server.sittingId, reason: 'salah tekan' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await audits()).toBe(0);
    const pa = waitFor(a.socket, 'exam:paused');
    const header = waitForMatch<{ sitting: { paused: boolean } }>(proctor.socket, 'sitting:updated', (h) => h.sitting.paused);
    expect(await ok(proctor.socket, 'sitting:pause', { sittingId: server.sittingId, reason: 'jaringan terputus' })).toEqual({ affected: 2 });
    await pa;
    await header;
    expect(await ack(proctor.socket, 'sitting:pause', { sittingId: server.sittingId, reason: 'dua kali' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await audits()).toBe(1);
    server.clock.advance(5 * 60_000);
    await ok(proctor.socket, 'sitting:resume', { sittingId: server.sittingId, reason: 'jaringan pulih' });
    const s = await ok<CandidateState>(b.socket, 'state:get');
    expect(s.attempt.remainingMs).toBe(10 * 60_000);
    expect((await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId })).sitting.paused).toBe(false);
  });

  it("the hall's resume leaves paused a candidate a proctor paused on their own", async () => {
    server = await startTestServer({ candidates: 3 });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const [a, b, c] = await Promise.all(server.candidates.map(async (x) => track(await candidateSession(server, x.registrationNumber, x.pin))));
    for (const x of [a, b, c]) await ok(x.socket, 'exam:start');
    const sittingId = server.sittingId;
    // c's PC is being replaced
    await ok(proctor.socket, 'candidate:pause', { sittingId, candidateId: c.candidateId, reason: 'PC diganti' });
    expect(await ok(proctor.socket, 'sitting:pause', { sittingId, reason: 'listrik padam' })).toEqual({ affected: 2 });
    server.clock.advance(2 * 60_000);
    expect(await ok(proctor.socket, 'sitting:resume', { sittingId, reason: 'listrik menyala' })).toEqual({ affected: 2 });
    expect((await ok<CandidateState>(a.socket, 'state:get')).attempt.paused).toBe(false);
    expect((await ok<CandidateState>(c.socket, 'state:get')).attempt.paused).toBe(true);
    // with only c paused, the hall has nothing to resume: c is resumed from their row
    expect(await ack(proctor.socket, 'sitting:resume', { sittingId, reason: 'salah tekan' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringMatching(/^nobody is paused by the sitting/) } });
    await ok(proctor.socket, 'candidate:resume', { sittingId, candidateId: c.candidateId, reason: 'PC baru siap' });
    const back = await ok<CandidateState>(c.socket, 'state:get');
    expect(back.attempt).toMatchObject({ paused: false, remainingMs: 10 * 60_000 });
    // memory and disk agree: a reload reads the same clock
    const [row] = await server.sql<{ paused_since: number | null }>(`select paused_since from attempts where candidate_id = ${c.candidateId}`);
    expect(row.paused_since).toBeNull();
  });

  it('a candidate who starts while the hall is paused starts paused, answers nothing until the hall resumes, and loses no time', async () => {
    server = await startTestServer({ candidates: 2 });
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    const a = track(await candidateSession(server, server.candidates[0].registrationNumber, server.candidates[0].pin));
    await ok(a.socket, 'exam:start');
    const sittingId = server.sittingId;
    expect(await ok(proctor.socket, 'sitting:pause', { sittingId, reason: 'listrik padam' })).toEqual({ affected: 1 });
    // b arrives late, during the hall's pause
    const b = track(await candidateSession(server, server.candidates[1].registrationNumber, server.candidates[1].pin));
    const started = await ok<CandidateState>(b.socket, 'exam:start');
    expect(started.attempt).toMatchObject({ state: 'in_progress', paused: true, remainingMs: 10 * 60_000 });
    expect(await ack(b.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ ok: false, error: { code: 'PAUSED' } });
    server.clock.advance(3 * 60_000);
    const resumed = waitFor(b.socket, 'exam:resumed');
    expect(await ok(proctor.socket, 'sitting:resume', { sittingId, reason: 'listrik menyala' })).toEqual({ affected: 2 });
    await resumed;
    expect((await ok<CandidateState>(b.socket, 'state:get')).attempt).toMatchObject({ paused: false, remainingMs: 10 * 60_000 });
    expect(await ok(b.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ applied: true });
  });
});

describe('time is the server\'s', () => {
  it('finishes a candidate at 0 with no client connected, and refuses later answers', async () => {
    server = await startTestServer();
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 });
    cand.socket.disconnect();
    server.clock.advance(10 * 60_000 + 1);
    // the sweep (every 50 ms in tests) finishes it with nobody connected
    const r = await eventually(() => server.store.repos.results.get(cand.candidateId), 'the result of the time-up');
    expect(r).toMatchObject({ endReason: 'time', finishedAt: server.clock.now - 1 });
    const again = connect(server.url, '/candidate', { session: cand.session });
    sockets.push(again);
    const snap = await waitFor<CandidateState>(again, 'state:snapshot');
    expect(snap.attempt.state).toBe('finished');
    expect(snap.result?.receiptId).toBe(r!.receiptId);
    expect(await ack(again, 'answer:submit', { seq: 2, item: 0, choice: 2 })).toMatchObject({ ok: false, error: { code: 'FINISHED' } });
  });

  it('an answer arriving after time is refused with TIME_UP and not stored', async () => {
    server = await startTestServer({ config: { expirySweepMs: 60_000 } });
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    server.clock.advance(10 * 60_000);
    expect(await ack(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 1 })).toMatchObject({ ok: false, error: { code: 'TIME_UP' } });
    expect(await answerEventCount(server)).toBe(0);
    expect(server.store.repos.results.get(cand.candidateId)?.endReason).toBe('time');
  });
});

/** A viewer connected to /scoreboard and watching the test sitting, with the snapshot it started from. */
async function watchingViewer(): Promise<{ viewer: Socket; snap: ScoreboardSnapshot }> {
  const viewer = connect(server.url, '/scoreboard');
  sockets.push(viewer);
  await connected(viewer);
  return { viewer, snap: await ok<ScoreboardSnapshot>(viewer, 'scoreboard:watch', { sittingId: server.sittingId }) };
}

describe('the scoreboard', () => {
  it('a viewer gets a snapshot, then coalesced deltas with only the changed rows', async () => {
    server = await startTestServer({ candidates: 3, revealPolicy: 'live', config: { scoreboardIntervalMs: 200 } });
    const { viewer, snap } = await watchingViewer();
    expect(snap.rows).toHaveLength(3);
    expect(snap.rows[0].name).toMatch(/^CALON P\*\*\* \d\*\*\*$/);
    const http = await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json());
    expect(http.rows.map((r: { id: number }) => r.id)).toEqual(snap.rows.map((r) => r.id));

    const deltas: ScoreboardDelta[] = [];
    viewer.on('scoreboard:updated', (d: ScoreboardDelta) => deltas.push(d));
    const c = server.candidates[1];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    const state = await ok<CandidateState>(cand.socket, 'exam:start');
    const answeredIndex = 1 + snap.sitting.sections.length;
    const allFive = waitForMatch<ScoreboardDelta>(viewer, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === cand.candidateId && r[answeredIndex] === 5));
    // five quick answers: far fewer pushes than answers, each with only this candidate's row
    for (let i = 0; i < 5; i++) await ok(cand.socket, 'answer:submit', { seq: i + 1, item: i, choice: 0 });
    await allFive;
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThanOrEqual(3);
    // every delta has this candidate's row; any other row in it is there because its rank moved
    const sections = snap.sitting.sections.map((x) => x.id);
    const board = new Map(snap.rows.map((r) => [r.id, r]));
    for (const d of deltas) {
      expect(d.rows.map((r) => r[0])).toContain(cand.candidateId);
      for (const change of d.rows) {
        const next = applyScoreRow(board.get(change[0])!, change, sections);
        if (change[0] !== cand.candidateId) expect({ ...next, rank: 0 }).toEqual({ ...board.get(change[0])!, rank: 0 });
        if (change[0] !== cand.candidateId) expect(next.rank).not.toBe(board.get(change[0])!.rank);
        board.set(change[0], next);
      }
    }
    const last = board.get(cand.candidateId)!;
    expect(last.answered).toBe(5);
    // the ranks viewers end up with are the server's
    const now = (await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json())) as ScoreboardSnapshot;
    expect(now.rows.map((r) => [r.id, r.rank])).toEqual(expect.arrayContaining([...board.values()].map((r) => [r.id, r.rank])));
    const expectedTotal = server.store.repos.answers.byCandidate(cand.candidateId).reduce((s, e) => s + e.scoreDelta, 0);
    expect(last.total).toBe(expectedTotal);
    void state;
  });

  it('a viewer applying the pushes keeps the server\'s board as candidates pass, fall back and overtake each other', async () => {
    server = await startTestServer({ candidates: 6, revealPolicy: 'live', config: { scoreboardIntervalMs: 20 } });
    const { viewer, snap } = await watchingViewer();
    const sections = snap.sitting.sections.map((x) => x.id);
    const board = new Map(snap.rows.map((r) => [r.id, r]));
    let pushes = 0;
    viewer.on('scoreboard:updated', (d: ScoreboardDelta) => {
      pushes++;
      for (const change of d.rows) board.set(change[0], applyScoreRow(board.get(change[0])!, change, sections));
    });
    type Seated = { cand: Awaited<ReturnType<typeof candidateSession>>; state: CandidateState; seq: number };
    const people: Seated[] = [];
    for (const c of server.candidates) {
      const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
      people.push({ cand, state: await ok<CandidateState>(cand.socket, 'exam:start'), seq: 0 });
    }
    // the synthetic bank's keyed questions are named like A-t1-x-003 and keyed (number mod 5) to options a..e
    const keyed = (item: { stem: string; options: string[] }, right: boolean) => {
      const id = item.stem.replace(/<\/?p>/g, '');
      const key = `${id}-${'abcde'[Number(id.slice(-3)) % 5]}`;
      const at = item.options.indexOf(key);
      return right ? at : (at + 1) % item.options.length;
    };
    const shown = (r: { id: number; answered: number; total: number | null; passed: boolean | null; rank: number | null; status: string }) => [r.id, r.answered, r.total, r.passed, r.rank, r.status];
    let checks = 0;
    let ranksMoved = 0;
    let before = new Map(snap.rows.map((r) => [r.id, r.rank]));
    const step = async (p: Seated, item: CandidateItem, choice: number) => {
      // the push that carries this answer (every accepted answer changes the candidate's row), then the board as the server has it now
      const pushed = waitForMatch<ScoreboardDelta>(viewer, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === p.cand.candidateId));
      await ok(p.cand.socket, 'answer:submit', { seq: ++p.seq, item: item.n, choice });
      await pushed;
      const truth = (await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json())) as ScoreboardSnapshot;
      expect([...board.values()].map(shown).sort(), `the viewer's board after step ${checks}`).toEqual(truth.rows.map(shown).sort());
      ranksMoved += truth.rows.filter((r) => r.rank !== before.get(r.id)).length;
      before = new Map(truth.rows.map((r) => [r.id, r.rank]));
      checks++;
      return truth;
    };
    const itemsOf = (p: Seated, section: string) => p.state.items!.filter((x) => x.section === section);
    // formation F1: the first and third candidates pass with two right in A; the third is ahead by a B answer
    const [first, , third] = people;
    for (const p of [first, third]) for (const item of itemsOf(p, 'A').slice(0, 2)) await step(p, item, keyed(item, true));
    const ahead = await step(third, itemsOf(third, 'B')[0], 0);
    expect(ahead.rows.find((r) => r.id === third.cand.candidateId)!.rank).toBe(1);
    expect(ahead.rows.find((r) => r.id === first.cand.candidateId)!.rank).toBe(2);
    // the leader falls below the pass mark: only its own row changes, and the other moves up a rank
    const fallen = await step(third, itemsOf(third, 'A')[0], keyed(itemsOf(third, 'A')[0], false));
    expect(fallen.rows.find((r) => r.id === third.cand.candidateId)!.rank).toBeNull();
    expect(fallen.rows.find((r) => r.id === first.cand.candidateId)!.rank).toBe(1);
    await step(third, itemsOf(third, 'A')[0], keyed(itemsOf(third, 'A')[0], true));
    // then anyone answers anything, right or wrong
    const rnd = seedrandom('board-ranks');
    for (let i = 0; i < 40; i++) {
      const p = people[Math.floor(rnd() * people.length)];
      const items = itemsOf(p, rnd() < 0.8 ? 'A' : 'B');
      const item = items[Math.floor(rnd() * items.length)];
      await step(p, item, item.section === 'A' ? keyed(item, rnd() < 0.55) : Math.floor(rnd() * item.options.length));
    }
    const final = (await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json())) as ScoreboardSnapshot;
    // the script did move ranks: several candidates ranked at the end, and some pushes went out
    expect(final.rows.filter((r) => r.rank !== null).length).toBeGreaterThanOrEqual(2);
    expect(ranksMoved).toBeGreaterThanOrEqual(5);
    expect(pushes).toBeGreaterThanOrEqual(checks);
    expect(checks).toBe(47);
  });

  it('viewers who ask for the snapshot as an event together get one shared packet before a short ack, then the pushes', async () => {
    server = await startTestServer({ candidates: 3, revealPolicy: 'live', config: { scoreboardIntervalMs: 20 } });
    const viewers = [connect(server.url, '/scoreboard'), connect(server.url, '/scoreboard'), connect(server.url, '/scoreboard')];
    sockets.push(...viewers);
    await Promise.all(viewers.map(connected));
    const order: string[][] = viewers.map(() => []);
    const snapshots: ScoreboardSnapshot[] = [];
    viewers.forEach((v, i) => v.on('scoreboard:snapshot', (snap: ScoreboardSnapshot) => (order[i].push('snapshot'), snapshots.push(snap))));
    const encode = vi.spyOn(jsonParser.Encoder.prototype, 'encode');
    try {
      // asked in the same moment: the server encodes the snapshot once for all three
      const acks = await Promise.all(viewers.map((v, i) => ok<unknown>(v, 'scoreboard:watch', { sittingId: server.sittingId, snapshot: 'event' }).then((a) => (order[i].push('ack'), a))));
      expect(acks).toEqual(viewers.map(() => ({ watching: true, sittingId: server.sittingId })));
      expect(order).toEqual(viewers.map(() => ['snapshot', 'ack']));
      expect(encode.mock.calls.filter(([packet]) => Array.isArray(packet.data) && packet.data[0] === 'scoreboard:snapshot')).toHaveLength(1);
    } finally {
      encode.mockRestore();
    }
    const http = (await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json())) as ScoreboardSnapshot;
    for (const snap of snapshots) expect(snap.rows).toEqual(http.rows);
    // in the board's rooms: an answer's push reaches every one of them
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const pushed = viewers.map((v) => waitForMatch<ScoreboardDelta>(v, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === cand.candidateId)));
    await ok(cand.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 });
    await Promise.all(pushed);
    // a sitting without a board is refused at once, as with the snapshot in the ack
    expect(await ack(viewers[0], 'scoreboard:watch', { sittingId: 'nope', snapshot: 'event' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ack(viewers[0], 'scoreboard:watch', { sittingId: server.sittingId, snapshot: 'sometimes' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('a viewer who opens the board after answers were pushed sees them (the shared snapshot is renewed)', async () => {
    server = await startTestServer({ candidates: 3, revealPolicy: 'live', config: { scoreboardIntervalMs: 50 } });
    const { viewer: first, snap: before } = await watchingViewer();
    const c = server.candidates[0];
    const cand = track(await candidateSession(server, c.registrationNumber, c.pin));
    await ok(cand.socket, 'exam:start');
    const answeredIndex = 1 + before.sitting.sections.length;
    const pushed = waitForMatch<ScoreboardDelta>(first, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === cand.candidateId && r[answeredIndex] === 3));
    for (let i = 0; i < 3; i++) await ok(cand.socket, 'answer:submit', { seq: i + 1, item: i, choice: 0 });
    // every answer's push is out
    await pushed;
    const total = server.store.repos.answers.byCandidate(cand.candidateId).reduce((sum, e) => sum + e.scoreDelta, 0);
    const { viewer: late, snap: after } = await watchingViewer();
    expect(before.rows.find((r) => r.id === cand.candidateId)!.answered).toBe(0);
    expect(after.rows.find((r) => r.id === cand.candidateId)).toMatchObject({ answered: 3, total });
    const http = (await fetch(`${server.url}/api/sittings/${server.sittingId}/scoreboard`).then((r) => r.json())) as ScoreboardSnapshot;
    expect(http.rows.find((r) => r.id === cand.candidateId)).toMatchObject({ answered: 3, total });
  });

  it("a board opened after a quiet minute gets the server's time now, not that of the last change (its clock would run a minute slow)", async () => {
    server = await startTestServer({ candidates: 3, revealPolicy: 'live', config: { scoreboardIntervalMs: 50 } });
    const s = server;
    const { snap: first } = await watchingViewer();
    expect(first.serverTime).toBe(s.clock.now);
    // nothing changes for 90 s: the next viewers, in either form, are told the time of now
    s.clock.advance(90_000);
    const { snap: later } = await watchingViewer();
    expect(later.serverTime).toBe(s.clock.now);
    expect(later.sitting.endsAt).toBe(first.sitting.endsAt);
    expect(later.rows).toEqual(first.rows);
    s.clock.advance(5_000);
    const viewer = connect(s.url, '/scoreboard');
    sockets.push(viewer);
    await connected(viewer);
    const sent = waitFor<ScoreboardSnapshot>(viewer, 'scoreboard:snapshot');
    await ok(viewer, 'scoreboard:watch', { sittingId: s.sittingId, snapshot: 'event' });
    expect((await sent).serverTime).toBe(s.clock.now);
  });

  it('candidates imported into a running sitting appear on the board and the console, and can sit', async () => {
    server = await startTestServer({ candidates: 3 });
    const { viewer, snap: opened } = await watchingViewer();
    expect(opened.rows).toHaveLength(3);
    const proctor = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    expect((await ok<ProctorSnapshot>(proctor.socket, 'sitting:watch', { sittingId: server.sittingId })).rows).toHaveLength(3);
    const boardUpdate = waitFor<ScoreboardDelta>(viewer, 'scoreboard:updated');

    const admin = await postJson<{ session: string }>(`${server.url}/api/auth/login`, server.admin);
    const csv = 'registration_number,name,formation,group\r\nR0901,Rina Late,F1,umum\r\n';
    const imp = await fetch(`${server.url}/api/admin/sittings/${server.sittingId}/candidates`, { method: 'POST', headers: { authorization: `Bearer ${admin.body.session}`, 'content-type': 'text/csv' }, body: csv });
    expect(imp.status).toBe(201);
    const [added] = ((await imp.json()) as { candidates: { registrationNumber: string; pin: string }[] }).candidates;

    expect((await boardUpdate).sitting?.candidates).toBe(4);
    const fresh = connect(server.url, '/scoreboard');
    sockets.push(fresh);
    await connected(fresh);
    expect((await ok<ScoreboardSnapshot>(fresh, 'scoreboard:watch', { sittingId: server.sittingId })).rows.map((r) => r.registrationNumber)).toContain('R0901');
    const console2 = track(await staffSocket(server, server.proctor.username, server.proctor.password));
    expect((await ok<ProctorSnapshot>(console2.socket, 'sitting:watch', { sittingId: server.sittingId })).rows.map((r) => r.registrationNumber)).toContain('R0901');
    const late = track(await candidateSession(server, added.registrationNumber, added.pin));
    const started = await ok<CandidateState>(late.socket, 'exam:start');
    expect(started.items!.length).toBe(server.template.sections.reduce((n, x) => n + x.questionCount, 0));
    expect(await ok<AnswerAck>(late.socket, 'answer:submit', { seq: 1, item: 0, choice: 0 })).toMatchObject({ applied: true });
  });
});
