import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { ExamEngine } from '../engine/engine.js';
import { Broadcaster } from './broadcaster.js';
import { jsonParser } from './json-parser.js';
import { CANDIDATE_HANDLERS, wireCandidateNamespace } from './candidate-namespace.js';
import { PROCTOR_HANDLERS, wireProctorNamespace } from './proctor-namespace.js';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Ownership } from '../cluster/ownership.js';
import { serveRealtime } from '../cluster/realtime.js';
import { wireScoreboardNamespace } from './scoreboard-namespace.js';
import type { CandidateNamespace, ProctorNamespace, ScoreboardNamespace } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    broadcaster: Broadcaster;
  }
}

/**
 * socket.io on Fastify's own HTTP server. Every namespace exists before listen (a client of a
 * namespace created later gets "Invalid namespace"). preClose closes every connection (otherwise
 * app.close() waits for them) by closing its transport, not by a socket.io disconnect: a client
 * told "server disconnect" stays down for good, one whose transport closed reconnects by itself,
 * so a restarted server gets its hall back without anyone reloading a page.
 */
export function attachRealtime(app: FastifyInstance, engine: ExamEngine, opts: { intervalMs: number; answersPerSecond: number }, cluster: Ownership | null = null): void {
  const io = new Server(app.server, {
    serveClient: false,
    parser: jsonParser,
    // several nodes: rooms span them through Redis Streams (we never send binary: plain JSON there)
    ...(cluster ? { adapter: createAdapter(cluster.link.adapterClient, { onlyPlaintext: true, streamName: 'kaca:io' }) } : {}),
    // Answers are small; a client sending megabytes is not a candidate.
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  // socket.io types every namespace with the Server's one pair of event maps; each of ours has its own
  const ns = {
    candidate: io.of('/candidate') as CandidateNamespace,
    proctor: io.of('/proctor') as ProctorNamespace,
    scoreboard: io.of('/scoreboard') as ScoreboardNamespace,
  };
  const broadcaster = new Broadcaster(engine, ns, opts.intervalMs, cluster !== null);
  engine.setNotifier(broadcaster);
  wireCandidateNamespace(ns.candidate, engine, app.log, opts.answersPerSecond, cluster);
  wireProctorNamespace(ns.proctor, engine, app.log, cluster);
  wireScoreboardNamespace(ns.scoreboard, engine, broadcaster, app.log, cluster);
  if (cluster) serveRealtime(cluster, engine, broadcaster, ns, { candidate: CANDIDATE_HANDLERS, proctor: PROCTOR_HANDLERS }, app.log);
  app.decorate('io', io);
  app.decorate('broadcaster', broadcaster);
  app.addHook('preClose', (done) => {
    broadcaster.close();
    io.engine.close();
    done();
  });
}
