import { ErrorCode } from '../contract/errors.js';
import { isOpen, type Catalog, type Sitting } from '../domain/catalog.js';
import { warmFragments } from '../domain/candidate-view.js';
import { catalogCommitments } from '../domain/log-events.js';
import { fail } from '../domain/errors.js';
import { Replay, restore, type Attempt, type Examinee, type StoredCandidate } from '../domain/examinee.js';
import { LivePaper } from '../domain/paper.js';
import type { Presence } from '../domain/proctor-view.js';
import type { AttemptRow } from '../db/repositories/attempts.js';
import type { CandidateRow } from '../db/repositories/candidates.js';
import type { ResultRow } from '../db/repositories/results.js';
import type { PaperItem } from '../domain/deal.js';
import type { AnswerKind } from '../domain/writes.js';
import type { KacaStore } from '../services/store.js';
import { LeafIndex } from './leaf-index.js';
import { Lock } from './lock.js';

/** A stored change as replayed: item, kind, choice, seq, server time, log leaf. */
type EventRow = [number, AnswerKind, number | null, number, number, number | null];

/** An attempt as the rules know it, from its stored row. */
export function attemptFromRow(a: AttemptRow): Attempt {
  return {
    state: a.state,
    admittedAt: a.admittedAt,
    clock: { startedAt: a.startedAt, durationMs: a.durationMs, extensionMs: a.extensionMs, pausedMs: a.pausedMs, pausedSince: a.pausedSince },
    endedAt: a.endedAt,
    endReason: a.endReason,
  };
}

function stored(row: CandidateRow, a: AttemptRow | undefined, items: PaperItem[] | undefined, replay: Replay | null, r: ResultRow | undefined, catalog: Catalog): StoredCandidate {
  return {
    profile: { id: row.id, sittingId: row.sittingId, registrationNumber: row.registrationNumber, name: row.name, formation: row.formation, group: row.groupName, extraMinutes: row.extraMinutes, photoUrl: row.photoUrl, seat: row.seat, pinHash: row.pinHash },
    login: { failedLogins: row.failedLogins, lockedAt: row.lockedAt, loginGeneration: row.loginGeneration, sessionGeneration: row.sessionGeneration },
    attempt: a ? attemptFromRow(a) : null,
    paper: items ? LivePaper.from(items, catalog.questions) : null,
    replay,
    result: r ? { sections: r.sections, receiptId: r.receiptId, receipt: r.receipt, finishedAt: r.finishedAt, endReason: r.endReason } : null,
  };
}

/**
 * What the server holds in memory: the committed state of every candidate of an open sitting
 * (and of any other candidate once asked for), their presence, and the sittings. It only reads
 * the database; changes come in through set() once they are on disk.
 */
export class Registry {
  private readonly examinees = new Map<number, Examinee>();
  private readonly presences = new Map<number, Presence>();
  private readonly sittings = new Map<string, Sitting>();
  private readonly catalogs = new Map<string, Catalog>();
  /** candidate ids of each sitting in registration order, read once; see rosterChanged */
  private readonly rosters = new Map<string, number[]>();
  /** registration number -> candidates in memory (one per sitting they are on) */
  private readonly byRegistration = new Map<string, number[]>();
  private readonly locks = new Map<number, Lock>();
  private readonly sittingLocks = new Map<string, Lock>();
  /** candidates with an attempt in progress, for the time-up sweep */
  readonly running = new Set<number>();
  /** per candidate: the log leaf of each stored change, by seq (see LeafIndex) */
  private readonly leafIndexes = new Map<number, LeafIndex>();
  /**
   * Sittings whose events were read candidate by candidate in this turn of the event loop: a
   * second such read reads the whole sitting once (a batch the writer lost, a closed sitting
   * shown candidate by candidate), instead of reading the sitting again for every candidate.
   */
  private readonly readThisTurn = new Map<string, Map<number, EventRow[]> | null>();

