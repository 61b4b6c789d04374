import type { FastifyBaseLogger } from 'fastify';
import type { CandidateClientEvents } from '../contract/candidate.js';
import type { ExamEngine } from '../engine/engine.js';
import { connectError, onEvents } from './ack.js';
import { rooms } from './broadcaster.js';
import { EVENT_LIMITS, eventBucket, eventLimit, TokenBucket } from './token-bucket.js';
import type { CandidateCtx, CandidateNamespace, Handlers } from './types.js';
import { answerSubmit } from './candidate/answer-submit.js';
import { clientReport } from './candidate/client-report.js';
import { examFinish } from './candidate/exam-finish.js';
import { examStart } from './candidate/exam-start.js';
import { flagSet } from './candidate/flag-set.js';
import { stateGet } from './candidate/state-get.js';

const HANDLERS: Handlers<CandidateClientEvents, CandidateCtx> = {
  'exam:start': examStart,
  'answer:submit': answerSubmit,
  'flag:set': flagSet,
  'exam:finish': examFinish,
  'state:get': stateGet,
  'client:report': clientReport,
};

/** /candidate: a session from POST /api/candidate/login, one live connection per candidate. */
export function wireCandidateNamespace(ns: CandidateNamespace, engine: ExamEngine, log: FastifyBaseLogger, answersPerSecond: number): void {
  ns.use((socket, next) => {
    try {
      socket.data.candidateId = engine.login.authenticate((socket.handshake.auth as { session?: unknown })?.session);
      next();
    } catch (err) {
      next(connectError(err));
    }
  });

  // A candidate's meters outlive their connections, so that a reconnect does not bring a fresh
  // burst; they are forgotten when the candidate's last connection closes with them full, which
  // changes nothing.
  const meters = new Map<number, { answers: TokenBucket; events: TokenBucket; connections: number }>();
  ns.on('connection', (socket) => {
    const candidateId = socket.data.candidateId;
    const room = rooms.candidate(candidateId);
    // The newest connection of a session wins: a reloaded page must not fight its old socket.
    ns.in(room).disconnectSockets(false);
    // the sitting's room too: a start (or close) reaches every candidate's screen at once
    void socket.join([room, rooms.candidatesOf(engine.registry.examinee(candidateId).profile.sittingId)]);
    // a person clicks a few times a second; an outbox sent after a network cut comes as one burst
    const held = meters.get(candidateId) ?? { answers: new TokenBucket(answersPerSecond, Math.max(20, answersPerSecond * 4)), events: eventBucket(EVENT_LIMITS.candidate), connections: 0 };
    meters.set(candidateId, held);
    held.connections++;
    const { answers, events } = held;
    const ctx: CandidateCtx = { engine, socket, candidateId, log: log.child({ ns: 'candidate', candidateId, socket: socket.id }), meter: () => answers.take() };
    onEvents(socket, ctx.log, HANDLERS, ctx, eventLimit(events), ['answer:submit', 'flag:set']);
    engine.candidates.connected(candidateId);
    socket.on('disconnect', () => {
      engine.candidates.disconnected(candidateId);
      if (--held.connections === 0 && answers.full() && events.full()) meters.delete(candidateId);
    });
    socket.emit('state:snapshot', engine.candidates.state(candidateId));
  });
}
