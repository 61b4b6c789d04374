import { describe, expect, it } from 'vitest';
import { decideAnswer, decideExpire, decideFinish, decideFlag, decideStart, markUnsaved } from '../../server/src/domain/attempt.js';
import { decideLogin } from '../../server/src/domain/login.js';
import { decideProctorAction } from '../../server/src/domain/proctor-actions.js';
import { decideSittingExtend, decideSittingPause, decideSittingStatus, pausedAlone } from '../../server/src/domain/sitting-lifecycle.js';
import { scoreItem, scoreSheet } from '../../server/src/domain/scoring.js';
import { remainingMs } from '../../server/src/domain/timing.js';
import { answersHash, paperHash } from '../../server/src/domain/verify/commitments.js';
import type { Examinee } from '../../server/src/domain/examinee.js';
import { coreFixture, MIN, T0, valueOf } from '../helpers/core.js';

const f = coreFixture();
const actor = { id: 7, name: 'Pengawas', role: 'proctor' };
const login = (e: Examinee, now = T0) => decideLogin(e, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(now)).examinee;
/** A candidate logged in and started at T0 (10 minutes on the small template). */
function started(): Examinee {
  return decideStart(login(f.candidate()), f.ctx(T0)).examinee;
}
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
};

describe('the core: login', () => {
  it('creates the attempt on the first login and refuses a second PC until a reset', () => {
    const d = decideLogin(f.candidate(), { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0));
    expect(valueOf(d)).toEqual({ generation: 0 });
    expect(d.examinee.attempt).toMatchObject({ state: 'admitted', admittedAt: T0, clock: { durationMs: 10 * MIN } });
    expect(d.writes.map((w) => w.kind)).toEqual(['login', 'log', 'attempt']);
    expect(d.writes[1]).toEqual({ kind: 'log', sittingId: f.sitting.id, event: { type: 'login', t: T0, reg: d.examinee.profile.registrationNumber } });
    expect(code(() => decideLogin(d.examinee, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0)))).toBe('ALREADY_CONNECTED');
    const reset = decideProctorAction(d.examinee, { type: 'reset-login', actor, reason: 'PC mati' }, f.ctx(T0)).examinee;
    expect(valueOf(decideLogin(reset, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0)))).toEqual({ generation: 1 });
  });

  it('lets a candidate whose exam has ended log in again (to the result), and nobody while it runs', () => {
    const running = started();
    const again = (x: Examinee) => decideLogin(x, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0 + MIN));
    expect(code(() => again(running))).toBe('ALREADY_CONNECTED');
    const finished = decideFinish(running, f.ctx(T0 + MIN)).examinee;
    expect(valueOf(again(finished))).toEqual({ generation: finished.login.loginGeneration });
    expect(again(finished).examinee.attempt).toBe(finished.attempt);
    const terminated = decideProctorAction(running, { type: 'terminate', actor, reason: 'membawa catatan' }, f.ctx(T0 + MIN)).examinee;
    expect(terminated.attempt?.state).toBe('terminated');
    expect(valueOf(again(terminated))).toEqual({ generation: terminated.login.loginGeneration });
    // a wrong PIN is still a wrong PIN
    expect(decideLogin(finished, { pinOk: false, token: 'not-required', lockAfter: 3 }, f.ctx(T0 + MIN)).outcome).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('counts wrong PINs and locks at the limit; a reset unlocks', () => {
    let e = f.candidate();
    const wrong = (x: Examinee) => decideLogin(x, { pinOk: false, token: 'not-required', lockAfter: 3 }, f.ctx(T0));
    for (const expected of ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'LOGIN_LOCKED']) {
      const d = wrong(e);
      expect(d.outcome).toMatchObject({ ok: false, error: { code: expected } });
      // the tries left before the lock go with a wrong PIN
      if (expected === 'INVALID_CREDENTIALS') expect(d.outcome).toMatchObject({ error: { details: { attemptsLeft: 3 - d.examinee.login.failedLogins } } });
      expect(d.writes[0]).toEqual({ kind: 'login', record: expect.objectContaining({ failedLogins: d.examinee.login.failedLogins }) });
      // the lock itself goes to the audit log, by the system, for the berita acara
      expect(d.writes.slice(1)).toEqual(expected === 'LOGIN_LOCKED' ? [{ kind: 'audit', record: expect.objectContaining({ action: 'login-locked', actorRole: 'system', actorId: null, candidateId: 1 }) }] : []);
      e = d.examinee;
    }
    expect(e.login).toMatchObject({ failedLogins: 3, lockedAt: T0 });
    // locked: even the right PIN is refused, and nothing more is counted
    expect(code(() => decideLogin(e, { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0)))).toBe('LOGIN_LOCKED');
    const unlocked = decideProctorAction(e, { type: 'reset-login', actor, reason: 'identitas dicek' }, f.ctx(T0)).examinee;
    expect(unlocked.login).toMatchObject({ failedLogins: 0, lockedAt: null });
  });

  it('checks the token before the PIN: a wrong PIN without a valid token is not counted', () => {
    const e = f.candidate();
    expect(code(() => decideLogin(e, { pinOk: false, token: 'missing', lockAfter: 3 }, f.ctx(T0)))).toBe('TOKEN_REQUIRED');
    expect(code(() => decideLogin(e, { pinOk: false, token: 'invalid', lockAfter: 3 }, f.ctx(T0)))).toBe('TOKEN_INVALID');
    expect(decideLogin(e, { pinOk: false, token: 'ok', lockAfter: 3 }, f.ctx(T0)).examinee.login.failedLogins).toBe(1);
  });

  it('waits for admission when the sitting asks for it', () => {
    const d = decideLogin(f.candidate(), { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0, { requireAdmission: true }));
    expect(d.examinee.attempt?.state).toBe('waiting');
    expect(code(() => decideStart(d.examinee, f.ctx(T0)))).toBe('NOT_ADMITTED');
    const admitted = decideProctorAction(d.examinee, { type: 'admit', actor, reason: 'KTP sesuai' }, f.ctx(T0 + 5));
    expect(admitted.examinee.attempt).toMatchObject({ state: 'admitted', admittedAt: T0 + 5 });
    expect(admitted.notices).toContainEqual({ kind: 'admitted' });
    expect(admitted.writes.at(-1)).toMatchObject({ kind: 'audit', record: { action: 'admit', reason: 'KTP sesuai', actorId: 7 } });
    // a second admission is a state error, not a second entry
    expect(code(() => decideProctorAction(admitted.examinee, { type: 'admit', actor, reason: 'lagi' }, f.ctx(T0 + 6)))).toBe('INVALID_STATE');
  });
});

