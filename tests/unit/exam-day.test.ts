import { describe, expect, it } from 'vitest';
import { decideAnswer, decideFlag, decideStart } from '../../server/src/domain/attempt.js';
import { ALERT_WINDOW_MS, EMPTY_ALERT_LOG, flushAlert, noteAlert, type AlertLog } from '../../server/src/domain/alert-log.js';
import { candidateView, timePush } from '../../server/src/domain/candidate-view.js';
import { restore, Replay, type Examinee } from '../../server/src/domain/examinee.js';
import { incidentReport } from '../../server/src/domain/incident-report.js';
import { decideLogin } from '../../server/src/domain/login.js';
import { decideProctorAction } from '../../server/src/domain/proctor-actions.js';
import { proctorRow, sittingInfo } from '../../server/src/domain/proctor-view.js';
import { publicRow, scoreboardSitting } from '../../server/src/domain/public-view.js';
import { seatPlace } from '../../server/src/domain/seat-map.js';
import { decideAdmitMany, decideSittingPause, decideSittingStatus } from '../../server/src/domain/sitting-lifecycle.js';
import { attemptStatus, attendance, proctorStatus } from '../../server/src/domain/status.js';
import { hallClock, remainingMs } from '../../server/src/domain/timing.js';
import { siteDate, siteIso, siteTime } from '../../server/src/contract/site-time.js';
import type { AuditEntry } from '../../server/src/contract/proctor.js';
import { coreFixture, MIN, T0 } from '../helpers/core.js';

const f = coreFixture();
const actor = { id: 7, name: 'Pengawas', role: 'proctor' };
const sittingCtx = (now: number) => ({ now, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 });
const logIn = (e: Examinee, requireAdmission = false) => decideLogin(e, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0, { requireAdmission })).examinee;
const started = (id = 1) => decideStart(logIn(f.candidate(id)), f.ctx(T0)).examinee;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
};

describe('attendance: one definition for every audience', () => {
  const running = { status: 'running' };
  const closed = { status: 'closed' };
  it('never logged in is absent; logged in but not admitted waits while the sitting runs and is absent once it closed', () => {
    const waiting = logIn(f.candidate(), true);
    expect([attemptStatus(null, running), attendance(null, running)]).toEqual(['absent', 'absent']);
    expect([attemptStatus(waiting.attempt, running), attendance(waiting.attempt, running)]).toEqual(['waiting', 'waiting']);
    expect([attemptStatus(waiting.attempt, closed), attendance(waiting.attempt, closed)]).toEqual(['absent', 'absent']);
    expect(proctorStatus(waiting, true, running)).toBe('waiting');
    expect(proctorStatus(waiting, false, closed)).toBe('absent');
  });
  it('admitted, sitting, finished or terminated is present', () => {
    const admitted = logIn(f.candidate());
    const terminated = decideProctorAction(logIn(f.candidate(2), true), { type: 'terminate', actor, reason: 'joki' }, f.ctx(T0)).examinee;
    for (const e of [admitted, started(), terminated]) expect(attendance(e.attempt, closed)).toBe('present');
    // the proctor tells the two kinds of waiting apart: for admission, and admitted but not started
    expect([proctorStatus(admitted, true, running), proctorStatus(admitted, false, running)]).toEqual(['admitted', 'disconnected']);
    expect(attemptStatus(terminated.attempt, running)).toBe('terminated');
  });
  it('a locked login shows as locked while the sitting runs, and as absent after it closed', () => {
    let e = f.candidate();
    for (let i = 0; i < 3; i++) e = decideLogin(e, { pinOk: false, token: 'not-required', lockAfter: 3 }, f.ctx(T0)).examinee;
    expect(proctorStatus(e, false, running)).toBe('locked');
    expect(proctorStatus(e, false, closed)).toBe('absent');
  });
  it('the board shows a never-admitted candidate absent after the close, and every board hears of it', () => {
    const waiting = logIn(f.candidate(), true);
    const d = decideSittingStatus(f.sitting, 'closed', actor, 'selesai', [waiting], sittingCtx(T0 + MIN));
    expect(publicRow(waiting, f.catalog, 'none', d.sitting).status).toBe('absent');
    expect(d.candidates[0].notices).toContainEqual({ kind: 'changed', audience: 'all' });
  });
});

