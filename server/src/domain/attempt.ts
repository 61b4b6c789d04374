import type { CandidateResult } from '../contract/candidate.js';
import { ErrorCode } from '../contract/errors.js';
import { fail, KacaError } from './errors.js';
import { ALERT_REASON, SYSTEM_ACTOR } from './alert-log.js';
import { accept, afterClick, assertNotEnded, attemptRecord, auditRecord, end, ensurePaper, expiry, refuseAfter, type Context, type Decision, type Examinee, type Notice } from './examinee.js';
import { logged, startEvent } from './log-events.js';
import { scoreItem, type SectionScores } from './scoring.js';
import { pause } from './timing.js';
import type { AnswerKind } from './writes.js';

/**
 * The candidate's own commands: start, answer, flag, finish, and the server's time-up. Each is a
 * pure function of the candidate, the command and the context (which carries `now`).
 */

/** Every answer and flag tells proctors and the board: one shared list, not one per click. */
const CHANGED: readonly Notice[] = Object.freeze([{ kind: 'changed', audience: 'all' }]);

/** What an answer or flag acknowledges: the item's state as committed with this seq. */
export interface ItemAck {
  seq: number;
  item: number;
  choice: number | null;
  flagged: boolean;
  /** false when the seq was already applied (a retry): nothing changed */
  applied: boolean;
}

function itemAck(e: Examinee, seq: number, item: number, applied: boolean): ItemAck {
  const v = e.answers.get(item);
  return { seq, item, choice: v < 0 ? null : v, flagged: e.flags.get(item) === 1, applied };
}

/** Starts the clock (once: starting again returns the attempt as it is). */
export function decideStart(e: Examinee, ctx: Context): Decision<void> {
  const a = e.attempt;
  if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
  if (a.state === 'in_progress') return accept(e, undefined);
  assertNotEnded(a);
  if (a.state === 'waiting') fail(ErrorCode.NOT_ADMITTED, 'wait until the proctor admits you');
  if (ctx.sitting.status === 'closed') fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
  if (ctx.sitting.status !== 'running') fail(ErrorCode.SITTING_NOT_OPEN, 'the exam has not started yet: wait for the proctor');
  // papers are dealt when the sitting opens; one dealt for an audit print is the paper too
  const dealt = ensurePaper(e, ctx, ctx.now);
  // a start while the whole hall is paused starts paused too, and the hall's resume resumes it
  // with everyone else (no pause of its own in the audit log: pausedAlone)
  const hallPaused = ctx.hallPausedOf?.(ctx.sitting.id) === true;
  const clock = { ...a.clock, startedAt: ctx.now };
  const attempt = { ...a, state: 'in_progress' as const, clock: hallPaused ? pause(clock, ctx.now) : clock };
  // nothing can be answered before the start, so the sheet's scores are the blank paper's
  const started = dealt.examinee;
  const reg = e.profile.registrationNumber;
  return accept(
    { ...started, attempt, lastChangeAt: ctx.now },
    undefined,
    [
      ...dealt.writes,
      { kind: 'attempt', record: attemptRecord(e.profile.id, attempt) },
      logged(ctx.sitting.id, startEvent(started, started.scores, ctx.now)),
      ...(hallPaused ? [logged(ctx.sitting.id, { type: 'pause', t: ctx.now, reg })] : []),
    ],
    [{ kind: 'changed', audience: 'all' }, ...(hallPaused ? [{ kind: 'time', event: 'exam:paused' } as const] : [])],
  );
}

/**
 * Checks common to answers and flags. Returns the ack of a retry, a decision that ends the
 * attempt (time ran out: the command is refused with TIME_UP once the result is stored), or
 * null when the change may be applied.
 */
function checkItemChange(e: Examinee, seq: number, item: number, ctx: Context): Decision<ItemAck> | null {
  const a = e.attempt;
  if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
  // A retry of a change already applied is acknowledged again, whatever happened since.
  if (seq <= e.lastSeq && e.paper && item < e.paper.length) return accept(e, itemAck(e, seq, item, false));
  if (e.unsavedFrom !== null && seq > e.unsavedFrom) fail(ErrorCode.INTERNAL, `change ${e.unsavedFrom} could not be saved: send it again before this one`);
  assertNotEnded(a);
  if (a.state !== 'in_progress' || !e.paper) fail(ErrorCode.NOT_STARTED, 'the exam has not started');
  const ended = expiry(e, ctx);
  if (ended) return refuseAfter(ended, new KacaError(ErrorCode.TIME_UP, 'time is up: the exam has ended'));
  if (ctx.sitting.status === 'closed') fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
  if (a.clock.pausedSince !== null) fail(ErrorCode.PAUSED, 'the exam is paused by the proctor');
  if (item >= e.paper.length) fail(ErrorCode.UNKNOWN_ITEM, `there is no question ${item + 1} in your paper (1-${e.paper.length})`);
  if (e.storedEvents >= ctx.maxEventsPerItem * e.paper.length) {
    // far past what a person clicks in an exam: stop storing, and tell the proctor once
    const error = new KacaError(ErrorCode.TOO_MANY_CHANGES, 'this exam has stored as many changes as it may: tell the proctor');
    if (e.capReachedAt !== null) throw error;
    const audit = auditRecord(SYSTEM_ACTOR, ctx.now, ctx.sitting.id, e.profile.id, 'change-limit', ALERT_REASON['change-limit'], { stored: e.storedEvents });
    return { examinee: { ...e, capReachedAt: ctx.now }, writes: [{ kind: 'audit', record: audit }], notices: [{ kind: 'changed', audience: 'proctor' }], outcome: { ok: false, error } };
  }
  return null;
}

