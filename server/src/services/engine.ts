import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { ErrorCode } from '../contract/errors.js';
import type { ExamTemplate } from '../contract/exam.js';
import {
  AnswerSubmitSchema,
  ClientReportSchema,
  EmptySchema,
  CandidateLoginSchema,
  FlagSetSchema,
  type AnswerAck,
  type AnswerSubmit,
  type CandidateItem,
  type CandidateLoginResult,
  type CandidateResult,
  type CandidateState,
  type PracticeItem,
  type SectionInfo,
  type TimePush,
} from '../contract/candidate.js';
import type { AuditEntry, ProctorAlert, ProctorRow, ProctorSnapshot, SittingInfo } from '../contract/proctor.js';
import type { ScoreRow, ScoreboardSitting, ScoreboardSnapshot } from '../contract/scoreboard.js';
import { KacaError } from '../domain/errors.js';
import { compareEntries } from '../domain/ranking.js';
import { emptyScores, evaluate, scoreChoice, sectionMaximums, thresholdSetFor } from '../domain/scoring.js';
import { deadline, extend, pause, remainingMs, resume } from '../domain/timing.js';
import { currentToken, isTokenValid, type TokenPolicy } from '../domain/token.js';
import type { AnswerEventRow, AnswerKind, NewAnswerEvent } from '../db/repositories/answers.js';
import type { AccountRow } from '../db/repositories/accounts.js';
import type { AttemptRow } from '../db/repositories/attempts.js';
import type { CandidateRow } from '../db/repositories/candidates.js';
import type { ResultRow } from '../db/repositories/results.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import { dealPaper, type PaperItem } from '../domain/deal.js';
import type { AttemptState } from '../contract/candidate.js';
import type { SittingCatalog } from './catalog.js';
import type { KacaStore } from './kaca.js';
import { LivePaper, type LiveAttempt, type LiveCandidate } from './live.js';
import { receiptId, verifyPassword, verifyPin } from './secrets.js';
import { InlineWriter, ThreadWriter, type DurableWriter } from './writer.js';
import type { WriteOp } from '../db/write-ops.js';
import type { NewAudit } from '../db/repositories/audit.js';
import { maskName } from './mask.js';
import { practiceBank } from '../../../question-bank/index.js';
import { parse } from '../domain/payload.js';
import { RawJson } from './raw-json.js';
import type { Question } from '../contract/question.js';

/** A question's candidate-facing JSON, kept on the catalog's own question object (see candidateItems). */
const FRAGMENT = Symbol('candidate-json');
type Fragment = { head: string; options: string[] };

/** A question's text as JSON pieces, serialized once and kept on the (immutable, cached) question. */
function fragment(q: Question): Fragment {
  const held = q as Question & { [FRAGMENT]?: Fragment };
  return (held[FRAGMENT] ??= { head: `"section":${JSON.stringify(q.section)},"stem":${JSON.stringify(q.stem)}`, options: q.options.map((o) => JSON.stringify(o)) });
}

/** What the engine hands the transport: the paper's items are JSON text already (see candidateItems). */
export type ServerCandidateState = Omit<CandidateState, 'items'> & { items: RawJson<CandidateItem[]> | null };

/** What the transport layer hears from the engine. */
export interface EngineListener {
  /**
   * A candidate's row changed, coalesced by the listener. 'proctor' changes (connection, failed
   * logins, client reports) are of no interest to the public scoreboard.
   */
  candidateChanged(sittingId: string, candidateId: number, audience?: 'all' | 'proctor'): void;
  /** something to send to the candidate's own connection */
  toCandidate(candidateId: number, event: string, payload: unknown): void;
  /** the candidate's session is revoked: close their connection */
  revokeSession(candidateId: number, reason: string): void;
  sittingChanged(sittingId: string): void;
  audited(sittingId: string | null, entry: AuditEntry): void;
}

const NOOP: EngineListener = {
  candidateChanged() {},
  toCandidate() {},
  revokeSession() {},
  sittingChanged() {},
  audited() {},
};

export interface Actor {
  id: number | null;
  name: string;
  role: string;
}

const OPEN_STATUSES = new Set(['open', 'running']);
const MINUTE = 60_000;

function fail(code: ErrorCode, message: string, details?: unknown): never {
  throw new KacaError(code, message, details);
}

/** For events that take no arguments. */
export function expectEmpty(payload: unknown, event: string): void {
  if (!EmptySchema.safeParse(payload).success) fail(ErrorCode.BAD_REQUEST, `${event} takes no arguments`);
}

/**
 * The exam engine: candidates, proctors and scoreboards of every open sitting, in memory and
 * durable in SQLite. It knows nothing of sockets or HTTP; `listener` carries its pushes out.
 */
