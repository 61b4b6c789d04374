import type { AuditEntry } from '../contract/proctor.js';
import { isRanked } from '../domain/public-view.js';
import { RawJson } from '../domain/raw-json.js';
import { asciiJson } from './json-parser.js';
import { encodeScoreRow, type ScoreRow, type ScoreboardDelta, type ScoreboardSitting, type ScoreboardSnapshot } from '../contract/scoreboard.js';
import type { ExamEngine } from '../engine/engine.js';
import type { Notifier } from '../engine/notifier.js';
import type { CandidateNamespace, ProctorNamespace, ScoreboardNamespace } from './types.js';

export const rooms = {
  candidate: (id: number) => `c:${id}`,
  candidatesOf: (sittingId: string) => `cs:${sittingId}`,
  proctor: (sittingId: string) => `p:${sittingId}`,
  staffSession: (sessionId: string) => `st:${sessionId}`,
  scoreboard: (sittingId: string) => `s:${sittingId}`,
  scoreboardShard: (sittingId: string, shard: number) => `s:${sittingId}:${shard}`,
};

/**
 * Viewers of a sitting are spread over shards, and a push goes out one shard per tick, so
 * writing to a thousand viewer sockets never holds the event loop (and the candidates' acks)
 * for long.
 */
const SCOREBOARD_SHARDS = 64;
let nextShard = 0;
export function pickShard(): number {
  nextShard = (nextShard + 1) % SCOREBOARD_SHARDS;
  return nextShard;
}

/**
 * A shared board snapshot older than this is made again for the next viewer who joins: a board
 * sets its clock from the snapshot's serverTime, so a snapshot kept through a quiet minute would
 * have a TV opened then show a minute too much on the sitting's clock.
 */
const SNAPSHOT_FRESH_MS = 1000;

/** The list of public boards is made at most this often (and again when a sitting changes), whoever asks how often. */
const PUBLIC_LIST_MS = 1000;

type Ranks = Map<number, number>;
/**
 * The ranks a board shows, of ranked rows only: a row gets a rank only by a change of its own (a
 * result that passes), and that change is pushed anyway; what a viewer must hear of without its
 * row changing is a rank that moved or went. While a hall sits (results on finish) few rows are
 * ranked, so this is a few entries a push, not one per candidate.
 */
const ranksOf = (snap: ScoreboardSnapshot): Ranks => {
  const ranks: Ranks = new Map();
  for (const r of snap.rows) if (r.rank !== null) ranks.set(r.id, r.rank);
  return ranks;
};

const sameRanks = (a: Ranks | undefined, b: Ranks): boolean => {
  if (!a || a.size !== b.size) return false;
  for (const [id, rank] of b) if (a.get(id) !== rank) return false;
  return true;
};

/**
 * Carries committed engine changes to the audiences. Candidate changes are coalesced per sitting:
 * at most one push per interval, with only the rows that changed, encoded once per room.
 */
export class Broadcaster implements Notifier {
  private readonly dirty = new Map<string, Set<number>>();
  private readonly dirtyPublic = new Map<string, Set<number>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** the board a viewer starts from, shared until the next push (and its JSON, made once for every viewer who joins) */
  private readonly snapshots = new Map<string, { snap: ScoreboardSnapshot; text: RawJson<ScoreboardSnapshot> | null }>();
  /**
   * Ranks viewers may hold: as of the last push, and of every snapshot handed out since. A row
   * whose rank now differs from any of them goes out with the next push, changed or not.
   */
  private readonly heldRanks = new Map<string, Ranks[]>();
  /** sittings whose next push ranks the whole board again: the sitting itself changed (its status, its policy) */
  private readonly rerank = new Set<string>();
  /** the list of public boards as JSON, shared by every asker (the namespace's viewers and the HTTP route) */
  private publicList: { at: number; text: RawJson<ScoreboardSitting[]> } | null = null;
  readonly stats = { scoreboardPushes: 0, proctorPushes: 0 };

  constructor(
    private readonly engine: ExamEngine,
    private readonly ns: { candidate: CandidateNamespace; proctor: ProctorNamespace; scoreboard: ScoreboardNamespace },
    private readonly intervalMs: number,
    /**
     * several nodes: viewers and proctors of a sitting may be on any node, so pushes go out
     * whether or not this node has any, and a board's push goes to the sitting's one room (each
     * node's adapter hands it to its own viewers at once) instead of shard by shard
     */
    private readonly cluster = false,
  ) {}