/** The failed seq a change leaves waiting: none once that seq (or a later one, sent again) is stored. */
function stillUnsaved(e: Examinee, seq: number): number | null {
  return e.unsavedFrom !== null && seq < e.unsavedFrom ? e.unsavedFrom : null;
}

/** Scores and stores one answer: `choice` is the shown position, null clears. */
export function decideAnswer(e: Examinee, cmd: { seq: number; item: number; choice: number | null }, ctx: Context): Decision<ItemAck> {
  const { seq, item, choice } = cmd;
  const early = checkItemChange(e, seq, item, ctx);
  if (early) return early;
  const paper = e.paper!;
  if (choice !== null && choice >= paper.optionCount(item)) fail(ErrorCode.UNKNOWN_OPTION, `question ${item + 1} has options A-${String.fromCharCode(64 + paper.optionCount(item))}`);
  const prev = e.answers.get(item);
  const rules = ctx.catalog.rules;
  const delta = scoreItem(paper, rules, item, choice) - scoreItem(paper, rules, item, prev);
  const kind: AnswerKind = choice === null ? 'clear' : prev < 0 ? 'select' : 'change';
  const answers = e.answers.set(item, choice ?? -1);
  // the sheet's figures follow the change: a section's score moves by this item's delta
  // (scoreItem, the rule scoreSheet sums), so live scores are the final result as it stands
  const scores: SectionScores = {};
  for (const k in e.scores) scores[k] = e.scores[k];
  const section = paper.questions[item].section;
  scores[section] += delta;
  const answered = e.answered + (prev < 0 && choice !== null ? 1 : prev >= 0 && choice === null ? -1 : 0);
  const next = afterClick(e, { answers, flags: e.flags, scores, answered, flagged: e.flagged }, seq, item, ctx.now, stillUnsaved(e, seq));
  const optionIndex = choice === null ? null : paper.bankIndex(item, choice);
  return accept(next, itemAck(next, seq, item, true), [
    { kind: 'log', sittingId: ctx.sitting.id, event: { type: 'answer', t: ctx.now, reg: e.profile.registrationNumber, item, section, choice, delta, seq } },
    { kind: 'answer', record: { candidateId: e.profile.id, sittingId: ctx.sitting.id, item, kind, choice, optionIndex, clientSeq: seq, serverTs: ctx.now, scoreDelta: delta } },
  ], CHANGED);
}

/** Marks an item unsure ("ragu-ragu") or not. */
export function decideFlag(e: Examinee, cmd: { seq: number; item: number; flagged: boolean }, ctx: Context): Decision<ItemAck> {
  const { seq, item, flagged } = cmd;
  const early = checkItemChange(e, seq, item, ctx);
  if (early) return early;
  const was = e.flags.get(item) === 1;
  const flags = e.flags.set(item, flagged ? 1 : 0);
  const next = afterClick(e, { answers: e.answers, flags, scores: e.scores, answered: e.answered, flagged: e.flagged + (was === flagged ? 0 : flagged ? 1 : -1) }, seq, item, ctx.now, stillUnsaved(e, seq));
  return accept(next, itemAck(next, seq, item, true), [
    { kind: 'log', sittingId: ctx.sitting.id, event: { type: 'flag', t: ctx.now, reg: e.profile.registrationNumber, item, flagged, seq } },
    { kind: 'answer', record: { candidateId: e.profile.id, sittingId: ctx.sitting.id, item, kind: flagged ? 'flag' : 'unflag', choice: null, optionIndex: null, clientSeq: seq, serverTs: ctx.now, scoreDelta: 0 } },
  ], CHANGED);
}

/** The candidate ends the exam; finishing again returns the same result. */
export function decideFinish(e: Examinee, ctx: Context): Decision<CandidateResult> {
  const a = e.attempt;
  if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
  if (a.state === 'finished' && e.result) return accept(e, e.result);
  assertNotEnded(a);
  if (a.state !== 'in_progress') fail(ErrorCode.NOT_STARTED, 'the exam has not started');
  const ended = expiry(e, ctx);
  if (ended) return refuseAfter(ended, new KacaError(ErrorCode.TIME_UP, 'time is up: the exam has ended'));
  return end(e, 'candidate', ctx.now, ctx);
}

/** The server's sweep: ends an attempt whose time ran out, connected or not. */
export function decideExpire(e: Examinee, ctx: Context): Decision<void> {
  const ended = expiry(e, ctx);
  return ended ? { ...ended, outcome: { ok: true, value: undefined } } : accept(e, undefined);
}

/**
 * A change refused before it was decided (the connection sent more than a person clicks): like a
 * failed commit, later seqs wait for this one to be sent again, so none overtakes it.
 */
export function decideRateLimited(e: Examinee, seq: number, retryAfterMs: number): Decision<ItemAck> {
  const error = new KacaError(ErrorCode.RATE_LIMITED, 'too many changes at once: they are sent again in a moment', { retryAfterMs });
  return { examinee: markUnsaved(e, [seq]), writes: [], notices: [], outcome: { ok: false, error } };
}

/**
 * After a failed commit of these seqs: memory is as before the commit, and later seqs wait for
 * the first of them to be sent again (see Examinee.unsavedFrom).
 */
export function markUnsaved(e: Examinee, seqs: readonly number[]): Examinee {
  const pending = seqs.filter((s) => s > e.lastSeq);
  if (pending.length === 0) return e;
  const first = Math.min(...pending);
  return { ...e, unsavedFrom: e.unsavedFrom === null ? first : Math.min(e.unsavedFrom, first) };
}