  /**
   * Whether this node runs the sitting: always, on one node. With several nodes (cluster/), what
   * is kept in memory is kept only of the sittings this node runs; any other is read afresh.
   */
  runs: (sittingId: string) => boolean = () => true;
  /**
   * Several nodes: a sitting not open yet is never kept, even by the node that runs it, since an
   * admin may change it (domain/setup.ts) through any node; it is read afresh each time.
   */
  shared = false;
  private keeps(s: Sitting): boolean {
    return this.runs(s.id) && !(this.shared && s.status === 'scheduled');
  }

  constructor(private readonly store: KacaStore) {}

  sitting(id: string): Sitting {
    let s = this.sittings.get(id);
    if (!s) {
      s = this.store.repos.sittings.get(id);
      if (!s) fail(ErrorCode.NOT_FOUND, `no sitting ${id}`);
      if (this.keeps(s)) this.sittings.set(id, s);
    }
    return s;
  }

  /** Every sitting, as in memory where it is. */
  allSittings(): Sitting[] {
    return this.store.repos.sittings.list().map((s) => this.sittings.get(s.id) ?? s);
  }

  /**
   * Forgets everything kept of a sitting and its candidates, open or not: with several nodes,
   * before this node starts running a sitting another ran (what it kept is stale), so that it is
   * read afresh from the database.
   */
  drop(sittingId: string): void {
    for (const [id, e] of this.examinees) {
      if (e.profile.sittingId !== sittingId) continue;
      this.examinees.delete(id);
      this.running.delete(id);
      this.leafIndexes.delete(id);
      this.presences.delete(id);
      const regs = this.byRegistration.get(e.profile.registrationNumber);
      if (regs) {
        const left = regs.filter((x) => x !== id);
        if (left.length) this.byRegistration.set(e.profile.registrationNumber, left);
        else this.byRegistration.delete(e.profile.registrationNumber);
      }
    }
    this.rosters.delete(sittingId);
    this.sittings.delete(sittingId);
    this.catalogs.delete(sittingId);
  }

  setSitting(s: Sitting): void {
    if (this.keeps(s)) this.sittings.set(s.id, s);
    else this.sittings.delete(s.id);
  }

  /**
   * Forgets what is kept of a sitting that is not open (its row and catalog), after an admin
   * changed it, its template or its bank (domain/setup.ts says when they may).
   */
  forgetSitting(id: string): void {
    const s = this.sittings.get(id);
    if (s && isOpen(s)) throw new Error(`sitting ${id} is open: its row and catalog stay as they are`);
    this.sittings.delete(id);
    this.catalogs.delete(id);
  }

  /** The sitting's catalog, kept per sitting (what it depends on changes only while it is not open). */
  catalog(sittingId: string): Catalog {
    let c = this.catalogs.get(sittingId);
    if (!c) {
      const s = this.sitting(sittingId);
      c = this.store.catalog.forSitting(s);
      if (this.keeps(s)) this.catalogs.set(sittingId, c);
    }
    return c;
  }

  /**
   * The candidate's committed state, loaded from the database (events replayed) on first use,
   * together with everyone else of their sitting: a candidate's answers are read from their
   * sitting's range (schema.ts), so one read serves the whole room, not one read per candidate.
   */
  examinee(id: number): Examinee {
    return this.examinees.get(id) ?? this.loadFirst(id);
  }

  private loadFirst(id: number): Examinee {
    const row = this.store.repos.candidates.get(id);
    if (!row) fail(ErrorCode.NOT_FOUND, `no candidate ${id}`);
    this.loadAll(row.sittingId);
    return this.examinees.get(id)!;
  }

  has(id: number): boolean {
    return this.examinees.has(id);
  }

