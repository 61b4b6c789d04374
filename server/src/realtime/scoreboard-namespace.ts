import type { FastifyBaseLogger } from 'fastify';
import { ScoreboardWatchSchema, type ScoreboardSnapshot, type ScoreboardWatching } from '../contract/scoreboard.js';
import type { Ownership } from '../cluster/ownership.js';
import type { ExamEngine } from '../engine/engine.js';
import { expectEmpty, parse } from '../domain/payload.js';
import { answerUnknownEvents, onEvent } from './ack.js';
import { pickShard, rooms, type Broadcaster } from './broadcaster.js';
import { EVENT_LIMITS, eventLimit, transportBucket } from './token-bucket.js';
import type { ScoreboardNamespace, ScoreboardSocket } from './types.js';
import type { ScoreboardClientEvents } from '../contract/scoreboard.js';

function leaveBoards(socket: ScoreboardSocket): void {
  for (const r of socket.rooms) if (r.startsWith('s:')) void socket.leave(r);
}

/** A viewer starts on a board: out of the rooms of any other, into this one's and a shard of it. */
function joinBoard(socket: ScoreboardSocket, sittingId: string, cluster: boolean): void {
  leaveBoards(socket);
  void socket.join(cluster ? [rooms.scoreboard(sittingId)] : [rooms.scoreboard(sittingId), rooms.scoreboardShard(sittingId, pickShard())]);
}

/** How long viewers who ask for a snapshot are gathered: at most this many encodings of it a second, however many ask. */
const CROWD_MS = 50;

/**
 * Viewers who asked for a sitting's snapshot as an event (one node). They are gathered for
 * CROWD_MS and sent the snapshot as one broadcast: socket.io encodes a broadcast once, websocket
 * frame included, and writes that to each of them. As an ack, the same
 * snapshot (445 KB for 2,000 candidates) is a packet of its own for each viewer, and measuring and
 * copying it took 2.6-2.9 ms of the event loop a viewer.
 */
class SnapshotCrowd {
  private readonly waiting = new Map<string, { socket: ScoreboardSocket; done: (r: ScoreboardWatching) => void; failed: (err: unknown) => void }[]>();

  constructor(
    private readonly ns: ScoreboardNamespace,
    private readonly broadcaster: Broadcaster,
  ) {}

  join(socket: ScoreboardSocket, sittingId: string): Promise<ScoreboardWatching> {
    // a sitting without a board is refused now, not after the wait
    this.broadcaster.scoreboardSnapshotText(sittingId);
    return new Promise((done, failed) => {
      let list = this.waiting.get(sittingId);
      if (!list) {
        this.waiting.set(sittingId, (list = []));
        setTimeout(() => this.send(sittingId), CROWD_MS);
      }
      list.push({ socket, done, failed });
    });
  }

  private send(sittingId: string): void {
    const all = this.waiting.get(sittingId) ?? [];
    this.waiting.delete(sittingId);
    // whoever left meanwhile is answered too (the ack goes nowhere), so nothing waits for good
    for (const w of all) if (!w.socket.connected) w.done({ watching: true, sittingId });
    const list = all.filter((w) => w.socket.connected);
    if (list.length === 0) return;
    try {
      // the snapshot as of the last push, and the rooms of the next: as the ack path does, in one turn
      const text = this.broadcaster.scoreboardSnapshotText(sittingId);
      for (const w of list) joinBoard(w.socket, sittingId, false);
      this.ns.to(list.map((w) => w.socket.id)).emit('scoreboard:snapshot', text as never);
      // the acks after the snapshot: each socket writes in order
      for (const w of list) w.done({ watching: true, sittingId });
    } catch (err) {
      for (const w of list) w.failed(err);
    }
  }
}

/** /scoreboard: public and read-only. A viewer gets a snapshot, then coalesced deltas. */
export function wireScoreboardNamespace(ns: ScoreboardNamespace, engine: ExamEngine, broadcaster: Broadcaster, log: FastifyBaseLogger, cluster: Ownership | null = null): void {
  const crowd = new SnapshotCrowd(ns, broadcaster);
  ns.on('connection', (socket) => {
    const l = log.child({ ns: 'scoreboard', socket: socket.id });
    // anyone may connect here: every event counts against the connection's limit (the websocket's,
    // not this namespace socket's: a DISCONNECT and CONNECT again brings no fresh burst)
    const limit = eventLimit(transportBucket(socket.conn, 'scoreboard', EVENT_LIMITS.scoreboard));
    onEvent<ScoreboardClientEvents, 'sittings:list'>(socket, l, 'sittings:list', (payload) => {
      limit();
      expectEmpty(payload, 'sittings:list');
      return broadcaster.publicSittingsText();
    });
    onEvent<ScoreboardClientEvents, 'scoreboard:watch'>(socket, l, 'scoreboard:watch', (payload) => {
      limit();
      const { sittingId, snapshot: mode } = parse(ScoreboardWatchSchema, payload, 'watch request');
      if (mode === 'event' && !cluster) return crowd.join(socket, sittingId);
      if (cluster && !cluster.runs(sittingId)) {
        // several nodes: the board comes from the node that runs the sitting, and its pushes
        // reach this node's viewers in the sitting's one room (no shards: see Broadcaster)
        // in the room before the board is made there, so that no push after it is missed
        leaveBoards(socket);
        void socket.join(rooms.scoreboard(sittingId));
        return cluster.exec<ScoreboardSnapshot>(sittingId, 'board.snapshot', sittingId).then(
          (snapshot) => snapshot as never,
          (err: unknown) => {
            void socket.leave(rooms.scoreboard(sittingId));
            throw err;
          },
        );
      }
      const snapshot = broadcaster.scoreboardSnapshotText(sittingId);
      joinBoard(socket, sittingId, cluster !== null);
      return snapshot;
    });
    onEvent<ScoreboardClientEvents, 'scoreboard:unwatch'>(socket, l, 'scoreboard:unwatch', (payload) => {
      limit();
      expectEmpty(payload, 'scoreboard:unwatch');
      leaveBoards(socket);
      return { watching: false as const };
    });
    answerUnknownEvents(socket, ['sittings:list', 'scoreboard:watch', 'scoreboard:unwatch'] satisfies (keyof ScoreboardClientEvents)[]);
  });
}
