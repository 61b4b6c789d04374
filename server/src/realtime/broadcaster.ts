import type { Namespace } from 'socket.io';
import type { EngineListener, ExamEngine } from '../services/engine.js';
import type { AuditEntry } from '../contract/proctor.js';
import { encodeScoreRow, type ScoreboardSnapshot } from '../contract/scoreboard.js';

export const rooms = {
  candidate: (id: number) => `c:${id}`,
  proctor: (sittingId: string) => `p:${sittingId}`,
  scoreboard: (sittingId: string) => `s:${sittingId}`,
  scoreboardShard: (sittingId: string, shard: number) => `s:${sittingId}:${shard}`,
};

/**
 * Viewers of a sitting are spread over shards, and a push goes out one shard per tick, so
 * writing to a thousand viewer sockets never holds the event loop (and the candidates' acks)
 * for long.
 */
export const SCOREBOARD_SHARDS = 64;
let nextShard = 0;
export function pickShard(): number {
  nextShard = (nextShard + 1) % SCOREBOARD_SHARDS;
  return nextShard;
}

/**
 * Carries engine changes to the audiences. Candidate changes are coalesced per sitting: at
 * most one push per interval, with only the rows that changed, encoded once per room.
 */
export class Broadcaster implements EngineListener {
  private readonly dirty = new Map<string, Set<number>>();
  private readonly dirtyPublic = new Map<string, Set<number>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly snapshots = new Map<string, ScoreboardSnapshot>();
  /** bytes of scoreboard pushes, for the benchmark */
  readonly stats = { scoreboardPushes: 0, proctorPushes: 0 };

  constructor(
    private readonly engine: ExamEngine,
    private readonly ns: { candidate: Namespace; proctor: Namespace; scoreboard: Namespace },
    private readonly intervalMs: number,
  ) {}

  candidateChanged(sittingId: string, candidateId: number, audience: 'all' | 'proctor' = 'all'): void {
    let set = this.dirty.get(sittingId);
    if (!set) this.dirty.set(sittingId, (set = new Set()));
    set.add(candidateId);
    if (audience === 'all') {
      let pub = this.dirtyPublic.get(sittingId);
      if (!pub) this.dirtyPublic.set(sittingId, (pub = new Set()));
      pub.add(candidateId);
    }
    if (!this.timers.has(sittingId)) {
      this.timers.set(sittingId, setTimeout(() => this.flush(sittingId), this.intervalMs));
    }
  }

  /**
   * The ranked board a new viewer starts from. Built once and shared until the next push of
   * that sitting: whatever changed after it was built is still waiting for that push, so a
   * viewer who joins now misses nothing. A thousand viewers joining cost one ranking, not a
   * thousand.
   */
  scoreboardSnapshot(sittingId: string): ScoreboardSnapshot {
    let snap = this.snapshots.get(sittingId);
    if (!snap) this.snapshots.set(sittingId, (snap = this.engine.scoreboardSnapshot(sittingId)));
    return snap;
  }

  flush(sittingId: string): void {
    this.timers.delete(sittingId);
    const ids = this.dirty.get(sittingId);
    const publicIds = this.dirtyPublic.get(sittingId);
    this.dirty.delete(sittingId);
    this.dirtyPublic.delete(sittingId);
    if (!ids || ids.size === 0) return;
    const now = this.engine.time();
    const proctorRoom = this.ns.proctor.adapter.rooms.get(rooms.proctor(sittingId));
    if (proctorRoom && proctorRoom.size > 0) {
      this.stats.proctorPushes++;
      this.ns.proctor.to(rooms.proctor(sittingId)).emit('candidates:updated', { sittingId, serverTime: now, rows: [...ids].map((id) => this.engine.proctorRow(id)) });
    }
    const boardRoom = this.ns.scoreboard.adapter.rooms.get(rooms.scoreboard(sittingId));
    if (publicIds && publicIds.size > 0) this.snapshots.delete(sittingId);
    if (publicIds && publicIds.size > 0 && boardRoom && boardRoom.size > 0) {
      this.stats.scoreboardPushes++;
      const sections = this.engine.scoreboardSections(sittingId);
      const delta = { sittingId, serverTime: now, rows: [...publicIds].map((id) => encodeScoreRow(this.engine.scoreRow(id), sections)) };
      const send = (shard: number) => {
        this.ns.scoreboard.to(rooms.scoreboardShard(sittingId, shard)).emit('scoreboard:updated', delta);
        if (shard + 1 < SCOREBOARD_SHARDS) setImmediate(send, shard + 1);
      };
      send(0);
    }
  }

  toCandidate(candidateId: number, event: string, payload: unknown): void {
    this.ns.candidate.to(rooms.candidate(candidateId)).emit(event, payload);
  }

  revokeSession(candidateId: number, reason: string): void {
    const room = rooms.candidate(candidateId);
    this.ns.candidate.to(room).emit('session:revoked', { reason });
    // false: leave the namespace but keep the transport, so the push above is delivered first
    this.ns.candidate.in(room).disconnectSockets(false);
  }

  sittingChanged(sittingId: string): void {
    this.snapshots.delete(sittingId);
    const sitting = this.engine.proctorSnapshotHeader(sittingId);
    this.ns.proctor.to(rooms.proctor(sittingId)).emit('sitting:updated', sitting);
    this.ns.scoreboard.to(rooms.scoreboard(sittingId)).emit('scoreboard:updated', { sittingId, serverTime: this.engine.time(), rows: [], sitting: this.engine.scoreboardSittingById(sittingId) });
  }

  audited(sittingId: string | null, entry: AuditEntry): void {
    if (sittingId) this.ns.proctor.to(rooms.proctor(sittingId)).emit('audit:appended', entry);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.snapshots.clear();
  }
}
