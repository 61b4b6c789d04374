import type { FastifyBaseLogger } from 'fastify';
import type { ProctorClientEvents } from '../contract/proctor.js';
import type { ExamEngine } from '../engine/engine.js';
import { connectError, onEvents } from './ack.js';
import type { Handlers, ProctorCtx, ProctorNamespace } from './types.js';
import { candidateAction, candidateExtend } from './proctor/candidate-action.js';
import { incidentNote } from './proctor/incident-note.js';
import { sittingPause } from './proctor/sitting-pause.js';
import { sittingStatus } from './proctor/sitting-status.js';
import { sittingWatch } from './proctor/sitting-watch.js';
import { sittingsList } from './proctor/sittings-list.js';
import { tokenShow } from './proctor/token-show.js';

const HANDLERS: Handlers<ProctorClientEvents, ProctorCtx> = {
  'sittings:list': sittingsList,
  'sitting:watch': sittingWatch,
  'sitting:open': sittingStatus('open'),
  'sitting:start': sittingStatus('running'),
  'sitting:close': sittingStatus('closed'),
  'sitting:pause': sittingPause(false),
  'sitting:resume': sittingPause(true),
  'token:show': tokenShow,
  'candidate:admit': candidateAction('admit'),
  'candidate:reset-login': candidateAction('reset-login'),
  'candidate:pause': candidateAction('pause'),
  'candidate:resume': candidateAction('resume'),
  'candidate:terminate': candidateAction('terminate'),
  'candidate:extend': candidateExtend,
  'incident:note': incidentNote,
};

/** /proctor: staff sessions from POST /api/auth/login; every action is checked per sitting. */
export function wireProctorNamespace(ns: ProctorNamespace, engine: ExamEngine, log: FastifyBaseLogger): void {
  ns.use((socket, next) => {
    try {
      socket.data.account = engine.staff.authenticate((socket.handshake.auth as { session?: unknown })?.session);
      next();
    } catch (err) {
      next(connectError(err));
    }
  });
  ns.on('connection', (socket) => {
    const account = socket.data.account;
    const ctx: ProctorCtx = { engine, socket, account, log: log.child({ ns: 'proctor', account: account.username, socket: socket.id }) };
    onEvents(socket, ctx.log, HANDLERS, ctx);
  });
}
