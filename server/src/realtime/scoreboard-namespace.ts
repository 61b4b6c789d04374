import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import { ScoreboardWatchSchema } from '../contract/scoreboard.js';
import type { ExamEngine } from '../services/engine.js';
import { onEvent } from './ack.js';
import { pickShard, rooms, type Broadcaster } from './broadcaster.js';
import { parse } from '../domain/payload.js';

/** /scoreboard: public and read-only. A viewer gets a snapshot, then coalesced deltas. */
export function wireScoreboardNamespace(ns: Namespace, engine: ExamEngine, broadcaster: Broadcaster, log: FastifyBaseLogger): void {
  ns.on('connection', (socket) => {
    const l = log.child({ ns: 'scoreboard', socket: socket.id });
    onEvent(socket, l, 'sittings:list', () => engine.publicSittings());
    onEvent(socket, l, 'scoreboard:watch', (payload) => {
      const { sittingId } = parse(ScoreboardWatchSchema, payload, 'watch request');
      const snapshot = broadcaster.scoreboardSnapshot(sittingId);
      for (const r of socket.rooms) if (r.startsWith('s:')) socket.leave(r);
      socket.join([rooms.scoreboard(sittingId), rooms.scoreboardShard(sittingId, pickShard())]);
      return snapshot;
    });
    onEvent(socket, l, 'scoreboard:unwatch', () => {
      for (const r of socket.rooms) if (r.startsWith('s:')) socket.leave(r);
      return { watching: false as const };
    });
  });
}
