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
import { connectError } from './ack.js';
import { CONNECT_LIMIT, transportBucket } from './token-bucket.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';

/**
 * Every namespace's first middleware: CONNECTs are metered per engine.io connection (see
 * CONNECT_LIMIT), before any session is checked or snapshot made. A connection past its limit is
 * refused and closed: nothing a screen does CONNECTs that often, and cycling CONNECT and
 * DISCONNECT on one websocket would otherwise make the server do a connection's work each time.
 */
function meterConnects(socket: { conn: { close(): unknown } }, next: (err?: Error) => void): void {
  if (transportBucket(socket.conn, 'connect', CONNECT_LIMIT).take() === 0) return next();
  next(connectError(new KacaError(ErrorCode.RATE_LIMITED, 'too many namespace connects on this connection: open a new one')));
  // after the refusal has gone out (socket.io sends it on the next tick)
  setImmediate(() => socket.conn.close());
}

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
    // every client speaks websocket (docs/protocol.md): long-polling sessions, which a handful of
    // keep-alive requests could open by the thousand past any per-connection limit, are refused
    transports: ['websocket'],
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  // socket.io types every namespace with the Server's one pair of event maps; each of ours has its own
  const ns = {
    candidate: io.of('/candidate') as CandidateNamespace,
    proctor: io.of('/proctor') as ProctorNamespace,
    scoreboard: io.of('/scoreboard') as ScoreboardNamespace,
  };
  for (const nsp of [ns.candidate, ns.proctor, ns.scoreboard] as const) (nsp as { use(fn: typeof meterConnects): unknown }).use(meterConnects);
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
