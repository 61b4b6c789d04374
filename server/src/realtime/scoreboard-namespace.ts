import type { FastifyBaseLogger } from 'fastify';
import { ScoreboardWatchSchema, type ScoreboardSnapshot } from '../contract/scoreboard.js';
import type { Ownership } from '../cluster/ownership.js';
import type { ExamEngine } from '../engine/engine.js';
import { expectEmpty, parse } from '../domain/payload.js';
import { answerUnknownEvents, onEvent } from './ack.js';
import { pickShard, rooms, type Broadcaster } from './broadcaster.js';
import { EVENT_LIMITS, eventBucket, eventLimit } from './token-bucket.js';
import type { ScoreboardNamespace, ScoreboardSocket } from './types.js';
import type { ScoreboardClientEvents } from '../contract/scoreboard.js';

function leaveBoards(socket: ScoreboardSocket): void {
  for (const r of socket.rooms) if (r.startsWith('s:')) void socket.leave(r);
}

/** /scoreboard: public and read-only. A viewer gets a snapshot, then coalesced deltas. */
export function wireScoreboardNamespace(ns: ScoreboardNamespace, engine: ExamEngine, broadcaster: Broadcaster, log: FastifyBaseLogger, cluster: Ownership | null = null): void {
  ns.on('connection', (socket) => {
    const l = log.child({ ns: 'scoreboard', socket: socket.id });
    // anyone may connect here: every event counts against the connection's limit
    const limit = eventLimit(eventBucket(EVENT_LIMITS.scoreboard));
    onEvent<ScoreboardClientEvents, 'sittings:list'>(socket, l, 'sittings:list', (payload) => {
      limit();
      expectEmpty(payload, 'sittings:list');
      return broadcaster.publicSittingsText();
    });
    onEvent<ScoreboardClientEvents, 'scoreboard:watch'>(socket, l, 'scoreboard:watch', (payload) => {
      limit();
      const { sittingId } = parse(ScoreboardWatchSchema, payload, 'watch request');
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
      leaveBoards(socket);
      void socket.join(cluster ? [rooms.scoreboard(sittingId)] : [rooms.scoreboard(sittingId), rooms.scoreboardShard(sittingId, pickShard())]);
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