export class ExamEngine {
  readonly writer: DurableWriter;
  private listener: EngineListener = NOOP;
  private readonly live = new Map<number, LiveCandidate>();
  private readonly sittings = new Map<string, SittingRow>();
  /** candidates of each sitting that have an attempt in progress, for the expiry sweep */
  private readonly running = new Set<number>();
  /** registration number -> loaded candidates (one per sitting they are on) */
  private readonly byRegistration = new Map<string, number[]>();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: KacaStore,
    private readonly config: Config,
    private readonly now: () => number = Date.now,
    onWriterError: (err: Error) => void = () => undefined,
  ) {
    const sqlite = store.handle.sqlite;
    this.writer = sqlite.memory ? new InlineWriter(sqlite) : new ThreadWriter(sqlite.name, onWriterError);
  }

  /** The server's clock: the only time there is. */
  time(): number {
    return this.now();
  }

  setListener(listener: EngineListener): void {
    this.listener = listener;
  }

  /** Loads every open or running sitting, finishes candidates whose time ran out while down, starts the sweep. */
  async start(): Promise<void> {
    await this.writer.ready();
    for (const s of this.store.repos.sittings.list()) {
      this.sittings.set(s.id, s);
      if (OPEN_STATUSES.has(s.status)) this.loadSitting(s.id);
    }
    this.sweep();
    this.sweepTimer = setInterval(() => this.sweep(), this.config.expirySweepMs);
    this.sweepTimer.unref();
  }

  /** Stops the sweep and waits until every write submitted so far is on disk. */
  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await this.writer.close();
  }

  // ---------------------------------------------------------------- loading

  private sitting(id: string): SittingRow {
    let s = this.sittings.get(id);
    if (!s) {
      s = this.store.repos.sittings.get(id);
      if (!s) fail(ErrorCode.NOT_FOUND, `no sitting ${id}`);
      this.sittings.set(id, s);
    }
    return s;
  }

  private catalog(s: SittingRow): SittingCatalog {
    return this.store.catalog.forSitting(s);
  }

  private template(s: SittingRow): ExamTemplate {
    return this.catalog(s).template;
  }

  /** The live candidate, loaded from the database (events replayed) on first use. */
  private get(candidateId: number): LiveCandidate {
    const cached = this.live.get(candidateId);
    if (cached) return cached;
    const row = this.store.repos.candidates.get(candidateId);
    if (!row) fail(ErrorCode.NOT_FOUND, `no candidate ${candidateId}`);
    const r = this.store.repos;
    return this.makeLive(row, r.attempts.get(candidateId), r.papers.get(candidateId), r.answers.byCandidate(candidateId), r.results.get(candidateId));
  }

  /**
   * Loads every candidate of a sitting in a few queries, so that a hall logging in at the same
   * minute finds everyone in memory instead of each login querying the database.
   */
  private loadSitting(sittingId: string): void {
    const r = this.store.repos;
    const rows = r.candidates.listBySitting(sittingId).filter((c) => !this.live.has(c.id));
    if (rows.length === 0) return;
    const attempts = new Map(r.attempts.listBySitting(sittingId).map((a) => [a.candidateId, a]));
    const papers = r.papers.many(rows.map((c) => c.id));
    const events = new Map<number, AnswerEventRow[]>();
    for (const e of r.answers.bySitting(sittingId)) {
      let list = events.get(e.candidateId);
      if (!list) events.set(e.candidateId, (list = []));
      list.push(e);
    }
    const results = new Map(r.results.bySitting(sittingId).map((x) => [x.candidateId, x]));
    // Papers are dealt for the whole hall at once when the sitting opens, so the synchronised
    // login writes nothing bulky: dealing is deterministic, the stored copy is for audit.
    const s = this.sitting(sittingId);
    // every question's text serialized now, while the hall is still arriving, not at the login rush
    for (const q of this.catalog(s).questions.values()) fragment(q);
    const missing = rows.filter((row) => !papers.has(row.id));
    if (missing.length > 0) {
      const plan = this.catalog(s).plan;
      const now = this.now();
      for (const row of missing) papers.set(row.id, dealPaper(plan, s.seed, row.registrationNumber).items);
      this.store.handle.sqlite.transaction(() => {
        for (const row of missing) r.papers.insert(row.id, papers.get(row.id)!, now);
      })();
    }
    for (const row of rows) this.makeLive(row, attempts.get(row.id), papers.get(row.id), events.get(row.id) ?? [], results.get(row.id));
  }

  private makeLive(row: CandidateRow, a: AttemptRow | undefined, items: PaperItem[] | undefined, events: AnswerEventRow[], r: ResultRow | undefined): LiveCandidate {
    const s = this.sitting(row.sittingId);
    const cat = this.catalog(s);
    const paper = items ? LivePaper.from(items, cat.questions) : null;
    const n = paper?.length ?? 0;
    const live: LiveCandidate = {
      row,
      attempt: a
        ? {
            state: a.state as AttemptState,
            admittedAt: a.admittedAt,
            clock: { startedAt: a.startedAt, durationMs: a.durationMs, extensionMs: a.extensionMs, pausedMs: a.pausedMs, pausedSince: a.pausedSince },
            endedAt: a.endedAt,
            endReason: a.endReason,
          }
        : null,
      paper,
      answers: new Int8Array(n).fill(-1),
      flags: new Uint8Array(n),
      lastSeq: 0,
      scores: emptyScores(cat.template),
      answered: 0,
      flagged: 0,
      connections: 0,
      lastActivity: null,
      alerts: new Map(),
      result: null,
      pending: 0,
      stale: false,
    };
    if (paper) {
      for (const e of events) {
        live.lastSeq = Math.max(live.lastSeq, e.clientSeq);
        live.lastActivity = e.serverTs;
        if (e.kind === 'flag' || e.kind === 'unflag') live.flags[e.item] = e.kind === 'flag' ? 1 : 0;
        else live.answers[e.item] = e.choice ?? -1;
      }
      this.recount(live, cat);
    }
    if (r && paper) live.result = this.toCandidateResult(live, s, r.sections, r.receiptId, r.finishedAt, r.endReason);
    if (row.lockedAt) live.alerts.set('login-locked', { kind: 'login-locked', at: row.lockedAt, count: row.failedLogins });
    this.live.set(row.id, live);
    let regs = this.byRegistration.get(row.registrationNumber);
    if (!regs) this.byRegistration.set(row.registrationNumber, (regs = []));
    if (!regs.includes(row.id)) regs.push(row.id);
    if (live.attempt?.state === 'in_progress') this.running.add(row.id);
    return live;
  }

  private recount(live: LiveCandidate, cat: SittingCatalog): void {
    const scores = emptyScores(cat.template);
    let answered = 0;
    let flagged = 0;
    const paper = live.paper!;
    for (let i = 0; i < paper.length; i++) {
      const q = paper.questions[i];
      const shown = live.answers[i];
      if (shown >= 0) answered++;
      if (live.flags[i]) flagged++;
      scores[q.section] += scoreChoice(q, cat.sectionRules.get(q.section)!, shown >= 0 ? paper.bankIndex(i, shown) : null);
    }
    live.scores = scores;
    live.answered = answered;
    live.flagged = flagged;
  }

  /** Drops the in-memory copy so the next use reloads from disk (after a failed commit). */
  private forget(candidateId: number): void {
    const l = this.live.get(candidateId);
    this.live.delete(candidateId);
    this.running.delete(candidateId);
    if (l) {
      const regs = this.byRegistration.get(l.row.registrationNumber);
      if (regs) regs.splice(regs.indexOf(candidateId), 1);
      const fresh = this.get(candidateId);
      fresh.connections = l.connections;
      fresh.alerts = l.alerts;
    }
  }

  // ---------------------------------------------------------------- sessions

  private sign(text: string): string {
    return createHmac('sha256', this.store.secret).update(text).digest('base64url').slice(0, 32);
  }

  private static safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  private tokenPolicy(s: SittingRow): TokenPolicy {
    return { secret: s.tokenSecret, intervalMs: s.tokenIntervalSec * 1000, graceMs: this.config.tokenGraceMinutes * MINUTE };
  }

  /**
   * Registration number + PIN (+ the sitting token). A candidate already logged in is refused
   * until a proctor resets the login, so a second PC cannot take over a running exam.
   */
  async candidateLogin(input: unknown): Promise<CandidateLoginResult> {
    const { registrationNumber, pin, token, sittingId } = parse(CandidateLoginSchema, input, 'login', 'body');
    const now = this.now();
    // Open sittings are in memory; only a candidate of no open sitting costs a query.
    const loaded = (this.byRegistration.get(registrationNumber) ?? []).map((id) => this.live.get(id)!.row);
    const rows = (loaded.some((c) => OPEN_STATUSES.has(this.sitting(c.sittingId).status)) ? loaded : this.store.repos.candidates.allByRegistration(registrationNumber)).filter(
      (c) => !sittingId || c.sittingId === sittingId,
    );
    const bad = () => fail(ErrorCode.INVALID_CREDENTIALS, 'registration number or PIN is wrong');
    if (rows.length === 0) bad();
    const open = rows.filter((c) => OPEN_STATUSES.has(this.sitting(c.sittingId).status));
    if (open.length === 0) {
      const statuses = rows.map((c) => this.sitting(c.sittingId).status);
      if (statuses.includes('scheduled')) fail(ErrorCode.SITTING_NOT_OPEN, 'the sitting is not open yet: wait for the proctor');
      fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
    }
    if (open.length > 1) fail(ErrorCode.BAD_REQUEST, 'this registration number is on more than one open sitting: give sittingId');
    const live = this.get(open[0].id);
    const s = this.sitting(live.row.sittingId);
    if (live.row.lockedAt) fail(ErrorCode.LOGIN_LOCKED, 'too many failed logins: ask the proctor to reset your login');
    if (!verifyPin(pin, live.row.pinHash, this.store.secret)) {
      // Counted in memory at once, so that guesses arriving together are all counted.
      const failedLogins = live.row.failedLogins + 1;
      const row = (live.row = { ...live.row, failedLogins, lockedAt: failedLogins >= this.config.lockAfterFailedLogins ? (live.row.lockedAt ?? now) : live.row.lockedAt });
      await this.commitOrForget(live, [loginStateOp(row)]);
      live.alerts.set('failed-logins', { kind: 'failed-logins', at: now, count: row.failedLogins });
      if (row.lockedAt) {
        live.alerts.set('login-locked', { kind: 'login-locked', at: now, count: row.failedLogins });
        this.listener.candidateChanged(s.id, live.row.id, 'proctor');
        fail(ErrorCode.LOGIN_LOCKED, 'too many failed logins: ask the proctor to reset your login');
      }
      this.listener.candidateChanged(s.id, live.row.id, 'proctor');
      bad();
    }
    if (s.requireToken) {
      if (!token) fail(ErrorCode.TOKEN_REQUIRED, 'this sitting needs the token shown by the proctor');
      if (!isTokenValid(this.tokenPolicy(s), token, now)) fail(ErrorCode.TOKEN_INVALID, 'the token is wrong or has expired: use the token shown now');
    }
    if (live.row.sessionGeneration === live.row.loginGeneration) {
      fail(ErrorCode.ALREADY_CONNECTED, 'you are already logged in on another PC: ask the proctor to reset your login');
    }
    const gen = live.row.loginGeneration;
    // Marked in memory at once so that a second login in the same tick is refused too.
    live.row = { ...live.row, sessionGeneration: gen, failedLogins: 0 };
    let attemptRow: AttemptRow | null = null;
    if (!live.attempt) {
      const durationMs = Math.round((this.template(s).durationMinutes + live.row.extraMinutes) * MINUTE);
      attemptRow = { candidateId: live.row.id, state: s.requireAdmission ? 'waiting' : 'admitted', admittedAt: s.requireAdmission ? null : now, startedAt: null, durationMs, extensionMs: 0, pausedMs: 0, pausedSince: null, endedAt: null, endReason: null };
      live.attempt = { state: attemptRow.state as AttemptState, admittedAt: attemptRow.admittedAt, clock: { startedAt: null, durationMs, extensionMs: 0, pausedMs: 0, pausedSince: null }, endedAt: null, endReason: null };
    }
    const ops: WriteOp[] = [loginStateOp(live.row)];
    if (attemptRow) ops.push({ op: 'attempt-create', row: attemptRow });
    await this.commitOrForget(live, ops);
    live.alerts.delete('failed-logins');
    live.lastActivity = now;
    this.listener.candidateChanged(s.id, live.row.id);
    return { session: `${live.row.id}.${gen}.${this.sign(`cand:${live.row.id}:${gen}`)}`, candidateId: live.row.id, sittingId: s.id };
  }

  /** Checks a candidate session; a login reset by a proctor revokes every older session. */
  authenticateCandidate(session: unknown): number {
    if (typeof session !== 'string') fail(ErrorCode.UNAUTHORIZED, 'log in first');
    const [id, gen, sig] = session.split('.');
    if (!id || !gen || !sig || !ExamEngine.safeEqual(sig, this.sign(`cand:${id}:${gen}`))) fail(ErrorCode.UNAUTHORIZED, 'invalid session: log in again');
    const live = this.get(Number(id));
    if (live.row.loginGeneration !== Number(gen)) fail(ErrorCode.UNAUTHORIZED, 'this login was reset by the proctor: log in again');
    return live.row.id;
  }

  candidateConnected(candidateId: number): void {
    const live = this.get(candidateId);
    live.connections++;
    live.lastActivity = this.now();
    this.listener.candidateChanged(live.row.sittingId, candidateId, 'proctor');
  }

  candidateDisconnected(candidateId: number): void {
    const live = this.live.get(candidateId);
    if (!live) return;
    live.connections = Math.max(0, live.connections - 1);
    this.listener.candidateChanged(live.row.sittingId, candidateId, 'proctor');
  }

  // ---------------------------------------------------------------- candidate state

  private sectionInfo(s: SittingRow): SectionInfo[] {
    const template = this.template(s);
    const out: SectionInfo[] = [];
    let from = 0;
    for (const sec of template.sections) {
      out.push({ id: sec.id, title: sec.title, from, to: from + sec.questionCount - 1 });
      from += sec.questionCount;
    }
    return out;
  }

  /**
   * The candidate's view of their paper. This is the only place questions are turned into
   * what a candidate receives: stem and options in the shuffled order, nothing else. Built as
   * JSON text from per-question fragments, each serialized once: a hall logging in at once
   * would otherwise serialize the same question texts thousands of times.
   */
  private candidateItems(live: LiveCandidate): RawJson<CandidateItem[]> {
    const paper = live.paper!;
    const parts = new Array<string>(paper.length);
    for (let i = 0; i < paper.length; i++) {
      const f = fragment(paper.questions[i]);
      const options = new Array<string>(f.options.length);
      for (let k = 0; k < options.length; k++) options[k] = f.options[paper.bankIndex(i, k)];
      parts[i] = `{"n":${i},${f.head},"options":[${options.join(',')}]}`;
    }
    return new RawJson(`[${parts.join(',')}]`);
  }

  private timePush(live: LiveCandidate, reason?: string): TimePush {
    const now = this.now();
    return { remainingMs: remainingMs(live.attempt!.clock, now), serverTime: now, paused: live.attempt!.clock.pausedSince !== null, ...(reason ? { reason } : {}) };
  }

  candidateState(candidateId: number): ServerCandidateState {
    const live = this.get(candidateId);
    const s = this.sitting(live.row.sittingId);
    const now = this.now();
    const a = live.attempt;
    const started = !!a && a.state === 'in_progress';
    return {
      sitting: { id: s.id, name: s.name, status: s.status, site: s.site, room: s.room },
      candidate: { registrationNumber: live.row.registrationNumber, name: live.row.name, formation: live.row.formation, group: live.row.groupName, photoUrl: live.row.photoUrl },
      attempt: {
        state: a?.state ?? 'waiting',
        paused: !!a && a.clock.pausedSince !== null,
        remainingMs: a ? (a.state === 'finished' || a.state === 'terminated' ? 0 : remainingMs(a.clock, now)) : 0,
        durationMs: a ? a.clock.durationMs + a.clock.extensionMs : 0,
        serverTime: now,
        endReason: a?.endReason ?? null,
      },
      sections: this.sectionInfo(s),
      items: started && live.paper ? this.candidateItems(live) : null,
      answers: Array.from(live.answers, (v) => (v < 0 ? null : v)),
      flags: Array.from(live.flags, (v) => v === 1),
      lastSeq: live.lastSeq,
      result: live.result,
      practice: s.practice && (!a || a.state === 'waiting' || a.state === 'admitted') ? this.practiceItems() : null,
    };
  }

  private practice: PracticeItem[] | null = null;
  private practiceItems(): PracticeItem[] {
    if (!this.practice) {
      const scoring = { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } as const;
      this.practice = practiceBank().questions.map((q) => ({
        section: q.section,
        stem: q.stem,
        options: q.options,
        points: q.weights ?? q.options.map((_, i) => scoreChoice(q, scoring, i)),
      }));
    }
    return this.practice;
  }

  /** Starts the candidate's clock: deals the paper (once) and returns the full state. */
  async startExam(candidateId: number): Promise<ServerCandidateState> {
    const live = this.get(candidateId);
    const s = this.sitting(live.row.sittingId);
    const a = live.attempt;
    if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
    if (a.state === 'in_progress') return this.candidateState(candidateId);
    this.assertNotEnded(a);
    if (a.state === 'waiting') fail(ErrorCode.NOT_ADMITTED, 'wait until the proctor admits you');
    if (s.status === 'closed') fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
    if (s.status !== 'running') fail(ErrorCode.SITTING_NOT_OPEN, 'the exam has not started yet: wait for the proctor');
    const now = this.now();
    // The paper may have been dealt already (an audit print): the stored one is the paper.
    let newPaper: PaperItem[] | null = null;
    if (!live.paper) {
      const cat = this.catalog(s);
      newPaper = dealPaper(cat.plan, s.seed, live.row.registrationNumber).items;
      live.paper = LivePaper.from(newPaper, cat.questions);
      live.answers = new Int8Array(newPaper.length).fill(-1);
      live.flags = new Uint8Array(newPaper.length);
    }
    a.state = 'in_progress';
    a.clock = { ...a.clock, startedAt: now };
    live.lastActivity = now;
    this.running.add(candidateId);
    await this.persistAttempt(live, newPaper ? [{ op: 'paper', candidateId, items: newPaper, dealtAt: now }] : []);
    this.listener.candidateChanged(s.id, candidateId);
    return this.candidateState(candidateId);
  }

  private assertNotEnded(a: LiveAttempt): void {
    if (a.state === 'finished') fail(ErrorCode.FINISHED, 'the exam is finished: answers can no longer change');
    if (a.state === 'terminated') fail(ErrorCode.TERMINATED, 'the exam was ended by the proctor');
  }

  /** Writes the attempt as it is in memory, with `extra` in the same transaction. */
  private persistAttempt(live: LiveCandidate, extra: WriteOp[] = []): Promise<number[]> {
    return this.commitOrForget(live, [{ op: 'attempt-save', row: attemptRow(live.row.id, live.attempt!) }, ...extra]);
  }

  /**
   * Commits a unit for a candidate whose memory already holds the change. If a commit fails,
   * memory ran ahead of the disk: the candidate is marked stale, refuses changes (INTERNAL, so
   * clients retry), and once every unit of theirs in flight has settled (the writer refuses the
   * ones after the failure, see createSqlWriter) is reloaded from what is really stored.
   */
  private commitOrForget(live: LiveCandidate, unit: WriteOp[]): Promise<number[]> {
    if (live.stale) return Promise.reject(notSaved());
    live.pending++;
    return this.writer.submit(unit, live.row.id).then(
      (ids) => {
        this.settle(live);
        return ids;
      },
      (err: unknown) => {
        live.stale = true;
        this.settle(live);
        throw err;
      },
    );
  }

  private settle(live: LiveCandidate): void {
    live.pending--;
    if (!live.stale || live.pending > 0) return;
    const id = live.row.id;
    if (this.live.get(id) === live) this.forget(id);
    this.writer.release(id);
  }

  /**
   * Ends the attempt if its time is up. Returns true when it is (now or before). The end time
   * is the deadline, not the moment the server noticed.
   */
  private expireIfDue(live: LiveCandidate): Promise<unknown> | null {
    const a = live.attempt;
    if (!a || a.state !== 'in_progress') return null;
    const d = deadline(a.clock);
    if (d === null || d > this.now()) return null;
    return this.end(live, 'time', d).catch((err: unknown) => err);
  }

  /** Refuses with TIME_UP once the attempt is ended and its result stored. */
  private async refuseIfTimeUp(live: LiveCandidate, message: string): Promise<void> {
    const ending = this.expireIfDue(live);
    if (ending) await timeUp(ending, message);
  }

  /**
   * Checks common to every answer and flag. Returns the live candidate ready to change, the ack
   * of a retry, or, when time ran out, a promise that rejects with TIME_UP once the result is
   * stored. Synchronous on the way through: this is the hot path of every answer.
   */
  private writable(candidateId: number, seq: number, item: number): LiveCandidate | AnswerAck | Promise<never> {
    const live = this.get(candidateId);
    // memory may hold changes the disk does not: no ack from it until it is reloaded
    if (live.stale) throw notSaved();
    const a = live.attempt;
    if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
    // A retry of an answer already applied is acknowledged again, whatever happened since.
    if (seq <= live.lastSeq && live.paper && item < live.paper.length) return this.itemAck(live, seq, item, false);
    this.assertNotEnded(a);
    if (a.state !== 'in_progress' || !live.paper) fail(ErrorCode.NOT_STARTED, 'the exam has not started');
    const ending = this.expireIfDue(live);
    if (ending) return timeUp(ending, 'time is up: the exam has ended');
    if (this.sitting(live.row.sittingId).status === 'closed') fail(ErrorCode.SITTING_CLOSED, 'the sitting is closed');
    if (a.clock.pausedSince !== null) fail(ErrorCode.PAUSED, 'the exam is paused by the proctor');
    if (item >= live.paper.length) fail(ErrorCode.UNKNOWN_ITEM, `there is no question ${item + 1} in your paper (1-${live.paper.length})`);
    return live;
  }

  private itemAck(live: LiveCandidate, seq: number, item: number, applied: boolean): AnswerAck {
    const v = live.answers[item];
    return { seq, item, choice: v < 0 ? null : v, flagged: live.flags[item] === 1, applied, savedAt: live.lastActivity ?? this.now() };
  }

  /**
   * Scores and stores one answer. Not async on purpose: this runs for every click of every
   * candidate, and the checks and the change in memory need no promise; only the commit does.
   */
  submitAnswer(candidateId: number, payload: unknown): Promise<AnswerAck> | AnswerAck {
    const { seq, item, choice } = parseAnswer(payload);
    const w = this.writable(candidateId, seq, item);
    if (w instanceof Promise || !('row' in w)) return w;
    const live = w;
    const paper = live.paper!;
    if (choice !== null && choice >= paper.optionCount(item)) fail(ErrorCode.UNKNOWN_OPTION, `question ${item + 1} has options A-${String.fromCharCode(64 + paper.optionCount(item))}`);
    const cat = this.catalog(this.sitting(live.row.sittingId));
    const q = paper.questions[item];
    const rule = cat.sectionRules.get(q.section)!;
    const prev = live.answers[item];
    const before = scoreChoice(q, rule, prev >= 0 ? paper.bankIndex(item, prev) : null);
    const bankIdx = choice === null ? null : paper.bankIndex(item, choice);
    const delta = scoreChoice(q, rule, bankIdx) - before;
    const kind: AnswerKind = choice === null ? 'clear' : prev < 0 ? 'select' : 'change';
    const now = this.now();
    // Applied in memory at once so that the next answer in the same tick sees it; made durable
    // by the group commit before anyone is told.
    live.answers[item] = choice ?? -1;
    if (prev < 0 && choice !== null) live.answered++;
    if (prev >= 0 && choice === null) live.answered--;
    live.scores[q.section] += delta;
    live.lastSeq = seq;
    live.lastActivity = now;
    return this.commitItem(live, { candidateId, item, kind, choice, optionIndex: bankIdx, clientSeq: seq, serverTs: now, scoreDelta: delta });
  }

  setFlag(candidateId: number, payload: unknown): Promise<AnswerAck> | AnswerAck {
    const { seq, item, flagged } = parse(FlagSetSchema, payload, 'flag');
    const w = this.writable(candidateId, seq, item);
    if (w instanceof Promise || !('row' in w)) return w;
    const live = w;
    const now = this.now();
    const was = live.flags[item] === 1;
    live.flags[item] = flagged ? 1 : 0;
    if (was !== flagged) live.flagged += flagged ? 1 : -1;
    live.lastSeq = seq;
    live.lastActivity = now;
    return this.commitItem(live, { candidateId, item, kind: flagged ? 'flag' : 'unflag', choice: null, optionIndex: null, clientSeq: seq, serverTs: now, scoreDelta: 0 });
  }

  /** Stores an answer or flag event already applied in memory; acks once it is on disk. */
  private commitItem(live: LiveCandidate, row: NewAnswerEvent): Promise<AnswerAck> {
    return this.commitOrForget(live, [{ op: 'answer', row }]).then(() => {
      this.listener.candidateChanged(live.row.sittingId, row.candidateId);
      return this.itemAck(live, row.clientSeq, row.item, true);
    });
  }

  async finishExam(candidateId: number): Promise<CandidateResult> {
    const live = this.get(candidateId);
    const a = live.attempt;
    if (!a) fail(ErrorCode.UNAUTHORIZED, 'log in first');
    if (a.state === 'finished' && live.result) return live.result;
    this.assertNotEnded(a);
    if (a.state !== 'in_progress') fail(ErrorCode.NOT_STARTED, 'the exam has not started');
    await this.refuseIfTimeUp(live, 'time is up: the exam has ended');
    return (await this.end(live, 'candidate', this.now())).result;
  }

  reportClient(candidateId: number, payload: unknown): void {
    const { kind } = parse(ClientReportSchema, payload, 'report');
    const live = this.get(candidateId);
    const now = this.now();
    if (kind === 'focus-lost' || kind === 'fullscreen-exited') {
      const prev = live.alerts.get(kind);
      live.alerts.set(kind, { kind, at: now, count: (prev?.count ?? 0) + 1 });
    }
    live.lastActivity = now;
    this.listener.candidateChanged(live.row.sittingId, candidateId, 'proctor');
  }

  private toCandidateResult(live: LiveCandidate, s: SittingRow, sections: Record<string, number>, receipt: string, finishedAt: number, endReason: string): CandidateResult {
    const cat = this.catalog(s);
    const evaluation = evaluate(cat.template, sections, live.row.groupName);
    const max = sectionMaximums(cat.template, live.paper!.items(), cat.questions);
    const set = thresholdSetFor(cat.template, live.row.groupName);
    return {
      sections: evaluation.sections,
      sectionTitles: Object.fromEntries(cat.template.sections.map((x) => [x.id, x.title])),
      total: evaluation.total,
      maxTotal: Object.values(max).reduce((x, y) => x + y, 0),
      passed: evaluation.passed && endReason !== 'terminated',
      thresholdSet: set.id,
      thresholdSetName: set.name,
      failures: evaluation.failures,
      receiptId: receipt,
      finishedAt,
      endReason,
    };
  }

  /**
   * Ends an attempt (finish, time, termination, sitting closed) and stores its result, with
   * `also` in the same transaction; `values` are what those extra ops returned.
   */
  private async end(live: LiveCandidate, reason: string, at: number, also: WriteOp[] = []): Promise<{ result: CandidateResult; values: number[] }> {
    const a = live.attempt!;
    const s = this.sitting(live.row.sittingId);
    const cat = this.catalog(s);
    // The paper is dealt even for a candidate who never started, so a result always has one.
    let newPaper: PaperItem[] | null = null;
    if (!live.paper) {
      newPaper = dealPaper(cat.plan, s.seed, live.row.registrationNumber).items;
      live.paper = LivePaper.from(newPaper, cat.questions);
      live.answers = new Int8Array(newPaper.length).fill(-1);
      live.flags = new Uint8Array(newPaper.length);
    }
    this.recount(live, cat);
    if (a.clock.pausedSince !== null) a.clock = resume(a.clock, at);
    a.state = reason === 'terminated' ? 'terminated' : 'finished';
    a.endedAt = at;
    a.endReason = reason;
    this.running.delete(live.row.id);
    const sections = { ...live.scores };
    const evaluation = evaluate(cat.template, sections, live.row.groupName);
    const receipt = receiptId(this.store.secret, `${s.id}|${live.row.registrationNumber}|${JSON.stringify(sections)}|${at}|${reason}`);
    const result = this.toCandidateResult(live, s, sections, receipt, at, reason);
    live.result = result;
    const ops: WriteOp[] = [];
    if (newPaper) ops.push({ op: 'paper', candidateId: live.row.id, items: newPaper, dealtAt: at });
    ops.push({
      op: 'result',
      row: { candidateId: live.row.id, sittingId: s.id, sections, total: evaluation.total, thresholdSet: evaluation.thresholdSet, passed: result.passed, receiptId: receipt, finishedAt: at, endReason: reason },
    });
    const values = await this.persistAttempt(live, [...ops, ...also]);
    if (reason === 'terminated') this.listener.toCandidate(live.row.id, 'exam:terminated', { reason: a.endReason, result });
    else this.listener.toCandidate(live.row.id, 'exam:finished', { result });
    this.listener.candidateChanged(s.id, live.row.id);
    return { result, values: values.slice(1 + ops.length) };
  }

  /** Finishes every attempt whose time ran out, connected or not. */
  sweep(): void {
    for (const id of [...this.running]) {
      const live = this.live.get(id);
      if (live) void this.expireIfDue(live);
    }
  }

  // ---------------------------------------------------------------- staff

  async staffLogin(input: { username: string; password: string }): Promise<{ session: string; account: AccountRow }> {
    const account = this.store.repos.accounts.byUsername(input.username);
    // Hash even for unknown users so timing does not tell which usernames exist.
    const ok = await verifyPassword(input.password, account?.passwordHash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    if (!account || !ok || account.disabled) fail(ErrorCode.INVALID_CREDENTIALS, 'username or password is wrong');
    const issued = this.now();
    return { session: `s.${account.id}.${issued}.${this.sign(`staff:${account.id}:${issued}:${account.passwordHash}`)}`, account };
  }

  /** Staff sessions end when the password changes or the account is disabled. */
  authenticateStaff(session: unknown): AccountRow {
    if (typeof session !== 'string') fail(ErrorCode.UNAUTHORIZED, 'log in first');
    const [kind, id, issued, sig] = session.split('.');
    const account = kind === 's' && id ? this.store.repos.accounts.get(Number(id)) : undefined;
    if (!account || account.disabled || !sig || !ExamEngine.safeEqual(sig, this.sign(`staff:${account.id}:${issued}:${account.passwordHash}`))) {
      fail(ErrorCode.UNAUTHORIZED, 'invalid or expired session: log in again');
    }
    return account;
  }

  assertCanProctor(account: AccountRow, sittingId: string): SittingRow {
    const s = this.sitting(sittingId);
    if (account.role !== 'admin' && !this.store.repos.sittings.isProctorOf(sittingId, account.id)) {
      fail(ErrorCode.FORBIDDEN, `you are not a proctor of sitting ${sittingId}`);
    }
    return s;
  }

  sittingsFor(account: AccountRow): SittingInfo[] {
    const ids = account.role === 'admin' ? null : new Set(this.store.repos.sittings.sittingIdsOf(account.id));
    return this.store.repos.sittings
      .list()
      .filter((s) => !ids || ids.has(s.id))
      .map((s) => this.sittingInfo(this.sittings.get(s.id) ?? s));
  }

  sittingInfo(s: SittingRow): SittingInfo {
    const template = this.template(s);
    return {
      id: s.id,
      name: s.name,
      site: s.site,
      room: s.room,
      status: s.status,
      templateId: s.templateId,
      bankId: s.bankId,
      requireToken: s.requireToken,
      requireAdmission: s.requireAdmission,
      scheduledStart: s.scheduledStart,
      openedAt: s.openedAt,
      startedAt: s.startedAt,
      closedAt: s.closedAt,
      durationMinutes: template.durationMinutes,
      sections: template.sections.map((x) => ({ id: x.id, title: x.title })),
      candidates: this.roster(s.id).length,
    };
  }

  token(sittingId: string): { token: string; rotatesAt: number } | null {
    const s = this.sitting(sittingId);
    if (!s.requireToken || !OPEN_STATUSES.has(s.status)) return null;
    return currentToken(this.tokenPolicy(s), this.now());
  }

  /** Candidate ids of each sitting in registration order, read once; see rosterChanged. */
  private readonly rosters = new Map<string, number[]>();
  private roster(sittingId: string): number[] {
    let ids = this.rosters.get(sittingId);
    if (!ids) this.rosters.set(sittingId, (ids = this.store.repos.candidates.idsBySitting(sittingId)));
    return ids;
  }

  /** Candidates were added to a sitting (admin import): they appear on consoles and boards. */
  rosterChanged(sittingId: string): void {
    const before = new Set(this.rosters.get(sittingId) ?? []);
    this.rosters.delete(sittingId);
    const s = this.sitting(sittingId);
    if (OPEN_STATUSES.has(s.status)) this.loadSitting(sittingId);
    for (const id of this.roster(sittingId)) if (!before.has(id)) this.listener.candidateChanged(sittingId, id);
    this.listener.sittingChanged(sittingId);
  }

  private liveOfSitting(sittingId: string): LiveCandidate[] {
    return this.roster(sittingId).map((id) => this.get(id));
  }

  proctorRow(candidateId: number): ProctorRow {
    const live = this.get(candidateId);
    const now = this.now();
    const a = live.attempt;
    const status: ProctorRow['status'] = live.row.lockedAt
      ? 'locked'
      : !a
        ? 'absent'
        : a.state === 'finished' || a.state === 'terminated'
          ? a.state
          : a.clock.pausedSince !== null
            ? 'paused'
            : live.connections === 0
              ? 'disconnected'
              : a.state === 'in_progress'
                ? 'in_progress'
                : 'waiting';
    return {
      id: live.row.id,
      registrationNumber: live.row.registrationNumber,
      name: live.row.name,
      formation: live.row.formation,
      group: live.row.groupName,
      status,
      attemptState: a?.state ?? null,
      connected: live.connections > 0,
      answered: live.answered,
      flagged: live.flagged,
      itemCount: live.paper?.length ?? this.template(this.sitting(live.row.sittingId)).sections.reduce((x, s) => x + s.questionCount, 0),
      sections: { ...live.scores },
      total: Object.values(live.scores).reduce((x, y) => x + y, 0),
      remainingMs: a && a.state === 'in_progress' ? remainingMs(a.clock, now) : null,
      lastActivity: live.lastActivity,
      failedLogins: live.row.failedLogins,
      locked: !!live.row.lockedAt,
      alerts: [...live.alerts.values()],
    };
  }

  proctorSnapshot(sittingId: string): ProctorSnapshot {
    const s = this.sitting(sittingId);
    return {
      sitting: this.sittingInfo(s),
      serverTime: this.now(),
      token: this.token(sittingId),
      rows: this.liveOfSitting(sittingId).map((l) => this.proctorRow(l.row.id)),
      audit: this.store.repos.audit.bySitting(sittingId).map(toAuditEntry),
    };
  }

  proctorSnapshotHeader(sittingId: string): { sitting: SittingInfo; token: { token: string; rotatesAt: number } | null } {
    return { sitting: this.sittingInfo(this.sitting(sittingId)), token: this.token(sittingId) };
  }

  /** Section ids in template order: the layout of compact scoreboard rows. */
  scoreboardSections(sittingId: string): string[] {
    return this.template(this.sitting(sittingId)).sections.map((s) => s.id);
  }

  scoreboardSittingById(sittingId: string): ScoreboardSitting {
    return this.scoreboardSitting(this.sitting(sittingId));
  }

  auditLog(sittingId: string): AuditEntry[] {
    return this.store.repos.audit.bySitting(sittingId).map(toAuditEntry);
  }

  private auditRecord(actor: Actor, sittingId: string | null, candidateId: number | null, action: string, reason: string, details?: unknown): NewAudit {
    return { at: this.now(), actorId: actor.id, actorName: actor.name, actorRole: actor.role, sittingId, candidateId, action, reason, details: details ?? null };
  }

  /** Records an action with its reason in the same transaction as the change it describes. */
  private async audited(actor: Actor, sittingId: string, candidateId: number | null, action: string, reason: string, details: unknown, change: WriteOp[]): Promise<AuditEntry> {
    const record = this.auditRecord(actor, sittingId, candidateId, action, reason, details);
    const unit: WriteOp[] = [...change, { op: 'audit', entry: record }];
    const values = candidateId === null ? await this.writer.submit(unit) : await this.commitOrForget(this.get(candidateId), unit);
    const entry = toAuditEntry({ ...record, id: values[values.length - 1] });
    this.listener.audited(sittingId, entry);
    return entry;
  }

  async setSittingStatus(actor: Actor, sittingId: string, to: 'open' | 'running' | 'closed', reason: string): Promise<SittingInfo> {
    const s = this.sitting(sittingId);
    const allowed: Record<string, string[]> = { open: ['scheduled'], running: ['scheduled', 'open'], closed: ['scheduled', 'open', 'running'] };
    if (s.status === to) return this.sittingInfo(s);
    if (!allowed[to].includes(s.status)) fail(ErrorCode.INVALID_STATE, `a ${s.status} sitting cannot become ${to}`);
    const now = this.now();
    const patch: Partial<SittingRow> = { status: to };
    if (to === 'open' || (to === 'running' && !s.openedAt)) patch.openedAt = now;
    if (to === 'running') patch.startedAt = now;
    if (to === 'closed') patch.closedAt = now;
    await this.audited(actor, sittingId, null, `sitting-${to === 'running' ? 'start' : to === 'closed' ? 'close' : 'open'}`, reason, { from: s.status, to }, [
      { op: 'sitting-status', sittingId, status: to, openedAt: patch.openedAt ?? s.openedAt, startedAt: patch.startedAt ?? s.startedAt, closedAt: patch.closedAt ?? s.closedAt },
    ]);
    Object.assign(s, patch);
    if (to !== 'closed') this.loadSitting(sittingId);
    if (to === 'closed') {
      // Closing ends every attempt still in progress; their answers so far are their result.
      await Promise.all(this.liveOfSitting(sittingId).filter((l) => l.attempt?.state === 'in_progress').map((l) => this.end(l, 'sitting-closed', now)));
      for (const l of this.liveOfSitting(sittingId)) if (l.connections > 0) this.listener.candidateChanged(sittingId, l.row.id);
    }
    this.listener.sittingChanged(sittingId);
    return this.sittingInfo(s);
  }

  async pauseSitting(actor: Actor, sittingId: string, reason: string, resumeIt: boolean): Promise<number> {
    const targets = this.liveOfSitting(sittingId).filter((l) => l.attempt?.state === 'in_progress' && (resumeIt ? l.attempt.clock.pausedSince !== null : l.attempt.clock.pausedSince === null));
    const now = this.now();
    for (const l of targets) l.attempt!.clock = resumeIt ? resume(l.attempt!.clock, now) : pause(l.attempt!.clock, now);
    await this.audited(
      actor,
      sittingId,
      null,
      resumeIt ? 'sitting-resume' : 'sitting-pause',
      reason,
      { candidates: targets.length },
      targets.map((l) => ({ op: 'attempt-save', row: attemptRow(l.row.id, l.attempt!) })),
    );
    for (const l of targets) {
      this.listener.toCandidate(l.row.id, resumeIt ? 'exam:resumed' : 'exam:paused', this.timePush(l, reason));
      this.listener.candidateChanged(sittingId, l.row.id);
    }
    return targets.length;
  }

  private candidateIn(sittingId: string, candidateId: number): LiveCandidate {
    const live = this.get(candidateId);
    if (live.row.sittingId !== sittingId) fail(ErrorCode.NOT_FOUND, `candidate ${candidateId} is not in sitting ${sittingId}`);
    return live;
  }

  async admit(actor: Actor, sittingId: string, candidateId: number, reason: string): Promise<ProctorRow> {
    const live = this.candidateIn(sittingId, candidateId);
    const a = live.attempt;
    if (!a) fail(ErrorCode.INVALID_STATE, 'the candidate has not logged in yet');
    if (a.state !== 'waiting') fail(ErrorCode.INVALID_STATE, `the candidate is already ${a.state.replace('_', ' ')}`);
    const now = this.now();
    await this.audited(actor, sittingId, candidateId, 'admit', reason, null, [{ op: 'attempt-save', row: attemptRow(candidateId, { ...a, state: 'admitted', admittedAt: now }) }]);
    a.state = 'admitted';
    a.admittedAt = now;
    this.listener.toCandidate(candidateId, 'attempt:admitted', this.candidateState(candidateId));
    this.listener.candidateChanged(sittingId, candidateId);
    return this.proctorRow(candidateId);
  }

  async resetLogin(actor: Actor, sittingId: string, candidateId: number, reason: string): Promise<ProctorRow> {
    const live = this.candidateIn(sittingId, candidateId);
    const row: CandidateRow = { ...live.row, failedLogins: 0, lockedAt: null, loginGeneration: live.row.loginGeneration + 1 };
    await this.audited(actor, sittingId, candidateId, 'reset-login', reason, { generation: row.loginGeneration }, [loginStateOp(row)]);
    live.row = row;
    live.alerts.delete('failed-logins');
    live.alerts.delete('login-locked');
    this.listener.revokeSession(candidateId, 'your login was reset by the proctor; continue on the PC you are given');
    this.listener.candidateChanged(sittingId, candidateId, 'proctor');
    return this.proctorRow(candidateId);
  }

  private async inProgress(live: LiveCandidate): Promise<LiveAttempt> {
    const a = live.attempt;
    if (!a || a.state !== 'in_progress') fail(ErrorCode.INVALID_STATE, `the candidate's exam is not in progress (${a?.state ?? 'not logged in'})`);
    await this.refuseIfTimeUp(live, "the candidate's time is already up");
    return a;
  }

  async pauseCandidate(actor: Actor, sittingId: string, candidateId: number, reason: string, resumeIt: boolean): Promise<ProctorRow> {
    const live = this.candidateIn(sittingId, candidateId);
    const a = await this.inProgress(live);
    if (resumeIt === (a.clock.pausedSince === null)) fail(ErrorCode.INVALID_STATE, resumeIt ? 'the candidate is not paused' : 'the candidate is already paused');
    const now = this.now();
    const clock = resumeIt ? resume(a.clock, now) : pause(a.clock, now);
    await this.audited(actor, sittingId, candidateId, resumeIt ? 'resume' : 'pause', reason, null, [{ op: 'attempt-save', row: attemptRow(candidateId, { ...a, clock }) }]);
    a.clock = clock;
    this.listener.toCandidate(candidateId, resumeIt ? 'exam:resumed' : 'exam:paused', this.timePush(live, reason));
    this.listener.candidateChanged(sittingId, candidateId);
    return this.proctorRow(candidateId);
  }

  async extendTime(actor: Actor, sittingId: string, candidateId: number, minutes: number, reason: string): Promise<ProctorRow> {
    const live = this.candidateIn(sittingId, candidateId);
    const a = await this.inProgress(live);
    const clock = extend(a.clock, Math.round(minutes * MINUTE));
    await this.audited(actor, sittingId, candidateId, 'extend', reason, { minutes }, [{ op: 'attempt-save', row: attemptRow(candidateId, { ...a, clock }) }]);
    a.clock = clock;
    this.listener.toCandidate(candidateId, 'time:adjusted', this.timePush(live, reason));
    this.listener.candidateChanged(sittingId, candidateId);
    return this.proctorRow(candidateId);
  }

  async terminate(actor: Actor, sittingId: string, candidateId: number, reason: string): Promise<ProctorRow> {
    const live = this.candidateIn(sittingId, candidateId);
    const a = live.attempt;
    if (!a || (a.state !== 'in_progress' && a.state !== 'admitted' && a.state !== 'waiting')) fail(ErrorCode.INVALID_STATE, `the candidate's exam cannot be terminated (${a?.state ?? 'not logged in'})`);
    const record = this.auditRecord(actor, sittingId, candidateId, 'terminate', reason, null);
    const { values } = await this.end(live, 'terminated', this.now(), [{ op: 'audit', entry: record }]);
    this.listener.audited(sittingId, toAuditEntry({ ...record, id: values[0] }));
    return this.proctorRow(candidateId);
  }

  async noteIncident(actor: Actor, sittingId: string, candidateId: number | null, reason: string): Promise<AuditEntry> {
    if (candidateId !== null) this.candidateIn(sittingId, candidateId);
    else this.sitting(sittingId);
    return this.audited(actor, sittingId, candidateId, 'incident', reason, null, []);
  }

  // ---------------------------------------------------------------- scoreboard

  publicSittings(): ScoreboardSitting[] {
    return this.store.repos.sittings
      .list()
      .filter((s) => s.status !== 'scheduled')
      .map((s) => this.scoreboardSitting(this.sittings.get(s.id) ?? s));
  }

  scoreboardSitting(s: SittingRow): ScoreboardSitting {
    const template = this.template(s);
    let endsAt: number | null = null;
    if (s.status === 'running') {
      for (const id of this.running) {
        const l = this.live.get(id);
        if (l && l.row.sittingId === s.id) {
          const d = deadline(l.attempt!.clock);
          if (d !== null && (endsAt === null || d > endsAt)) endsAt = d;
        }
      }
    }
    const cat = this.catalog(s);
    return {
      id: s.id,
      name: s.name,
      site: s.site,
      room: s.room,
      status: s.status,
      scheduledStart: s.scheduledStart,
      startedAt: s.startedAt,
      closedAt: s.closedAt,
      endsAt,
      sections: template.sections.map((x) => ({ id: x.id, title: x.title, max: cat.sectionMax[x.id] })),
      tieBreak: template.tieBreak,
      candidates: this.roster(s.id).length,
    };
  }

  scoreRow(candidateId: number): ScoreRow {
    const live = this.get(candidateId);
    const s = this.sitting(live.row.sittingId);
    const template = this.template(s);
    const a = live.attempt;
    const total = Object.values(live.scores).reduce((x, y) => x + y, 0);
    const status = !a ? 'absent' : a.state === 'in_progress' && a.clock.pausedSince !== null ? 'paused' : a.state === 'admitted' ? 'waiting' : a.state;
    return {
      id: live.row.id,
      registrationNumber: live.row.registrationNumber,
      name: maskName(live.row.name, this.config.scoreboardNameMask),
      formation: live.row.formation,
      sections: { ...live.scores },
      total,
      passed: a?.state === 'terminated' ? false : evaluate(template, live.scores, live.row.groupName).passed,
      answered: live.answered,
      itemCount: live.paper?.length ?? template.sections.reduce((x, y) => x + y.questionCount, 0),
      status,
    };
  }

  scoreboardSnapshot(sittingId: string): ScoreboardSnapshot {
    const s = this.sitting(sittingId);
    if (s.status === 'scheduled') fail(ErrorCode.NOT_FOUND, `sitting ${sittingId} has no scoreboard yet`);
    const template = this.template(s);
    const rows = this.liveOfSitting(sittingId).map((l) => this.scoreRow(l.row.id));
    const entry = (r: ScoreRow) => ({ id: r.id, formation: r.formation, sections: r.sections, total: r.total, passed: r.passed });
    rows.sort((x, y) => compareEntries(entry(x), entry(y), template.tieBreak) || (x.registrationNumber < y.registrationNumber ? -1 : 1));
    let rank = 0;
    const ranked = rows.map((r, i) => {
      if (i === 0 || compareEntries(entry(rows[i - 1]), entry(r), template.tieBreak) !== 0) rank = i + 1;
      return { ...r, rank };
    });
    return { sitting: this.scoreboardSitting(s), serverTime: this.now(), rows: ranked };
  }

  /** For tests and metrics. */
  stats() {
    return { live: this.live.size, running: this.running.size, writer: this.writer.stats };
  }
}