describe('bulk admission', () => {
  const hall = () => [logIn(f.candidate(1), true), logIn(f.candidate(2), true), logIn(f.candidate(3)), f.candidate(4)];
  it('admits every listed candidate still waiting, with one audit entry naming them', () => {
    const d = decideAdmitMany(f.sitting, [1, 2, 3, 4, 2], actor, 'KTP dan kartu sesuai', hall(), sittingCtx(T0 + 5));
    expect(d.candidates.map((c) => [c.examinee.profile.id, c.examinee.attempt?.state, c.examinee.attempt?.admittedAt])).toEqual([
      [1, 'admitted', T0 + 5],
      [2, 'admitted', T0 + 5],
    ]);
    expect(d.candidates.every((c) => c.notices.some((n) => n.kind === 'admitted'))).toBe(true);
    expect(d.writes).toEqual([{ kind: 'audit', record: expect.objectContaining({ action: 'admit-many', candidateId: null, reason: 'KTP dan kartu sesuai', details: { candidates: 2, ids: [1, 2], registrationNumbers: ['R1', 'R2'] } }) }]);
  });
  it('writes nothing when nobody is waiting, refuses ids of another sitting and a sitting not open', () => {
    expect(decideAdmitMany(f.sitting, [3], actor, 'cek', hall(), sittingCtx(T0))).toMatchObject({ candidates: [], writes: [] });
    expect(code(() => decideAdmitMany(f.sitting, [1, 99], actor, 'cek', hall(), sittingCtx(T0)))).toBe('NOT_FOUND');
    expect(code(() => decideAdmitMany({ ...f.sitting, status: 'scheduled' }, [1], actor, 'cek', hall(), sittingCtx(T0)))).toBe('INVALID_STATE');
  });
});

describe("what reaches the candidate of a proctor's action", () => {
  it('an extension tells how much was added and never why; a pause says nothing of the reason either', () => {
    const ext = decideProctorAction(started(), { type: 'extend', actor, reason: 'PC 12 mati lima menit', minutes: 5 }, f.ctx(T0 + MIN));
    expect(ext.notices).toContainEqual({ kind: 'time', event: 'time:adjusted', addedMs: 5 * MIN });
    expect(timePush(ext.examinee, T0 + MIN, 5 * MIN)).toEqual({ remainingMs: 14 * MIN, serverTime: T0 + MIN, paused: false, addedMs: 5 * MIN });
    const paused = decideProctorAction(started(), { type: 'pause', actor, reason: 'listrik padam' }, f.ctx(T0 + MIN));
    expect(paused.notices).toContainEqual({ kind: 'time', event: 'exam:paused' });
    const all = decideSittingPause(f.sitting, false, actor, 'jaringan putus', [started()], sittingCtx(T0), false);
    expect(JSON.stringify(all.candidates.map((c) => c.notices))).not.toContain('jaringan');
    // the reasons are for the berita acara
    expect(ext.writes.at(-1)).toMatchObject({ kind: 'audit', record: { reason: 'PC 12 mati lima menit', details: { minutes: 5 } } });
  });
  it('resumes on another PC at the question last answered or flagged', () => {
    let e = started();
    e = decideAnswer(e, { seq: 1, item: 2, choice: 1 }, f.ctx(T0 + 1)).examinee;
    e = decideFlag(e, { seq: 2, item: 5, flagged: true }, f.ctx(T0 + 2)).examinee;
    const view = (x: Examinee) => candidateView(x, f.sitting, f.catalog, T0 + 3, { practice: () => [], verifyUrl: null });
    expect(view(e).resumeAt).toBe(5);
    expect(view(started()).resumeAt).toBe(0);
    // and from what is stored, after a restart
    const replay = new Replay(7);
    replay.add(2, 'select', 1, 1, T0 + 1);
    replay.add(5, 'flag', null, 2, T0 + 2);
    replay.add(3, 'select', 0, 3, T0 + 3);
    const restored = restore({ profile: e.profile, login: e.login, attempt: e.attempt, paper: e.paper, replay, result: null }, f.catalog);
    expect(view(restored).resumeAt).toBe(3);
  });
});

describe('alerts in the audit log', () => {
  const report = (log: AlertLog, at: number) => noteAlert(log, at);
  it('the first occurrence is written at once; a flapping PC gets one entry per window, nothing counted is lost', () => {
    let log = EMPTY_ALERT_LOG;
    const first = report(log, T0);
    expect(first.entry).toEqual({ count: 1, total: 1, first: T0, last: T0 });
    log = first.log;
    const entries = [first.entry];
    let due: number | null = null;
    // 500 reports within 40 seconds: counted, not written
    for (let i = 1; i <= 500; i++) {
      const r = report(log, T0 + i * 80);
      log = r.log;
      if (r.entry) entries.push(r.entry);
      due = r.dueAt ?? due;
    }
    expect(entries).toHaveLength(1);
    expect(due).toBe(T0 + ALERT_WINDOW_MS);
    // the shell's timer at the due time writes what was counted
    const flushed = flushAlert(log, T0 + ALERT_WINDOW_MS);
    expect(flushed.entry).toEqual({ count: 500, total: 501, first: T0 + 80, last: T0 + 40_000 });
    expect(flushAlert(flushed.log, T0 + 2 * ALERT_WINDOW_MS).entry).toBeNull();
    // after a quiet window the next occurrence is written at once again
    expect(report(flushed.log, T0 + 3 * ALERT_WINDOW_MS).entry).toMatchObject({ count: 1, total: 502 });
  });
});