  /** Reads the candidate again from the database: after a commit whose fate is unknown. */
  load(id: number): Examinee {
    const r = this.store.repos;
    const row = r.candidates.get(id);
    if (!row) fail(ErrorCode.NOT_FOUND, `no candidate ${id}`);
    this.forgetAfterThisTurn(row.sittingId);
    const catalog = this.catalog(row.sittingId);
    const items = r.papers.get(id);
    const replay = new Replay(items?.length ?? 0);
    this.leafIndexes.delete(id);
    // nothing can be answered without a paper
    if (items) {
      for (const [item, kind, choice, seq, at, leaf] of this.eventsOf(row.sittingId, id)) {
        replay.add(item, kind, choice, seq, at);
        this.stored(id, seq, leaf);
      }
    }
    const e = restore(stored(row, r.attempts.get(id), items, replay, r.results.get(id), catalog), catalog);
    this.set(e);
    return e;
  }

  private eventsOf(sittingId: string, id: number): EventRow[] {
    if (this.readThisTurn.size === 0) setImmediate(() => this.readThisTurn.clear());
    let all = this.readThisTurn.get(sittingId);
    if (all === undefined) {
      this.readThisTurn.set(sittingId, null);
      return this.store.repos.answers.byCandidate(id).map((ev) => [ev.item, ev.kind, ev.choice, ev.clientSeq, ev.serverTs, ev.logIdx]);
    }
    if (all === null) {
      all = new Map();
      for (const [candidateId, ...ev] of this.store.repos.answers.streamBySitting(sittingId)) {
        let list = all.get(candidateId);
        if (!list) all.set(candidateId, (list = []));
        list.push(ev);
      }
      this.readThisTurn.set(sittingId, all);
    }
    return all.get(id) ?? [];
  }

  /** The log leaf of a candidate's stored change with this seq (null if none, or from before the log). */
  leafOf(id: number, seq: number): number | null {
    return this.leafIndexes.get(id)?.leafOf(seq) ?? null;
  }

  /** A change of the candidate is on disk under this seq, at this leaf. */
  stored(id: number, seq: number, leaf: number | null): void {
    let leaves = this.leafIndexes.get(id);
    if (!leaves) this.leafIndexes.set(id, (leaves = new LeafIndex()));
    leaves.add(seq, leaf);
  }

  /**
   * Loads every candidate of a sitting in a few queries, so that a hall logging in at the same
   * minute finds everyone in memory instead of each login querying the database. Returns the
   * candidates who have no paper stored yet.
   */
  loadSitting(sittingId: string): Examinee[] {
    // every question's text serialized now, while the hall is still arriving, not at the login
    // rush; and the bank's commitment (a hash of every item) the board's header shows
    const catalog = this.catalog(sittingId);
    warmFragments(catalog.questions.values());
    catalogCommitments(catalog);
    this.loadAll(sittingId);
    return this.roster(sittingId).map((id) => this.examinee(id)).filter((e) => !e.paper);
  }

  private readonly transient = new Set<string>();
  /**
   * Several nodes: candidates of a sitting another node runs (read for an admin's page, say) are
   * kept for this turn of the event loop only, so that a later read does not serve what has
   * changed there since.
   */
  private forgetAfterThisTurn(sittingId: string): void {
    if (!this.shared || this.runs(sittingId) || this.transient.has(sittingId)) return;
    this.transient.add(sittingId);
    setImmediate(() => {
      this.transient.delete(sittingId);
      if (!this.runs(sittingId)) this.drop(sittingId);
    });
  }

