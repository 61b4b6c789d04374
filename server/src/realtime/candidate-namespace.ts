import type { FastifyBaseLogger } from 'fastify';
import type { CandidateClientEvents } from '../contract/candidate.js';
import { ErrorCode, type Ack } from '../contract/errors.js';
import { fail, KacaError } from '../domain/errors.js';
import { RawJson } from '../domain/raw-json.js';
import type { Ownership } from '../cluster/ownership.js';
import type { ExamEngine } from '../engine/engine.js';
import { answerWith, connectError, onEvents, wrapHandlers } from './ack.js';
import { rooms } from './broadcaster.js';
import { CANDIDATE_CONNECTS, EVENT_LIMITS, eventBucket, eventLimit, TokenBucket } from './token-bucket.js';
import { LATER, type CandidateCtx, type CandidateNamespace, type Handlers } from './types.js';
import { answerSubmit } from './candidate/answer-submit.js';
import { clientReport } from './candidate/client-report.js';
import { examFinish } from './candidate/exam-finish.js';
import { examStart } from './candidate/exam-start.js';
import { flagSet } from './candidate/flag-set.js';
import { stateGet } from './candidate/state-get.js';

export const CANDIDATE_HANDLERS: Handlers<CandidateClientEvents, CandidateCtx> = {
  'exam:start': examStart,
  'answer:submit': answerSubmit,
  'flag:set': flagSet,
  'exam:finish': examFinish,
  'state:get': stateGet,
  'client:report': clientReport,
};

/** answers and flags are metered on the node that holds the socket, even when another node decides them */
const METERED: readonly (keyof CandidateClientEvents)[] = ['answer:submit', 'flag:set'];

/**
 * The sitting a session is for: its signature is checked here (a forged one costs no read and
 * reaches no other node), the login's generation by the node that runs the sitting.
 */
function sittingOfSession(engine: ExamEngine, session: unknown): string {
  const { candidateId } = engine.login.signedFor(session);
  try {
    return engine.registry.sittingOf(candidateId);
  } catch {
    fail(ErrorCode.UNAUTHORIZED, 'invalid session: log in again');
  }
}

/**
 * Several nodes: each event of a candidate whose sitting another node runs is passed to that
 * node, with what this connection's meter said (METERED), and its ack comes back the same way.
 */
function forwarded(cluster: Ownership, sittingId: string): Handlers<CandidateClientEvents, CandidateCtx> {
  return wrapHandlers(CANDIDATE_HANDLERS, (event, ctx, local) => (payload, respond) => {
    if (cluster.runs(sittingId)) return local(payload, respond);
    const wait = METERED.includes(event) ? ctx.meter() : 0;
    // the data comes as the JSON text the running node made: sent on as it is
    cluster.exec<Ack<string>>(sittingId, 'cand.event', { id: ctx.candidateId, event, payload, wait }).then((ack) => answerWith(ack.ok ? { ok: true, data: new RawJson(ack.data) } : ack, respond), (err: unknown) => respond(err));
    return LATER;
  });
}