describe('the seat map', () => {
  const grid = { rows: 5, cols: 6 };
  it('reads row letters, row-column numbers and seat numbers in reading order', () => {
    expect(seatPlace('C-4', grid)).toEqual({ row: 3, col: 4 });
    expect(seatPlace('c4', grid)).toEqual({ row: 3, col: 4 });
    expect(seatPlace('2-6', grid)).toEqual({ row: 2, col: 6 });
    expect(seatPlace('7', grid)).toEqual({ row: 2, col: 1 });
    expect(seatPlace('PC-12', grid)).toEqual({ row: 2, col: 6 });
    expect(seatPlace('30', grid)).toEqual({ row: 5, col: 6 });
  });
  it('places nothing it cannot: missing, unreadable, outside the grid, or a number with no grid', () => {
    for (const s of [null, '', 'meja guru', 'F-1', '31', '2-7']) expect(seatPlace(s, grid)).toBeNull();
    expect(seatPlace('12', { rows: null, cols: null })).toBeNull();
    expect(seatPlace('B-3', { rows: null, cols: null })).toEqual({ row: 2, col: 3 });
  });
  it("the proctor's row carries the place and the roster photo", () => {
    const e = { ...started(), profile: { ...started().profile, seat: 'B-2', photoUrl: '/media/p/1.jpg' } };
    const row = proctorRow(e, undefined, f.catalog, { ...f.sitting, roomRows: 4, roomCols: 5 }, T0);
    expect(row).toMatchObject({ seat: 'B-2', place: { row: 2, col: 2 }, photoUrl: '/media/p/1.jpg', status: 'disconnected' });
  });
});

describe("the public board's header and verdicts", () => {
  it("the sitting's time is its start plus the duration plus hall-wide pauses, not a candidate's extension", () => {
    const start = T0;
    const events = [
      { action: 'extend', at: T0 + MIN },
      { action: 'sitting-pause', at: T0 + 2 * MIN },
      { action: 'sitting-resume', at: T0 + 5 * MIN },
      { action: 'sitting-pause', at: T0 + 7 * MIN },
    ];
    const clock = hallClock(start, 10 * MIN, events);
    expect(clock).toMatchObject({ pausedMs: 3 * MIN, pausedSince: T0 + 7 * MIN });
    // 7 minutes in, 3 of them paused: 6 left, standing still while paused
    expect(remainingMs(clock, T0 + 9 * MIN)).toBe(6 * MIN);
    const log = { origin: 'kaca.test/s1', verifierKey: 'k', seedCommitment: 's', bankCommitment: 'b', templateCommitment: 't', beacon: null, checkpoint: null, seed: null };
    const head = scoreboardSitting({ ...f.sitting, status: 'running', startedAt: start }, f.catalog, 1, clock, T0 + 9 * MIN, log);
    expect(head).toMatchObject({ endsAt: T0 + 15 * MIN, paused: true });
    const ended = scoreboardSitting({ ...f.sitting, status: 'closed' }, f.catalog, 1, null, T0 + 9 * MIN, log);
    expect(ended).toMatchObject({ endsAt: null, paused: false, thresholdSets: [{ id: 'umum', name: 'Umum' }] });
  });
  it("a row names the threshold set its verdict is under, and shows the verdict once the candidate finished", () => {
    const e = started();
    expect(publicRow(e, f.catalog, 'none', f.sitting)).toMatchObject({ passed: null, thresholdSet: 'umum', status: 'in_progress' });
  });
});

