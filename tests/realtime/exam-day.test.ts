import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ack, candidateSession, eventually, ok, postJson, staffSocket, startTestServer, waitFor, waitForMatch, type TestServer } from '../helpers/server.js';
import type { CandidateState, TimePush } from '../../server/src/contract/candidate.js';
import type { AuditEntry, IncidentReport, ProctorRow } from '../../server/src/contract/proctor.js';
import type { ScoreboardSnapshot } from '../../server/src/contract/scoreboard.js';
import { connect, connected } from '../helpers/server.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await server?.close();
  server = undefined;
});
const track = <T extends { socket: Socket }>(x: T): T => {
  sockets.push(x.socket);
  return x;
};

describe('exam day over real sockets', () => {
  it("the proctor's start reaches every admitted candidate's screen; a bulk admission is one decision and one audit entry", async () => {
    server = await startTestServer({ status: 'open', requireAdmission: true, candidates: 4 });
    const s = server;
    const proctor = track(await staffSocket(s, s.proctor.username, s.proctor.password));
    await ok(proctor.socket, 'sitting:watch', { sittingId: s.sittingId });
    const cands = await Promise.all(s.candidates.slice(0, 3).map((c) => candidateSession(s, c.registrationNumber, c.pin).then(track)));
    expect(cands.map((c) => c.snapshot.attempt.state)).toEqual(['waiting', 'waiting', 'waiting']);

    const admittedPushes = cands.slice(0, 2).map((c) => waitFor<CandidateState>(c.socket, 'attempt:admitted'));
    const audit = waitForMatch<AuditEntry>(proctor.socket, 'audit:appended', (e) => e.action === 'admit-many');
    const absentId = s.store.repos.candidates.byRegistration(s.sittingId, s.candidates[3].registrationNumber)!.id;
    const bad = await ack(proctor.socket, 'candidates:admit', { sittingId: s.sittingId, candidateIds: [cands[0].candidateId, 9999], reason: 'KTP sesuai' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const r = await ok<{ affected: number; admitted: number[] }>(proctor.socket, 'candidates:admit', { sittingId: s.sittingId, candidateIds: [cands[0].candidateId, cands[1].candidateId, absentId], reason: 'KTP dan kartu sesuai' });
    expect(r).toEqual({ affected: 2, admitted: [cands[0].candidateId, cands[1].candidateId] });
    expect((await Promise.all(admittedPushes)).map((st) => st.attempt.state)).toEqual(['admitted', 'admitted']);
    expect((await audit).details).toMatchObject({ candidates: 2, ids: r.admitted });
    expect(s.store.repos.audit.bySitting(s.sittingId).map((a) => a.action)).toEqual(['admit-many']);

    // not started yet: the candidate is told so; then the start is pushed to every screen of the sitting
    expect(await ack(cands[0].socket, 'exam:start')).toMatchObject({ ok: false, error: { code: 'SITTING_NOT_OPEN' } });
    const pushed = cands.map((c) => waitFor<CandidateState['sitting']>(c.socket, 'sitting:updated'));
    await ok(proctor.socket, 'sitting:start', { sittingId: s.sittingId, reason: 'ujian dimulai' });
    expect((await Promise.all(pushed)).map((x) => x.status)).toEqual(['running', 'running', 'running']);
    expect((await ok<CandidateState>(cands[0].socket, 'exam:start')).attempt.state).toBe('in_progress');
  });

  it("the candidate hears of an extension with its minutes and never the proctor's reason; alerts go to the audit log, coalesced", async () => {
    server = await startTestServer();
    const s = server;
    const proctor = track(await staffSocket(s, s.proctor.username, s.proctor.password));
    const c = s.candidates[0];
    const cand = track(await candidateSession(s, c.registrationNumber, c.pin));
    const received: unknown[] = [];
    cand.socket.onAny((_e, p) => received.push(p));
    await ok(cand.socket, 'exam:start');
    const ids = { sittingId: s.sittingId, candidateId: cand.candidateId };
    const adjusted = waitFor<TimePush>(cand.socket, 'time:adjusted');
    await ok(proctor.socket, 'candidate:extend', { ...ids, minutes: 7, reason: 'RAHASIA-alasan-tambah' });
    expect(await adjusted).toEqual({ remainingMs: 17 * 60_000, serverTime: s.clock.now, paused: false, addedMs: 7 * 60_000 });
    const paused = waitFor<TimePush>(cand.socket, 'exam:paused');
    await ok(proctor.socket, 'candidate:pause', { ...ids, reason: 'RAHASIA-alasan-jeda' });
    await paused;
    await ok(proctor.socket, 'sitting:pause', { sittingId: s.sittingId, reason: 'RAHASIA-alasan-jeda-semua' });
    await ok(proctor.socket, 'sitting:resume', { sittingId: s.sittingId, reason: 'RAHASIA-alasan-semua' });
    // paused on their own, they stay paused through the hall's resume, until their own
    expect((await ok<CandidateState>(cand.socket, 'state:get')).attempt.paused).toBe(true);
    await ok(proctor.socket, 'candidate:resume', { ...ids, reason: 'RAHASIA-alasan-lanjut' });
    // the whole hall lost five minutes (the server was down): every candidate in progress gets them, with the number
    const hall = waitFor<TimePush>(cand.socket, 'time:adjusted');
    const boardBefore = (await (await fetch(`${s.url}/api/sittings/${s.sittingId}/scoreboard`)).json()) as { sitting: { endsAt: number | null } };
    expect(await ok(proctor.socket, 'sitting:extend', { sittingId: s.sittingId, minutes: 5, reason: 'RAHASIA-server-mati' })).toEqual({ affected: 1 });
    expect(await hall).toMatchObject({ addedMs: 5 * 60_000, remainingMs: 22 * 60_000 });
    const boardAfter = (await (await fetch(`${s.url}/api/sittings/${s.sittingId}/scoreboard`)).json()) as { sitting: { endsAt: number | null } };
    expect(boardAfter.sitting.endsAt! - boardBefore.sitting.endsAt!).toBe(5 * 60_000);
    expect((await ack(proctor.socket, 'sitting:extend', { sittingId: s.sittingId, minutes: 0, reason: 'nol' })).ok).toBe(false);
    await ok(proctor.socket, 'candidate:terminate', { ...ids, reason: 'RAHASIA-alasan-henti' });
    await eventually(() => (received.some((p) => JSON.stringify(p).includes('"result"')) ? true : undefined), 'the end pushed');
    expect(JSON.stringify(received)).not.toContain('RAHASIA');

    // the PC leaves the window 30 times in a few seconds: one entry now, the rest counted for later
    const other = track(await candidateSession(s, s.candidates[1].registrationNumber, s.candidates[1].pin));
    for (let i = 0; i < 30; i++) {
      s.clock.advance(100);
      await ok(other.socket, 'client:report', { kind: 'focus-lost' });
    }
    await ok(other.socket, 'client:report', { kind: 'fullscreen-exited' });
    const alerts = s.store.repos.audit.bySitting(s.sittingId).filter((a) => a.action === 'alert');
    expect(alerts.map((a) => [a.actorRole, a.actorId, a.candidateId, (a.details as { kind: string; count: number }).kind, (a.details as { count: number }).count])).toEqual([
      ['system', null, other.candidateId, 'focus-lost', 1],
      ['system', null, other.candidateId, 'fullscreen-exited', 1],
    ]);
    // a minute later the next one carries everything counted since
    s.clock.advance(60_000);
    await ok(other.socket, 'client:report', { kind: 'focus-lost' });
    const last = s.store.repos.audit.bySitting(s.sittingId).filter((a) => a.action === 'alert').at(-1)!;
    expect(last.details).toMatchObject({ kind: 'focus-lost', count: 30, total: 31 });

    // the berita acara: alerts summed per candidate and kind, in the site's zone
    const login = await postJson<{ session: string }>(`${s.url}/api/auth/login`, s.proctor);
    const report = (await (await fetch(`${s.url}/api/admin/sittings/${s.sittingId}/report`, { headers: { authorization: `Bearer ${login.body.session}` } })).json()) as IncidentReport;
    expect(report.alerts.map((a) => [a.registrationNumber, a.kind, a.count])).toEqual([
      [s.candidates[1].registrationNumber, 'focus-lost', 31],
      [s.candidates[1].registrationNumber, 'fullscreen-exited', 1],
    ]);
    const csv = await (await fetch(`${s.url}/api/admin/sittings/${s.sittingId}/report?format=csv`, { headers: { authorization: `Bearer ${login.body.session}` } })).text();
    expect(csv.split('\n')[0]).toMatch(/^time_wib,/);
    expect(csv).toContain('+07:00');
    expect(csv).toContain('RAHASIA-alasan-henti');
  });

  it('closing a sitting shows the never-admitted as absent on the board and in the room; resume lands on the last question', async () => {
    server = await startTestServer({ requireAdmission: true, candidates: 3 });
    const s = server;
    const proctor = track(await staffSocket(s, s.proctor.username, s.proctor.password));
    await ok(proctor.socket, 'sitting:watch', { sittingId: s.sittingId });
    const viewer = connect(s.url, '/scoreboard');
    sockets.push(viewer);
    await connected(viewer);
    const snap = await ok<ScoreboardSnapshot>(viewer, 'scoreboard:watch', { sittingId: s.sittingId });
    expect(snap.sitting).toMatchObject({ endsAt: s.clock.now + 10 * 60_000, paused: false });
    const [a, b] = await Promise.all(s.candidates.slice(0, 2).map((c) => candidateSession(s, c.registrationNumber, c.pin).then(track)));
    await ok(proctor.socket, 'candidate:admit', { sittingId: s.sittingId, candidateId: a.candidateId, reason: 'KTP sesuai' });
    await ok(a.socket, 'exam:start');
    await ok(a.socket, 'answer:submit', { seq: 1, item: 4, choice: 1 });
    await ok(a.socket, 'flag:set', { seq: 2, item: 2, flagged: true });
    // another PC opens the exam where the candidate was
    a.socket.disconnect();
    await ok(proctor.socket, 'candidate:reset-login', { sittingId: s.sittingId, candidateId: a.candidateId, reason: 'pindah PC' });
    const moved = track(await candidateSession(s, s.candidates[0].registrationNumber, s.candidates[0].pin));
    expect(moved.snapshot.resumeAt).toBe(2);

    const rows = waitForMatch<{ rows: ProctorRow[] }>(proctor.socket, 'candidates:updated', (p) => p.rows.some((r) => r.id === b.candidateId && r.status === 'absent'));
    // [id, A, B, answered, status index, passed, rank]: status 0 = absent (an earlier push may still show them waiting)
    const board = waitForMatch<{ rows: (number | null)[][] }>(viewer, 'scoreboard:updated', (d) => d.rows.some((r) => r[0] === b.candidateId && r[4] === 0));
    await ok(proctor.socket, 'sitting:close', { sittingId: s.sittingId, reason: 'waktu habis' });
    await rows;
    await board;
    const results = await (await fetch(`${s.url}/api/admin/sittings/${s.sittingId}/results`, { headers: { authorization: `Bearer ${(await postJson<{ session: string }>(`${s.url}/api/auth/login`, s.proctor)).body.session}` } })).json() as { sittingName: string; formations: { lines: { registrationNumber: string; status: string }[] }[] };
    expect(results.sittingName).toBe('Sesi Uji');
    expect(Object.fromEntries(results.formations.flatMap((f) => f.lines.map((l) => [l.registrationNumber, l.status])))).toEqual({ R0001: 'finished', R0002: 'absent', R0003: 'absent' });
  });
});
