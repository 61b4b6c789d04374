import { CandidateActionSchema, ExtendSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

type Action = 'admit' | 'reset-login' | 'pause' | 'resume' | 'terminate';

/** admit, reset-login, pause, resume, terminate: one candidate, a required reason, audited. */
export const candidateAction =
  (type: Action) =>
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, `candidate:${Action}`> =>
  (payload) => {
    const { sittingId, candidateId, reason } = parse(CandidateActionSchema, payload, `${type} request`);
    engine.staff.assertCanProctor(account, sittingId);
    return engine.proctor.act(sittingId, candidateId, { type, actor: actorOf(account), reason });
  };

export const candidateExtend =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'candidate:extend'> =>
  (payload) => {
    const { sittingId, candidateId, reason, minutes } = parse(ExtendSchema, payload, 'extend request');
    engine.staff.assertCanProctor(account, sittingId);
    return engine.proctor.act(sittingId, candidateId, { type: 'extend', actor: actorOf(account), reason, minutes });
  };