describe('the core: answers and time', () => {
  it('starts once: the paper is dealt and the clock runs from the start', () => {
    const d = decideStart(login(f.candidate()), f.ctx(T0 + 1000));
    expect(d.examinee.paper?.length).toBe(7);
    expect(d.writes.map((w) => w.kind)).toEqual(['paper', 'attempt', 'log']);
    // the start leaf names the paper by hash and what a blank paper scores, nothing of its questions
    expect(d.writes[2]).toEqual({
      kind: 'log',
      sittingId: f.sitting.id,
      event: { type: 'start', t: T0 + 1000, reg: d.examinee.profile.registrationNumber, paper: paperHash(d.examinee.paper!.items()), items: 7, base: { A: 0, B: 0 } },
    });
    const again = decideStart(d.examinee, f.ctx(T0 + 5000));
    expect(again.writes).toEqual([]);
    expect(again.examinee.attempt?.clock.startedAt).toBe(T0 + 1000);
  });

  it('scores every answer with the same rule as the final result, and a retried seq changes nothing', () => {
    const e0 = started();
    const key = [0, 1, 2, 3, 4].find((c) => scoreItem(e0.paper!, f.catalog.rules, 0, c) === 5)!;
    const d1 = decideAnswer(e0, { seq: 1, item: 0, choice: key }, f.ctx(T0 + 1));
    const expected = 5;
    const reg = e0.profile.registrationNumber;
    expect(d1.writes).toEqual([
      { kind: 'log', sittingId: f.sitting.id, event: { type: 'answer', t: T0 + 1, reg, item: 0, section: 'A', choice: key, delta: expected, seq: 1 } },
      { kind: 'answer', record: expect.objectContaining({ item: 0, kind: 'select', choice: key, clientSeq: 1, scoreDelta: expected }) },
    ]);
    expect(valueOf(d1)).toEqual({ seq: 1, item: 0, choice: key, flagged: false, applied: true });
    expect(d1.examinee.scores).toEqual({ A: 5, B: 0 });
    const retry = decideAnswer(d1.examinee, { seq: 1, item: 0, choice: (key + 1) % 5 }, f.ctx(T0 + 2));
    expect(retry.writes).toEqual([]);
    expect(valueOf(retry)).toEqual({ seq: 1, item: 0, choice: key, flagged: false, applied: false });
    const d2 = decideAnswer(d1.examinee, { seq: 2, item: 0, choice: null }, f.ctx(T0 + 3));
    expect(d2.writes[0]).toMatchObject({ kind: 'log', event: { type: 'answer', choice: null, delta: -expected, seq: 2 } });
    expect(d2.writes[1]).toMatchObject({ kind: 'answer', record: { kind: 'clear', scoreDelta: -expected } });
    const flagged = decideFlag(d2.examinee, { seq: 3, item: 0, flagged: true }, f.ctx(T0 + 4));
    expect(valueOf(flagged)).toMatchObject({ seq: 3, flagged: true, choice: null });
    // the result is the scores of the sheet as it stands
    const finished = decideFinish(decideAnswer(flagged.examinee, { seq: 4, item: 5, choice: 1 }, f.ctx(T0 + 5)).examinee, f.ctx(T0 + 6));
    const result = valueOf(finished);
    expect(result.sections).toEqual({ A: 0, B: scoreItem(e0.paper!, f.catalog.rules, 5, 1) });
    expect(finished.writes.map((w) => w.kind)).toEqual(['attempt', 'result', 'log', 'receipt']);
    expect(finished.writes[2]).toMatchObject({ kind: 'log', event: { type: 'finish', reason: 'candidate', scores: result.sections } });
    expect(finished.writes[3]).toMatchObject({
      kind: 'receipt',
      body: { registrationNumber: reg, paperHash: paperHash(e0.paper!.items()), answersHash: answersHash(finished.examinee.answers.toArray().map((v) => (v < 0 ? null : v))), scores: [['A', 0], ['B', result.sections.B]] },
    });
  });

  it('live scores after any run of answers, changes and clears are the sheet scored whole', () => {
    let e = started();
    let seq = 0;
    // 7 items x 20 = 140 stored changes at most: 100 answers and 25 flags stay under the cap
    for (let i = 0; i < 100; i++) {
      const item = (i * 7 + (i >> 3)) % e.paper!.length;
      const choice = i % 6 === 5 ? null : (i * 3) % 5;
      e = decideAnswer(e, { seq: ++seq, item, choice }, f.ctx(T0 + i)).examinee;
      if (i % 4 === 0) e = decideFlag(e, { seq: ++seq, item, flagged: i % 8 === 0 }, f.ctx(T0 + i)).examinee;
      expect(e.scores).toEqual(scoreSheet(f.template, e.paper!, f.catalog.rules, e.answers));
      expect(e.answered).toBe(e.answers.toArray().filter((a) => a >= 0).length);
      expect(e.flagged).toBe(e.flags.toArray().filter((x) => x === 1).length);
    }
    expect(e.storedEvents).toBe(125);
    expect(valueOf(decideFinish(e, f.ctx(T0 + 400))).sections).toEqual(e.scores);
  });

  it('time is up at the deadline: an answer after it ends the attempt at the deadline and is refused', () => {
    const e = started();
    const late = decideAnswer(e, { seq: 1, item: 0, choice: 1 }, f.ctx(T0 + 10 * MIN));
    expect(late.outcome).toMatchObject({ ok: false, error: { code: 'TIME_UP' } });
    expect(late.writes.map((w) => w.kind)).toEqual(['attempt', 'result', 'log', 'receipt']);
    expect(late.writes[2]).toMatchObject({ kind: 'log', event: { type: 'finish', reason: 'time', t: T0 + 10 * MIN } });
    expect(late.examinee.attempt).toMatchObject({ state: 'finished', endReason: 'time', endedAt: T0 + 10 * MIN });
    expect(late.writes.some((w) => w.kind === 'answer')).toBe(false);
    // the sweep does the same with nobody connected, ending it at the deadline not at the sweep
    const swept = decideExpire(e, f.ctx(T0 + 11 * MIN));
    expect(swept.examinee.attempt).toMatchObject({ state: 'finished', endedAt: T0 + 10 * MIN });
    expect(decideExpire(e, f.ctx(T0 + 10 * MIN - 1)).writes).toEqual([]);
  });

  it('paused time is not counted, and extensions add to it', () => {
    let e = started();
    e = decideProctorAction(e, { type: 'pause', actor, reason: 'listrik padam' }, f.ctx(T0 + 2 * MIN)).examinee;
    expect(code(() => decideAnswer(e, { seq: 1, item: 0, choice: 0 }, f.ctx(T0 + 3 * MIN)))).toBe('PAUSED');
    e = decideProctorAction(e, { type: 'resume', actor, reason: 'listrik menyala' }, f.ctx(T0 + 7 * MIN)).examinee;
    expect(remainingMs(e.attempt!.clock, T0 + 7 * MIN)).toBe(8 * MIN);
    e = decideProctorAction(e, { type: 'extend', actor, reason: 'PC restart', minutes: 5 }, f.ctx(T0 + 7 * MIN)).examinee;
    expect(remainingMs(e.attempt!.clock, T0 + 7 * MIN)).toBe(13 * MIN);
    // 10 min + 5 paused + 5 extended: time runs out at T0 + 20 min, not before
    expect(decideExpire(e, f.ctx(T0 + 20 * MIN - 1)).writes).toEqual([]);
    expect(decideExpire(e, f.ctx(T0 + 20 * MIN)).examinee.attempt).toMatchObject({ state: 'finished', endedAt: T0 + 20 * MIN });
  });

  it('a terminated attempt never passes, and takes no more answers', () => {
    let e = started();
    for (let i = 0; i < 7; i++) {
      const best = [0, 1, 2, 3, 4].reduce((b, c) => (scoreItem(e.paper!, f.catalog.rules, i, c) > scoreItem(e.paper!, f.catalog.rules, i, b) ? c : b), 0);
      e = decideAnswer(e, { seq: i + 1, item: i, choice: best }, f.ctx(T0 + i)).examinee;
    }
    const d = decideProctorAction(e, { type: 'terminate', actor, reason: 'membawa telepon' }, f.ctx(T0 + MIN));
    expect(d.examinee.result).toMatchObject({ passed: false, endReason: 'terminated', sections: { A: 20 } });
    expect(d.writes.find((w) => w.kind === 'result')).toMatchObject({ record: { passed: false } });
    expect(code(() => decideAnswer(d.examinee, { seq: 9, item: 0, choice: 0 }, f.ctx(T0 + MIN)))).toBe('TERMINATED');
    // the same sheet finished normally passes (threshold A >= 10)
    expect(valueOf(decideFinish(e, f.ctx(T0 + MIN))).passed).toBe(true);
  });

  it('after a failed commit the candidate is as before, and later seqs wait for the failed one', () => {
    const e = started();
    const d = decideAnswer(e, { seq: 1, item: 0, choice: 1 }, f.ctx(T0 + 1));
    // the shell keeps `e` (not d.examinee) when the commit fails, and marks what was lost
    const after = markUnsaved(e, [1]);
    // the state before the decision reads as it did, though the decision's own state exists too
    expect(after.answers.toArray()).toEqual(new Array(7).fill(-1));
    expect(d.examinee.answers.get(0)).toBe(1);
    expect(after.lastSeq).toBe(0);
    expect(code(() => decideAnswer(after, { seq: 2, item: 1, choice: 1 }, f.ctx(T0 + 2)))).toBe('INTERNAL');
    const again = decideAnswer(after, { seq: 1, item: 0, choice: 1 }, f.ctx(T0 + 3));
    expect(valueOf(again).applied).toBe(true);
    expect(again.examinee.unsavedFrom).toBeNull();
    expect(valueOf(decideAnswer(again.examinee, { seq: 2, item: 1, choice: 1 }, f.ctx(T0 + 4))).applied).toBe(true);
    void d;
  });
});