/** /candidate: a session from POST /api/candidate/login, one live connection per candidate. */
export function wireCandidateNamespace(ns: CandidateNamespace, engine: ExamEngine, log: FastifyBaseLogger, answersPerSecond: number, cluster: Ownership | null = null): void {
  // A candidate's meters outlive their connections, so that a reconnect does not bring a fresh
  // burst. Once the candidate has no connection left, they are forgotten when they have all filled
  // up again (the connects meter takes up to a minute), which changes nothing; forgetting them at
  // the last disconnect would hand a connect-and-leave loop a fresh burst each time.
  type Meters = { answers: TokenBucket; events: TokenBucket; connects: TokenBucket; connections: number; forget: NodeJS.Timeout | null };
  const meters = new Map<number, Meters>();
  const meterOf = (candidateId: number) => {
    let held = meters.get(candidateId);
    if (!held) meters.set(candidateId, (held = { answers: new TokenBucket(answersPerSecond, Math.max(20, answersPerSecond * 4)), events: eventBucket(EVENT_LIMITS.candidate), connects: eventBucket(CANDIDATE_CONNECTS), connections: 0, forget: null }));
    return held;
  };
  const forgetWhenFull = (candidateId: number, held: Meters): void => {
    if (held.connections > 0 || held.forget) return;
    const wait = Math.max(held.answers.untilFull(), held.events.untilFull(), held.connects.untilFull());
    if (wait === 0) return void meters.delete(candidateId);
    held.forget = setTimeout(() => {
      held.forget = null;
      forgetWhenFull(candidateId, held);
    }, wait);
    held.forget.unref();
  };
  // each connection costs the whole state (the paper: 60-70 KB) and a proctor push: a session
  // connecting in a loop, each time on a new websocket, is refused past the candidate's meter
  const admit = (socket: { data: { candidateId: number } }, id: number, next: (err?: Error) => void) => {
    const held = meterOf(id);
    const wait = held.connects.take();
    if (wait > 0) {
      forgetWhenFull(id, held);
      return next(connectError(new KacaError(ErrorCode.RATE_LIMITED, `too many connections of this candidate: try again in ${wait} ms`, { retryAfterMs: wait })));
    }
    socket.data.candidateId = id;
    // forgotten in time even if this connection never arrives (the client gave up meanwhile)
    forgetWhenFull(id, held);
    next();
  };
  ns.use((socket, next) => {
    const session = (socket.handshake.auth as { session?: unknown })?.session;
    try {
      if (!cluster) return admit(socket, engine.login.authenticate(session), next);
      cluster.exec<number>(sittingOfSession(engine, session), 'cand.auth', session).then(
        (id) => admit(socket, id, next),
        (err: unknown) => next(connectError(err)),
      );
    } catch (err) {
      next(connectError(err));
    }
  });

  ns.on('connection', (socket) => {
    const candidateId = socket.data.candidateId;
    const room = rooms.candidate(candidateId);
    // The newest connection of a session wins: a reloaded page must not fight its old socket.
    // (not this socket: with several nodes the others are cut once Redis has passed it on, after this one joined)
    ns.in(room).except(socket.id).disconnectSockets(false);
    const sittingId = engine.registry.sittingOf(candidateId);
    // the sitting's room too: a start (or close) reaches every candidate's screen at once
    void socket.join([room, rooms.candidatesOf(sittingId)]);
    // a person clicks a few times a second; an outbox sent after a network cut comes as one burst
    const held = meterOf(candidateId);
    held.connections++;
    const { answers, events } = held;
    const ctx: CandidateCtx = { engine, socket, candidateId, log: log.child({ ns: 'candidate', candidateId, socket: socket.id }), meter: () => answers.take() };
    onEvents(socket, ctx.log, cluster ? forwarded(cluster, sittingId) : CANDIDATE_HANDLERS, ctx, eventLimit(events), METERED);
    socket.on('disconnect', () => {
      if (cluster) cluster.exec(sittingId, 'cand.presence', { id: candidateId, delta: -1 }).catch(() => undefined);
      else engine.candidates.disconnected(candidateId);
      held.connections--;
      forgetWhenFull(candidateId, held);
    });
    if (!cluster) {
      engine.candidates.connected(candidateId);
      socket.emit('state:snapshot', engine.candidates.state(candidateId));
      return;
    }
    cluster.exec(sittingId, 'cand.presence', { id: candidateId, delta: 1 }).catch(() => undefined);
    cluster.exec<string>(sittingId, 'cand.state', candidateId).then(
      (state) => socket.emit('state:snapshot', new RawJson(state) as never),
      (err: unknown) => ctx.log.warn({ err }, 'the state of a candidate could not be sent: the client asks again with state:get'),
    );
  });
}