function toAuditEntry(r: { id: number; at: number; actorName: string; actorRole: string; sittingId?: string | null; candidateId?: number | null; action: string; reason: string; details?: unknown }): AuditEntry {
  return { id: r.id, at: r.at, actorName: r.actorName, actorRole: r.actorRole, sittingId: r.sittingId ?? null, candidateId: r.candidateId ?? null, action: r.action, reason: r.reason, details: r.details ?? null };
}

/** A change refused or lost because an earlier one of the same candidate could not be stored. */
function notSaved(): KacaError {
  return new KacaError(ErrorCode.INTERNAL, 'a change could not be saved: try again in a moment');
}

async function timeUp(ending: Promise<unknown>, message: string): Promise<never> {
  await ending;
  fail(ErrorCode.TIME_UP, message);
}

/**
 * An answer payload, checked without allocating for the common well-formed case (every click of
 * every candidate comes through here). The quick check accepts only what the schema accepts;
 * anything else goes to the schema, which says precisely what is wrong.
 */
export function parseAnswer(payload: unknown): AnswerSubmit {
  const p = payload as Partial<Record<keyof AnswerSubmit, unknown>> | null;
  if (
    typeof p === 'object' &&
    p !== null &&
    !Array.isArray(p) &&
    Number.isSafeInteger(p.seq) &&
    (p.seq as number) > 0 &&
    Number.isSafeInteger(p.item) &&
    (p.item as number) >= 0 &&
    (p.choice === null || (Number.isSafeInteger(p.choice) && (p.choice as number) >= 0))
  ) {
    return { seq: p.seq as number, item: p.item as number, choice: p.choice as number | null };
  }
  return parse(AnswerSubmitSchema, payload, 'answer');
}

function attemptRow(candidateId: number, a: LiveAttempt): AttemptRow {
  const c = a.clock;
  return { candidateId, state: a.state, admittedAt: a.admittedAt, startedAt: c.startedAt, durationMs: c.durationMs, extensionMs: c.extensionMs, pausedMs: c.pausedMs, pausedSince: c.pausedSince, endedAt: a.endedAt, endReason: a.endReason };
}

function loginStateOp(row: CandidateRow): WriteOp {
  return { op: 'login-state', candidateId: row.id, failedLogins: row.failedLogins, lockedAt: row.lockedAt, loginGeneration: row.loginGeneration, sessionGeneration: row.sessionGeneration };
}

export function actorOf(account: AccountRow): Actor {
  return { id: account.id, name: account.displayName, role: account.role };
}
