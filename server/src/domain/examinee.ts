import type { AttemptState, CandidateResult } from '../contract/candidate.js';
import { ErrorCode } from '../contract/errors.js';
import type { Catalog, Sitting } from './catalog.js';
import { dealPaper } from './deal.js';
import { dealSeed, finishWrites } from './log-events.js';
import { KacaError } from './errors.js';
import { LivePaper } from './paper.js';
import { Sheet } from './sheet.js';
import { evaluate, scoreSheet, sectionMaximums, thresholdSetFor, totalOf, type SectionScores } from './scoring.js';
import { deadline, resume, type Clock } from './timing.js';
import type { AttemptRecord, AuditRecord, LoginRecord, Write } from './writes.js';

/** Roster facts about a candidate: fixed for the sitting. */
interface Profile {
  id: number;
  sittingId: string;
  registrationNumber: string;
  name: string;
  formation: string;
  group: string;
  extraMinutes: number;
  photoUrl: string | null;
  seat: string | null;
  pinHash: string;
}

export interface Login {
  failedLogins: number;
  lockedAt: number | null;
  /** bumped by a proctor's login reset; a session of an older generation is refused */
  loginGeneration: number;
  /** the generation a session was last issued in: equal to loginGeneration = logged in */
  sessionGeneration: number | null;
  /** the last failed login (memory only: an alert for the proctor) */
  lastFailedAt: number | null;
}

export interface Attempt {
  state: AttemptState;
  admittedAt: number | null;
  clock: Clock;
  endedAt: number | null;
  endReason: string | null;
}

/**
 * A candidate as the rules know them: everything a decision needs and nothing of the transport.
 * Treated as immutable: a decision returns a new Examinee, and the shell keeps it only once the
 * decision's writes are on disk.
 */
export interface Examinee {
  readonly profile: Profile;
  readonly login: Login;
  readonly attempt: Attempt | null;
  readonly paper: LivePaper | null;
  /** shown option per item, -1 = blank; flags 1 = unsure (persistent arrays: see sheet.ts) */
  readonly answers: Sheet;
  readonly flags: Sheet;
  /** highest client sequence number applied */
  readonly lastSeq: number;
  /** server time of the last stored change of the candidate's own */
  readonly lastChangeAt: number | null;
  /** the item of that change: where the exam resumes on another PC */
  readonly lastItem: number | null;
  /**
   * A commit of this seq failed (memory only). Later seqs are refused until it is sent again, so
   * a seq is never stored without one before it that the client is about to retry.
   */
  readonly unsavedFrom: number | null;
  /** answer and flag events stored for this attempt, against the cap (Context.maxEventsPerItem) */
  readonly storedEvents: number;
  /** when a change was first refused for the cap (memory only: an alert for the proctor) */
  readonly capReachedAt: number | null;
  /** derived from paper and answers by scoreSheet, kept for cheap views */
  readonly scores: SectionScores;
  readonly answered: number;
  readonly flagged: number;
  readonly result: CandidateResult | null;
}

/** What a decision may look at besides the candidate. */
export interface Context {
  now: number;
  sitting: Sitting;
  catalog: Catalog;
  /** the receipt id certifying a result (an HMAC under the server secret) */
  receiptId(payload: string): string;
  /** stored answer and flag events an attempt may have, per item of its paper */
  maxEventsPerItem: number;
  /** whether a sitting-wide pause holds the hall's clock now (not given: it does not); asked only by a start */
  hallPausedOf?: (sittingId: string) => boolean;
}

/** What the shell must hear of a decision once its writes are on disk. */
export type Notice =
  /** the candidate's rows changed: proctors only, or the public board too */
  | { kind: 'changed'; audience: 'all' | 'proctor' }
  | { kind: 'admitted' }
  /** a new clock for the candidate; never the proctor's reason, which is for the berita acara */
  | { kind: 'time'; event: 'time:adjusted' | 'exam:paused' | 'exam:resumed'; addedMs?: number }
  | { kind: 'ended' }
  | { kind: 'revoked'; reason: string };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: KacaError };

