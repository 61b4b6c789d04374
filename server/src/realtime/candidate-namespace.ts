import type { FastifyBaseLogger } from 'fastify';
import type { Namespace } from 'socket.io';
import type { ExamEngine } from '../services/engine.js';
import { connectError, onEvent } from './ack.js';
import { rooms } from './broadcaster.js';
import type { CandidateCtx } from './context.js';
import { answerSubmit } from './candidate/answer-submit.js';
import { clientReport } from './candidate/client-report.js';
import { examFinish } from './candidate/exam-finish.js';
import { examStart } from './candidate/exam-start.js';
import { flagSet } from './candidate/flag-set.js';
import { stateGet } from './candidate/state-get.js';

const HANDLERS: Record<string, (ctx: CandidateCtx) => (payload: unknown) => unknown> = {
  'exam:start': examStart,
  'answer:submit': answerSubmit,
  'flag:set': flagSet,
  'exam:finish': examFinish,
  'state:get': stateGet,
  'client:report': clientReport,
};

/** /candidate: a session from POST /api/candidate/login, one live connection per candidate. */
export function wireCandidateNamespace(ns: Namespace, engine: ExamEngine, log: FastifyBaseLogger): void {
  ns.use((socket, next) => {
    try {
      socket.data.candidateId = engine.authenticateCandidate((socket.handshake.auth as { session?: unknown })?.session);
      next();
    } catch (err) {
      next(connectError(err));
    }
  });

  ns.on('connection', (socket) => {
    const candidateId = socket.data.candidateId as number;
    const room = rooms.candidate(candidateId);
    // The newest connection of a session wins: a reloaded page must not fight its old socket.
    ns.in(room).disconnectSockets(false);
    socket.join(room);
    const ctx: CandidateCtx = { engine, socket, candidateId, log: log.child({ ns: 'candidate', candidateId, socket: socket.id }) };
    for (const [event, make] of Object.entries(HANDLERS)) onEvent(socket, ctx.log, event, make(ctx));
    engine.candidateConnected(candidateId);
    socket.on('disconnect', () => engine.candidateDisconnected(candidateId));
    socket.emit('state:snapshot', engine.candidateState(candidateId));
  });
}