  /** Whether anyone may be in the room: on one node, someone in it here. */
  private listened(nsp: ProctorNamespace | ScoreboardNamespace, room: string): boolean {
    return this.cluster || (nsp.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  candidateChanged(sittingId: string, candidateId: number, audience: 'all' | 'proctor'): void {
    let set = this.dirty.get(sittingId);
    if (!set) this.dirty.set(sittingId, (set = new Set()));
    set.add(candidateId);
    if (audience === 'all') {
      let pub = this.dirtyPublic.get(sittingId);
      if (!pub) this.dirtyPublic.set(sittingId, (pub = new Set()));
      pub.add(candidateId);
    }
    if (!this.timers.has(sittingId)) this.timers.set(sittingId, setTimeout(() => this.flush(sittingId), this.intervalMs));
  }

  /**
   * The ranked board a new viewer starts from. Built once and shared until the next push of that
   * sitting: whatever changed after it was built is still waiting for that push, so a viewer who
   * joins now misses nothing. A thousand viewers joining cost one ranking, not a thousand.
   */
  scoreboardSnapshot(sittingId: string): ScoreboardSnapshot {
    return this.shared(sittingId).snap;
  }

  private shared(sittingId: string): { snap: ScoreboardSnapshot; text: RawJson<ScoreboardSnapshot> | null } {
    let kept = this.snapshots.get(sittingId);
    if (!kept || this.engine.now() - kept.snap.serverTime > SNAPSHOT_FRESH_MS) {
      this.snapshots.set(sittingId, (kept = { snap: this.engine.views.scoreboardSnapshot(sittingId), text: null }));
      // made again only for its clock, a snapshot has the ranks of the one before: kept once
      const held = this.held(sittingId);
      const ranks = ranksOf(kept.snap);
      if (!sameRanks(held[held.length - 1], ranks)) held.push(ranks);
    }
    return kept;
  }

  /**
   * The same snapshot as JSON text, serialized once and sent as it is to every viewer who joins
   * before the next push: a thousand phones opening the board cost one serialization of it, not
   * a thousand (each about 1.5 ms for 2,000 rows, all on the event loop the candidates' acks wait on).
   */
  scoreboardSnapshotText(sittingId: string): RawJson<ScoreboardSnapshot> {
    const kept = this.shared(sittingId);
    return (kept.text ??= new RawJson(asciiJson(JSON.stringify(kept.snap))));
  }

  /**
   * The sittings with a public board, made at most once a second and again after a sitting
   * changes, serialized once for everyone who asks: a crowd of phones opening the list, or a
   * program asking in a loop, cost one list a second (2-3 ms each), not one per request.
   */
  publicSittingsText(): RawJson<ScoreboardSitting[]> {
    const now = Date.now();
    if (!this.publicList || now - this.publicList.at >= PUBLIC_LIST_MS) this.publicList = { at: now, text: new RawJson(JSON.stringify(this.engine.views.publicSittings())) };
    return this.publicList.text;
  }

  private held(sittingId: string): Ranks[] {
    let list = this.heldRanks.get(sittingId);
    if (!list) this.heldRanks.set(sittingId, (list = []));
    return list;
  }

  /**
   * The changed rows, when none of them takes part in the ranking now or did in any ranks a
   * viewer holds: then no rank on the board moved (ranks come from ranked rows alone, within
   * their formation), and the push is these rows, unranked, without ranking the whole board
   * again. While a hall sits under the on-finish policy nearly every push is such a one: a
   * board of 2,000 ranked again on each took 4-5 ms of the event loop the acks wait on.
   * Null when the board must be ranked again.
   */
  private unranked(sittingId: string, publicIds: Set<number>, held: Ranks[]): ScoreRow[] | null {
    if (held.length === 0 || this.rerank.has(sittingId)) return null;
    const rows: ScoreRow[] = [];
    for (const id of publicIds) {
      const row = this.engine.views.scoreRow(id);
      if (isRanked(row) || held.some((ranks) => ranks.has(id))) return null;
      rows.push(row);
    }
    return rows;
  }

  flush(sittingId: string): void {
    this.timers.delete(sittingId);
    const ids = this.dirty.get(sittingId);
    const publicIds = this.dirtyPublic.get(sittingId);
    this.dirty.delete(sittingId);
    this.dirtyPublic.delete(sittingId);
    if (!ids || ids.size === 0) return;
    const now = this.engine.now();
    if (this.listened(this.ns.proctor, rooms.proctor(sittingId))) {
      this.stats.proctorPushes++;
      this.ns.proctor.to(rooms.proctor(sittingId)).emit('candidates:updated', { sittingId, serverTime: now, rows: [...ids].map((id) => this.engine.views.proctorRow(id)) });
    }
    if (!publicIds || publicIds.size === 0) return;
    this.snapshots.delete(sittingId);
    if (!this.listened(this.ns.scoreboard, rooms.scoreboard(sittingId))) {
      this.heldRanks.delete(sittingId);
      return;
    }
    const held = this.held(sittingId);
    const quiet = this.unranked(sittingId, publicIds, held);
    if (quiet) {
      // no rank moved since any of the held ranks were taken, so they are all the same: one is kept
      if (held.length > 1) this.heldRanks.set(sittingId, [held[held.length - 1]]);
      this.stats.scoreboardPushes++;
      // the header's columns, without making the header (its log info hashes the seed again)
      const sections = this.engine.views.boardSections(sittingId);
      this.toBoard(sittingId, { sittingId, serverTime: now, rows: quiet.map((r) => encodeScoreRow({ ...r, rank: null }, sections)) });
      return;
    }
    this.rerank.delete(sittingId);
    // the board after these changes: pushed as a delta now, and the snapshot for viewers who join next
    const snap = this.scoreboardSnapshot(sittingId);
    const sections = snap.sitting.sections.map((x) => x.id);
    const rows = snap.rows.filter((r) => publicIds.has(r.id) || held.some((ranks) => ranks.has(r.id) && ranks.get(r.id) !== r.rank));
    this.heldRanks.set(sittingId, [ranksOf(snap)]);
    this.stats.scoreboardPushes++;
    this.toBoard(sittingId, { sittingId, serverTime: now, rows: rows.map((r) => encodeScoreRow(r, sections)) });
  }

  /**
   * A push to every viewer of a sitting, one shard per turn of the event loop. Pushes keep their
   * order in every shard: a later push starts at shard 0 behind the one before it.
   */
  private toBoard(sittingId: string, update: ScoreboardDelta): void {
    if (!this.listened(this.ns.scoreboard, rooms.scoreboard(sittingId))) return;
    // serialized once for every shard: each emit would otherwise encode the same rows again
    const text = new RawJson<ScoreboardDelta>(JSON.stringify(update));
    if (this.cluster) return void this.ns.scoreboard.to(rooms.scoreboard(sittingId)).emit('scoreboard:updated', text);
    const send = (shard: number) => {
      this.ns.scoreboard.to(rooms.scoreboardShard(sittingId, shard)).emit('scoreboard:updated', text);
      if (shard + 1 < SCOREBOARD_SHARDS) setImmediate(send, shard + 1);
    };
    send(0);
  }

  toCandidate: Notifier['toCandidate'] = (candidateId, event, ...args) => {
    this.ns.candidate.to(rooms.candidate(candidateId)).emit(event, ...args);
  };

  revokeSession(candidateId: number, reason: string): void {
    const room = rooms.candidate(candidateId);
    this.ns.candidate.to(room).emit('session:revoked', { reason });
    // false: leave the namespace but keep the transport, so the push above is delivered first
    this.ns.candidate.in(room).disconnectSockets(false);
  }

  sittingChanged(sittingId: string): void {
    this.rerank.add(sittingId);
    this.snapshots.delete(sittingId);
    this.publicList = null;
    this.engine.views.sittingChanged(sittingId);
    this.ns.candidate.to(rooms.candidatesOf(sittingId)).emit('sitting:updated', this.engine.candidates.sitting(sittingId));
    this.ns.proctor.to(rooms.proctor(sittingId)).emit('sitting:updated', this.engine.views.sittingHeader(sittingId));
    this.toBoard(sittingId, { sittingId, serverTime: this.engine.now(), rows: [], sitting: this.engine.views.scoreboardSitting(sittingId) });
  }

  logCheckpoint(sittingId: string): void {
    this.snapshots.delete(sittingId);
    this.publicList = null;
    this.toBoard(sittingId, { sittingId, serverTime: this.engine.now(), rows: [], sitting: this.engine.views.scoreboardSitting(sittingId) });
  }

  staffSessionsEnded(sessionIds: string[], reason: string): void {
    for (const id of sessionIds) {
      const room = rooms.staffSession(id);
      this.ns.proctor.to(room).emit('session:ended', { reason });
      this.ns.proctor.in(room).disconnectSockets(false);
    }
  }

  audited(sittingId: string, entry: AuditEntry): void {
    this.ns.proctor.to(rooms.proctor(sittingId)).emit('audit:appended', entry);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.snapshots.clear();
  }
}