  /** Every candidate of a sitting who is not in memory yet, in a few queries. */
  private loadAll(sittingId: string): void {
    this.forgetAfterThisTurn(sittingId);
    const r = this.store.repos;
    const rows = r.candidates.listBySitting(sittingId).filter((c) => !this.examinees.has(c.id));
    const catalog = this.catalog(sittingId);
    if (rows.length > 0) {
      const attempts = new Map(r.attempts.listBySitting(sittingId).map((a) => [a.candidateId, a]));
      const papers = r.papers.many(rows.map((c) => c.id));
      const replays = new Map<number, Replay>(rows.map((c) => [c.id, new Replay(papers.get(c.id)?.length ?? 0)]));
      for (const c of rows) this.leafIndexes.delete(c.id);
      for (const [candidateId, item, kind, choice, seq, at, leaf] of r.answers.streamBySitting(sittingId)) {
        const replay = replays.get(candidateId);
        if (!replay) continue;
        replay.add(item, kind, choice, seq, at);
        this.stored(candidateId, seq, leaf);
      }
      const results = new Map(r.results.bySitting(sittingId).map((x) => [x.candidateId, x]));
      for (const row of rows) this.set(restore(stored(row, attempts.get(row.id), papers.get(row.id), replays.get(row.id) ?? null, results.get(row.id), catalog), catalog));
    }
  }

  /** Keeps a candidate's committed state (only ever after its writes are on disk). */
  set(e: Examinee): void {
    const id = e.profile.id;
    if (!this.examinees.has(id)) {
      let regs = this.byRegistration.get(e.profile.registrationNumber);
      if (!regs) this.byRegistration.set(e.profile.registrationNumber, (regs = []));
      regs.push(id);
    }
    this.examinees.set(id, e);
    if (e.attempt?.state === 'in_progress') this.running.add(id);
    else this.running.delete(id);
  }

  /** Candidate rows of a registration number: from memory when one is on an open sitting. */
  registrations(registrationNumber: string): { id: number; sittingId: string }[] {
    const loaded = (this.byRegistration.get(registrationNumber) ?? []).map((id) => this.examinees.get(id)!.profile);
    if (loaded.some((p) => isOpen(this.sitting(p.sittingId)))) return loaded;
    return this.store.repos.candidates.allByRegistration(registrationNumber);
  }

  roster(sittingId: string): number[] {
    let ids = this.rosters.get(sittingId);
    if (!ids) {
      ids = this.store.repos.candidates.idsBySitting(sittingId);
      if (this.keeps(this.sitting(sittingId))) this.rosters.set(sittingId, ids);
    }
    return ids;
  }

  private readonly sittingOfCandidate = new Map<number, string>();
  /** The sitting a candidate is on (it never changes), without loading the candidate: NOT_FOUND if there is no such candidate. */
  sittingOf(candidateId: number): string {
    const kept = this.examinees.get(candidateId)?.profile.sittingId ?? this.sittingOfCandidate.get(candidateId);
    if (kept !== undefined) return kept;
    const row = this.store.repos.candidates.get(candidateId);
    if (!row) fail(ErrorCode.NOT_FOUND, `no candidate ${candidateId}`);
    this.sittingOfCandidate.set(candidateId, row.sittingId);
    return row.sittingId;
  }

  examineesOf(sittingId: string): Examinee[] {
    return this.roster(sittingId).map((id) => this.examinee(id));
  }

  /** Candidates were added to a sitting: returns the new ids. */
  rosterChanged(sittingId: string): number[] {
    const before = new Set(this.rosters.get(sittingId) ?? []);
    this.rosters.delete(sittingId);
    return this.roster(sittingId).filter((id) => !before.has(id));
  }

  presence(id: number): Presence {
    let p = this.presences.get(id);
    if (!p) this.presences.set(id, (p = { connections: 0, lastSeenAt: null, reports: new Map() }));
    return p;
  }

  presenceIfAny(id: number): Presence | undefined {
    return this.presences.get(id);
  }

  lock(id: number): Lock {
    let l = this.locks.get(id);
    if (!l) this.locks.set(id, (l = new Lock()));
    return l;
  }

  sittingLock(id: string): Lock {
    let l = this.sittingLocks.get(id);
    if (!l) this.sittingLocks.set(id, (l = new Lock()));
    return l;
  }

  stats(): { live: number; running: number } {
    return { live: this.examinees.size, running: this.running.size };
  }
}
