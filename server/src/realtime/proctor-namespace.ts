import type { FastifyBaseLogger } from 'fastify';
import type { ProctorClientEvents } from '../contract/proctor.js';
import type { ExamEngine } from '../engine/engine.js';
import { answerWith, connectError, onEvents, wrapHandlers } from './ack.js';
import type { Ownership } from '../cluster/ownership.js';
import { sittingOfPayload, type ProctorReply } from '../cluster/realtime.js';
import { EVENT_LIMITS, eventLimit, transportBucket } from './token-bucket.js';
import { rooms } from './broadcaster.js';
import { LATER, type Handlers, type ProctorCtx, type ProctorNamespace } from './types.js';
import { candidateAction, candidateExtend } from './proctor/candidate-action.js';
import { candidatesAdmit } from './proctor/candidates-admit.js';
import { incidentNote } from './proctor/incident-note.js';
import { sittingExtend } from './proctor/sitting-extend.js';
import { sittingPause } from './proctor/sitting-pause.js';
import { sittingStatus } from './proctor/sitting-status.js';
import { sittingUnlockLogins } from './proctor/sitting-unlock.js';
import { sittingWatch } from './proctor/sitting-watch.js';
import { sittingsList } from './proctor/sittings-list.js';
import { tokenShow } from './proctor/token-show.js';

export const PROCTOR_HANDLERS: Handlers<ProctorClientEvents, ProctorCtx> = {
  'sittings:list': sittingsList,
  'sitting:watch': sittingWatch,
  'sitting:open': sittingStatus('open'),
  'sitting:start': sittingStatus('running'),
  'sitting:close': sittingStatus('closed'),
  'sitting:pause': sittingPause(false),
  'sitting:resume': sittingPause(true),
  'sitting:unlock-logins': sittingUnlockLogins,
  'sitting:extend': sittingExtend,
  'token:show': tokenShow,
  'candidate:admit': candidateAction('admit'),
  'candidates:admit': candidatesAdmit,
  'candidate:reset-login': candidateAction('reset-login'),
  'candidate:pause': candidateAction('pause'),
  'candidate:resume': candidateAction('resume'),
  'candidate:terminate': candidateAction('terminate'),
  'candidate:extend': candidateExtend,
  'incident:note': incidentNote,
};

/**
 * Several nodes: an event about a sitting another node runs is passed to that node with the
 * proctor's account (checked here, on every event), and the rooms its handler joined are joined here.
 */
function forwarded(cluster: Ownership): Handlers<ProctorClientEvents, ProctorCtx> {
  return wrapHandlers(PROCTOR_HANDLERS, (event, ctx, local) => (payload, respond) => {
    const sittingId = sittingOfPayload(payload);
    if (sittingId === null || cluster.runs(sittingId)) return local(payload, respond);
    // a watch joins the sitting's room before its rows are made there, so that no push after them is missed
    const room = event === 'sitting:watch' ? rooms.proctor(sittingId) : null;
    const had = room !== null && ctx.socket.rooms.has(room);
    if (room) void ctx.socket.join(room);
    // the session, not the account: the running node checks it itself
    cluster.exec<ProctorReply>(sittingId, 'proctor.event', { sessionId: ctx.socket.data.sessionId, event, payload, joined: [...ctx.socket.rooms] }).then(
      (r) => {
        for (const left of r.leave) void ctx.socket.leave(left);
        if (r.join.length) void ctx.socket.join(r.join);
        if (room && !r.ack.ok && !had) void ctx.socket.leave(room);
        answerWith(r.ack, respond);
      },
      (err: unknown) => {
        if (room && !had) void ctx.socket.leave(room);
        respond(err);
      },
    );
    return LATER;
  });
}

/** /proctor: staff sessions from POST /api/auth/login; every action is checked per sitting. */
export function wireProctorNamespace(ns: ProctorNamespace, engine: ExamEngine, log: FastifyBaseLogger, cluster: Ownership | null = null): void {
  ns.use((socket, next) => {
    try {
      const { account, sessionId } = engine.staff.authenticate((socket.handshake.auth as { session?: unknown })?.session);
      socket.data.account = account;
      socket.data.sessionId = sessionId;
      next();
    } catch (err) {
      next(connectError(err));
    }
  });
  ns.on('connection', (socket) => {
    const { account, sessionId } = socket.data;
    void socket.join(rooms.staffSession(sessionId));
    engine.staff.connected(sessionId, 1);
    socket.on('disconnect', () => engine.staff.connected(sessionId, -1));
    const ctx: ProctorCtx = { engine, socket, account, log: log.child({ ns: 'proctor', account: account.username, socket: socket.id }) };
    // every event checks the session again: it may have ended, or the account changed, since connecting
    const limit = eventLimit(transportBucket(socket.conn, 'proctor', EVENT_LIMITS.proctor));
    onEvents(socket, ctx.log, cluster ? forwarded(cluster) : PROCTOR_HANDLERS, ctx, () => {
      limit();
      ctx.account = engine.staff.check(sessionId);
    });
  });
}