/**
 * The core's answer to a command: the candidate afterwards, what to store, what to tell, and the
 * reply. A refusal that changes nothing is thrown as a KacaError instead; a refusal that does
 * change something (a failed PIN is counted, time ran out) is an outcome with ok: false.
 */
export interface Decision<T> {
  examinee: Examinee;
  writes: Write[];
  notices: readonly Notice[];
  outcome: Outcome<T>;
}

export function accept<T>(examinee: Examinee, value: T, writes: Write[] = [], notices: readonly Notice[] = []): Decision<T> {
  return { examinee, writes, notices, outcome: { ok: true, value } };
}

export function refuseAfter<T>(d: Decision<unknown>, error: KacaError): Decision<T> {
  return { ...d, outcome: { ok: false, error } };
}

export function attemptRecord(candidateId: number, a: Attempt): AttemptRecord {
  const c = a.clock;
  return { candidateId, state: a.state, admittedAt: a.admittedAt, startedAt: c.startedAt, durationMs: c.durationMs, extensionMs: c.extensionMs, pausedMs: c.pausedMs, pausedSince: c.pausedSince, endedAt: a.endedAt, endReason: a.endReason };
}

export function loginRecord(e: Examinee, login: Login): LoginRecord {
  return { candidateId: e.profile.id, failedLogins: login.failedLogins, lockedAt: login.lockedAt, loginGeneration: login.loginGeneration, sessionGeneration: login.sessionGeneration };
}

export function auditRecord(actor: Actor, at: number, sittingId: string, candidateId: number | null, action: string, reason: string, details: unknown = null): AuditRecord {
  return { at, actorId: actor.id, actorName: actor.name, actorRole: actor.role, sittingId, candidateId, action, reason, details };
}

/** Who did something, for the audit log. */
export interface Actor {
  id: number | null;
  name: string;
  role: string;
}

/**
 * A candidate's answer and flag events folded as they are read back (last event per item wins):
 * start-up replays a hall's events one at a time into these, never holding them as objects.
 */
export class Replay {
  readonly answers: number[];
  readonly flags: number[];
  lastSeq = 0;
  lastChangeAt: number | null = null;
  lastItem: number | null = null;
  events = 0;

  constructor(items: number) {
    this.answers = new Array<number>(items).fill(-1);
    this.flags = new Array<number>(items).fill(0);
  }

  add(item: number, kind: string, choice: number | null, clientSeq: number, serverTs: number): void {
    this.events++;
    if (clientSeq > this.lastSeq) this.lastSeq = clientSeq;
    this.lastChangeAt = serverTs;
    this.lastItem = item;
    // an event beyond the paper (none is ever stored) would only be ignored
    if (item >= this.answers.length) return;
    if (kind === 'flag' || kind === 'unflag') this.flags[item] = kind === 'flag' ? 1 : 0;
    else this.answers[item] = choice ?? -1;
  }
}

/** The stored parts of a candidate, as read back from the database. */
export interface StoredCandidate {
  profile: Profile;
  login: Omit<Login, 'lastFailedAt'>;
  attempt: Attempt | null;
  paper: LivePaper | null;
  /** the answer and flag events, replayed */
  replay: Replay | null;
  result: { sections: SectionScores; receiptId: string; receipt: string | null; finishedAt: number; endReason: string } | null;
}