describe('the core: a sitting', () => {
  it('extend-all gives every attempt in progress the minutes once; one whose time already ran out ends at its deadline; only while running', () => {
    const a = started(); // 10 minutes from T0
    const b = decideStart(login(f.candidate(2)), f.ctx(T0 + 5 * MIN)).examinee; // 10 minutes from T0 + 5
    const notStarted = login(f.candidate(3));
    const ctx = { now: T0 + 12 * MIN, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 };
    const d = decideSittingExtend(f.sitting, 5, actor, 'server mati 5 menit', [a, b, notStarted], ctx);
    expect(d.candidates.map((c) => [c.examinee.profile.id, c.examinee.attempt!.state, c.examinee.attempt!.endedAt])).toEqual([
      [1, 'finished', T0 + 10 * MIN],
      [2, 'in_progress', null],
    ]);
    // 3 minutes were left at T0 + 12: now 8, and the candidate is told how many were added
    expect(remainingMs(d.candidates[1].examinee.attempt!.clock, T0 + 12 * MIN)).toBe(8 * MIN);
    expect(d.candidates[1].notices).toContainEqual({ kind: 'time', event: 'time:adjusted', addedMs: 5 * MIN });
    expect(d.candidates[1].writes.map((w) => w.kind)).toEqual(['attempt', 'log']);
    expect(d.writes).toEqual([{ kind: 'audit', record: expect.objectContaining({ action: 'sitting-extend', reason: 'server mati 5 menit', details: { minutes: 5, candidates: 1 } }) }]);
    expect(code(() => decideSittingExtend({ ...f.sitting, status: 'open' }, 5, actor, 'x', [a], ctx))).toBe('INVALID_STATE');
  });

  it('a resume of the hall leaves paused whoever a proctor paused on their own', () => {
    const pctx = (now: number) => ({ now, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 });
    const a = started();
    const b = decideStart(login(f.candidate(2)), f.ctx(T0)).examinee;
    // b's PC is being repaired: paused alone, then the hall is paused and resumed
    const alone = decideProctorAction(b, { type: 'pause', actor, reason: 'PC diganti' }, f.ctx(T0 + MIN));
    const audit = [{ action: 'pause', at: T0 + MIN, candidateId: 2 }];
    const hall = decideSittingPause(f.sitting, false, actor, 'listrik padam', [a, alone.examinee], pctx(T0 + 2 * MIN), false);
    expect(hall.candidates.map((c) => c.examinee.profile.id)).toEqual([1]);
    const paused = [hall.candidates[0].examinee, alone.examinee];
    audit.push({ action: 'sitting-pause', at: T0 + 2 * MIN, candidateId: null as unknown as number });
    expect([...pausedAlone(paused, audit)]).toEqual([2]);
    const resumed = decideSittingPause(f.sitting, true, actor, 'listrik menyala', paused, pctx(T0 + 3 * MIN), true, pausedAlone(paused, audit));
    expect(resumed.candidates.map((c) => [c.examinee.profile.id, c.examinee.attempt!.clock.pausedSince])).toEqual([[1, null]]);
    expect(resumed.writes[0]).toMatchObject({ record: { action: 'sitting-resume', details: { candidates: 1 } } });
    // with the hall running again and only b paused, a resume of the hall has nothing to do
    expect(code(() => decideSittingPause(f.sitting, true, actor, 'lanjut', [resumed.candidates[0].examinee, alone.examinee], pctx(T0 + 4 * MIN), false, pausedAlone(paused, audit)))).toBe('INVALID_STATE');
    // a candidate the hall paused, whose own pause is older, is the hall's to resume
    const older = [{ action: 'pause', at: T0, candidateId: 1 }];
    expect([...pausedAlone(paused, older)]).toEqual([]);
  });

  it('a candidate who starts while the whole hall is paused starts paused, and the hall’s resume resumes them', () => {
    const b = login(f.candidate(2));
    const hall = decideStart(b, { ...f.ctx(T0 + MIN), hallPausedOf: (id) => id === f.sitting.id });
    const e = hall.examinee;
    expect(e.attempt).toMatchObject({ state: 'in_progress', clock: { startedAt: T0 + MIN, pausedSince: T0 + MIN } });
    expect(hall.writes.filter((w) => w.kind === 'log').map((w) => (w.kind === 'log' ? w.event.type : ''))).toEqual(['start', 'pause']);
    expect(hall.notices).toContainEqual({ kind: 'time', event: 'exam:paused' });
    // no answer while the hall is paused, and no time runs off their clock meanwhile
    expect(code(() => decideAnswer(e, { seq: 1, item: 0, choice: 1 }, f.ctx(T0 + 2 * MIN)))).toBe('PAUSED');
    expect(remainingMs(e.attempt!.clock, T0 + 30 * MIN)).toBe(e.attempt!.clock.durationMs);
    // the hall's resume takes them along: they were not paused on their own
    const resumed = decideSittingPause(f.sitting, true, actor, 'lanjut', [e], { now: T0 + 3 * MIN, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 }, true, pausedAlone([e], []));
    expect(resumed.candidates.map((c) => c.examinee.attempt?.clock.pausedSince)).toEqual([null]);
    // and with the hall running a start is not paused
    expect(decideStart(b, { ...f.ctx(T0 + MIN), hallPausedOf: () => false }).examinee.attempt?.clock.pausedSince).toBeNull();
  });

  it('closing ends every attempt in progress or admitted with its answers so far; pause-all pauses each once', () => {
    const a = started();
    const b = login(f.candidate(2));
    const waiting = decideLogin(f.candidate(3), { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0, { requireAdmission: true })).examinee;
    const absent = f.candidate(4);
    const paused = decideSittingPause(f.sitting, false, actor, 'jaringan putus', [a, b], { now: T0 + MIN, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 }, false);
    expect(paused.candidates.map((c) => c.examinee.profile.id)).toEqual([1]);
    // nothing to do is refused rather than written down as "0 candidates": a resume with nobody
    // paused and the hall running, a pause of a hall that is paused already; not running, neither
    const pctx = { now: T0 + MIN, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 };
    expect(code(() => decideSittingPause(f.sitting, true, actor, 'lanjut', [a, b], pctx, false))).toBe('INVALID_STATE');
    expect(code(() => decideSittingPause(f.sitting, false, actor, 'jeda', [paused.candidates[0].examinee, b], pctx, true))).toBe('INVALID_STATE');
    expect(decideSittingPause(f.sitting, true, actor, 'lanjut', [b], pctx, true).writes).toHaveLength(1);
    expect(decideSittingPause(f.sitting, false, actor, 'jeda', [b], pctx, false).writes).toHaveLength(1);
    expect(code(() => decideSittingPause({ ...f.sitting, status: 'open' }, false, actor, 'jeda', [a], pctx, false))).toBe('INVALID_STATE');
    expect(paused.writes).toEqual([{ kind: 'audit', record: expect.objectContaining({ action: 'sitting-pause', details: { candidates: 1 } }) }]);
    const closed = decideSittingStatus(f.sitting, 'closed', actor, 'selesai', [a, b, waiting, absent], { now: T0 + 2 * MIN, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 });
    expect(closed.sitting).toMatchObject({ status: 'closed', closedAt: T0 + 2 * MIN });
    // the admitted one never started: present, a result of blanks, and no finish in the log (it has no start there);
    // the others are absent from now on, and the boards hear of it
    expect(closed.candidates.map((c) => [c.examinee.profile.id, c.examinee.attempt?.endReason ?? null, c.writes.map((w) => w.kind)])).toEqual([
      [1, 'sitting-closed', ['attempt', 'result', 'log', 'receipt']],
      [2, 'sitting-closed', ['paper', 'attempt', 'result']],
      [3, null, []],
      [4, null, []],
    ]);
    expect(closed.candidates.every((c) => c.notices.some((n) => n.kind === 'changed' && n.audience === 'all'))).toBe(true);
    expect(closed.closing).toEqual([{ kind: 'log', sittingId: f.sitting.id, event: { type: 'sitting-close', t: T0 + 2 * MIN } }]);
    expect(() => decideSittingStatus(closed.sitting, 'open', actor, 'buka lagi', [], { now: T0, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 })).toThrow(/cannot become open/);
  });
});