describe('the berita acara', () => {
  const entry = (id: number, at: number, action: string, patch: Partial<AuditEntry> = {}): AuditEntry => ({ id, at, actorName: 'Bu Rina', actorRole: 'proctor', sittingId: 's1', candidateId: null, action, reason: 'alasan', details: null, ...patch });
  it('counts attendance by one definition, names the absent, sums admissions and alerts, lists the rest', () => {
    const present = started(1);
    const waitingThenClosed = logIn(f.candidate(2), true);
    const candidates = [present, waitingThenClosed, f.candidate(3)].map((e) => ({ profile: { ...e.profile, seat: `A-${e.profile.id}` }, attempt: e.attempt }));
    const audit = [
      entry(1, T0, 'sitting-open'),
      ...Array.from({ length: 30 }, (_, i) => entry(2 + i, T0 + i * 1000, 'admit', { candidateId: 1, reason: 'KTP sesuai' })),
      entry(40, T0 + 60_000, 'admit-many', { details: { candidates: 38 }, actorName: 'Pak Budi' }),
      entry(41, T0 + 61_000, 'alert', { actorRole: 'system', actorName: 'Sistem', candidateId: 1, details: { kind: 'focus-lost', count: 1, total: 1, first: T0 + 61_000, last: T0 + 61_000 } }),
      entry(42, T0 + 121_000, 'alert', { actorRole: 'system', actorName: 'Sistem', candidateId: 1, details: { kind: 'focus-lost', count: 4, total: 5, first: T0 + 70_000, last: T0 + 100_000 } }),
      entry(43, T0 + 122_000, 'login-locked', { actorRole: 'system', actorName: 'Sistem', candidateId: 3 }),
      entry(44, T0 + 200_000, 'extend', { candidateId: 1, reason: 'PC mati', details: { minutes: 5 } }),
      entry(45, T0 + 300_000, 'sitting-close'),
    ];
    const closedInfo = sittingInfo({ ...f.sitting, status: 'closed' }, f.catalog, 3, false, 'kaca.test+00000000+AQ==');
    const r = incidentReport({ sitting: closedInfo, generatedAt: T0 + 400_000, candidates, audit });
    expect(r.counts).toEqual({ registered: 3, present: 1, waiting: 0, absent: 2, inProgress: 1, finished: 0, terminated: 0 });
    expect(r.absentees.map((a) => [a.registrationNumber, a.name, a.seat])).toEqual([
      ['R2', 'Calon 2', 'A-2'],
      ['R3', 'Calon 3', 'A-3'],
    ]);
    expect(r.admissions).toEqual({ count: 68, first: T0, last: T0 + 60_000, by: ['Bu Rina', 'Pak Budi'] });
    expect(r.alerts.map((a) => [a.registrationNumber, a.kind, a.count, a.first, a.last])).toEqual([
      ['R1', 'focus-lost', 5, T0 + 61_000, T0 + 100_000],
      ['R3', 'login-locked', 1, T0 + 122_000, T0 + 122_000],
    ]);
    expect(r.entries.filter((e) => e.part === 'action').map((e) => e.action)).toEqual(['sitting-open', 'extend', 'sitting-close']);
    expect(r.entries).toHaveLength(audit.length);
    // while the sitting is still open, one who logged in is waiting, not absent
    const open = incidentReport({ sitting: sittingInfo(f.sitting, f.catalog, 3, false, 'kaca.test+00000000+AQ=='), generatedAt: T0, candidates, audit: [] });
    expect(open.counts).toMatchObject({ present: 1, waiting: 1, absent: 1 });
  });
  it("prints times in the site's zone", () => {
    const at = Date.UTC(2027, 0, 15, 1, 5, 7);
    expect(siteTime(at, 'Asia/Jakarta')).toBe('08.05 WIB');
    expect(siteTime(at, 'Asia/Makassar', true)).toBe('09.05.07 WITA');
    expect(siteTime(at, 'Asia/Jayapura')).toBe('10.05 WIT');
    expect(siteDate(Date.UTC(2027, 0, 15, 20, 0), 'Asia/Jayapura')).toBe('16 Januari 2027');
    expect(siteIso(at, 'Asia/Makassar')).toBe('2027-01-15T09:05:07+08:00');
  });
  it('a locked login and the change limit are written by the system', () => {
    const locked = decideLogin(f.candidate(), { pinOk: false, token: 'not-required', lockAfter: 1 }, f.ctx(T0));
    expect(locked.writes.map((w) => (w.kind === 'audit' ? [w.record.action, w.record.actorRole] : w.kind))).toEqual(['login', ['login-locked', 'system']]);
    const capped = decideAnswer({ ...started(), storedEvents: 20 * 7 }, { seq: 1, item: 0, choice: 0 }, f.ctx(T0 + 1));
    expect(capped.writes).toEqual([{ kind: 'audit', record: expect.objectContaining({ action: 'change-limit', actorRole: 'system', candidateId: 1 }) }]);
  });
});