/** Rebuilds a candidate from what is stored. */
export function restore(stored: StoredCandidate, catalog: Catalog): Examinee {
  const n = stored.paper?.length ?? 0;
  const r0 = stored.replay ?? new Replay(n);
  const answers = r0.answers.length === n ? r0.answers : new Array<number>(n).fill(-1);
  const flags = r0.flags.length === n ? r0.flags : new Array<number>(n).fill(0);
  const { lastSeq, lastChangeAt } = r0;
  const lastItem = r0.lastItem !== null && r0.lastItem < n ? r0.lastItem : null;
  const base: Examinee = {
    profile: stored.profile,
    login: { ...stored.login, lastFailedAt: null },
    attempt: stored.attempt,
    paper: stored.paper,
    answers: Sheet.filled(0, -1),
    flags: Sheet.filled(0, 0),
    lastSeq,
    lastChangeAt,
    lastItem,
    unsavedFrom: null,
    storedEvents: r0.events,
    capReachedAt: null,
    scores: {},
    answered: 0,
    flagged: 0,
    result: null,
  };
  const e = withSheet(base, Sheet.of(answers), Sheet.of(flags), catalog);
  const r = stored.result;
  return r && e.paper ? { ...e, result: { ...candidateResult(e, catalog, r.sections, r.receiptId, r.finishedAt, r.endReason), receipt: r.receipt } } : e;
}

/**
 * The candidate after a click: written out field by field, because this runs for every answer
 * and V8 copies an object of this many fields through a spread about fifteen times slower.
 */
export function afterClick(
  e: Examinee,
  sheet: { answers: Sheet; flags: Sheet; scores: SectionScores; answered: number; flagged: number },
  seq: number,
  item: number,
  at: number,
  unsavedFrom: number | null,
): Examinee {
  return {
    profile: e.profile,
    login: e.login,
    attempt: e.attempt,
    paper: e.paper,
    answers: sheet.answers,
    flags: sheet.flags,
    lastSeq: seq,
    lastChangeAt: at,
    lastItem: item,
    unsavedFrom,
    storedEvents: e.storedEvents + 1,
    capReachedAt: e.capReachedAt,
    scores: sheet.scores,
    answered: sheet.answered,
    flagged: sheet.flagged,
    result: e.result,
  };
}

/** A candidate with new answers or flags, and the figures derived from them. */
export function withSheet(e: Examinee, answers: Sheet, flags: Sheet, catalog: Catalog): Examinee {
  const answered = answers.count(-1);
  const flagged = flags.count(0);
  const scores = e.paper ? scoreSheet(catalog.template, e.paper, catalog.rules, answers) : Object.fromEntries(catalog.template.sections.map((s) => [s.id, 0]));
  return { ...e, answers, flags, scores, answered, flagged };
}

/** The candidate's paper: the stored one, or dealt now from the sitting's seed (deterministic). */
export function ensurePaper(e: Examinee, ctx: Context, at: number): { examinee: Examinee; writes: Write[] } {
  if (e.paper) return { examinee: e, writes: [] };
  const seed = dealSeed(ctx.sitting);
  if (seed === null) throw new KacaError(ErrorCode.INVALID_STATE, `papers are dealt when the sitting starts, from the seed mixed with beacon round ${ctx.sitting.beaconRound}`);
  const items = dealPaper(ctx.catalog.plan, seed, e.profile.registrationNumber).items;
  const paper = LivePaper.from(items, ctx.catalog.questions);
  const examinee = withSheet({ ...e, paper }, Sheet.filled(items.length, -1), Sheet.filled(items.length, 0), ctx.catalog);
  return { examinee, writes: [{ kind: 'paper', candidateId: e.profile.id, items, dealtAt: at }] };
}

function candidateResult(e: Examinee, catalog: Catalog, sections: SectionScores, receiptId: string, finishedAt: number, endReason: string): CandidateResult {
  const evaluation = evaluate(catalog.template, sections, e.profile.group, endReason);
  const set = thresholdSetFor(catalog.template, e.profile.group);
  return {
    sections: evaluation.sections,
    sectionTitles: Object.fromEntries(catalog.template.sections.map((x) => [x.id, x.title])),
    total: evaluation.total,
    maxTotal: totalOf(sectionMaximums(catalog.template, e.paper!)),
    passed: evaluation.passed,
    thresholdSet: set.id,
    thresholdSetName: set.name,
    failures: evaluation.failures,
    receiptId,
    receipt: null,
    finishedAt,
    endReason,
  };
}

/**
 * Ends an attempt (the candidate finished, time ran out, a proctor terminated it, the sitting
 * closed) and stores its result: the scores of the sheet as it stands. `at` is when it ended,
 * which for time-up is the deadline, not the moment the server noticed.
 */
export function end(e: Examinee, reason: 'candidate' | 'time' | 'terminated' | 'sitting-closed', at: number, ctx: Context): Decision<CandidateResult> {
  // a candidate who never started still gets a result on the paper they would have had
  const dealt = ensurePaper(e, ctx, at);
  const x = dealt.examinee;
  const a = x.attempt!;
  const clock = a.clock.pausedSince !== null ? resume(a.clock, at) : a.clock;
  const attempt: Attempt = { ...a, clock, state: reason === 'terminated' ? 'terminated' : 'finished', endedAt: at, endReason: reason };
  // the result is the sheet scored whole, item by item: the sum the live scores kept up to date
  const sections = scoreSheet(ctx.catalog.template, x.paper!, ctx.catalog.rules, x.answers);
  const evaluation = evaluate(ctx.catalog.template, sections, x.profile.group, reason);
  const receipt = ctx.receiptId(`${ctx.sitting.id}|${x.profile.registrationNumber}|${JSON.stringify(sections)}|${at}|${reason}`);
  const ended: Examinee = { ...x, attempt };
  const result = candidateResult(ended, ctx.catalog, sections, receipt, at, reason);
  const writes: Write[] = [
    ...dealt.writes,
    { kind: 'attempt', record: attemptRecord(x.profile.id, attempt) },
    {
      kind: 'result',
      record: { candidateId: x.profile.id, sittingId: ctx.sitting.id, sections, total: evaluation.total, thresholdSet: evaluation.thresholdSet, passed: evaluation.passed, receiptId: receipt, finishedAt: at, endReason: reason },
    },
    ...finishWrites(ended, reason, sections, ctx.catalog.template, at),
  ];
  return accept({ ...ended, result }, result, writes, [{ kind: 'ended' }, { kind: 'changed', audience: 'all' }]);
}

/** The candidate once the writer has signed their receipt (it signs over the log as committed, so after the decision). */
export function withReceipt(e: Examinee, note: string): Examinee {
  return e.result ? { ...e, result: { ...e.result, receipt: note } } : e;
}

/** The end of an attempt whose time ran out, if it has: the deadline is when it ended. */
export function expiry(e: Examinee, ctx: Context): Decision<CandidateResult> | null {
  const a = e.attempt;
  if (!a || a.state !== 'in_progress') return null;
  const d = deadline(a.clock);
  if (d === null || d > ctx.now) return null;
  return end(e, 'time', d, ctx);
}

export function assertNotEnded(a: Attempt): void {
  if (a.state === 'finished') throw new KacaError(ErrorCode.FINISHED, 'the exam is finished: answers can no longer change');
  if (a.state === 'terminated') throw new KacaError(ErrorCode.TERMINATED, 'the exam was ended by the proctor');
}

/** The rows of an attempt in progress: refuses anything else, ending the attempt if its time is up. */
export function inProgress<T>(e: Examinee, ctx: Context, timeUpMessage: string): Attempt | Decision<T> {
  const a = e.attempt;
  if (!a || a.state !== 'in_progress') throw new KacaError(ErrorCode.INVALID_STATE, `the candidate's exam is not in progress (${a?.state ?? 'not logged in'})`);
  const ended = expiry(e, ctx);
  if (ended) return refuseAfter<T>(ended, new KacaError(ErrorCode.TIME_UP, timeUpMessage));
  return a;
}
