import { CandidateActionSchema, ExtendSchema } from '../../contract/proctor.js';
import { actorOf } from '../../services/engine.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

type Action = 'admit' | 'reset-login' | 'pause' | 'resume' | 'terminate';

/** admit, reset-login, pause, resume, terminate: one candidate, a required reason, audited. */
export const candidateAction = (action: Action) => ({ engine, account }: ProctorCtx) => (payload: unknown) => {
  const { sittingId, candidateId, reason } = parse(CandidateActionSchema, payload, `${action} request`);
  engine.assertCanProctor(account, sittingId);
  const actor = actorOf(account);
  switch (action) {
    case 'admit':
      return engine.admit(actor, sittingId, candidateId, reason);
    case 'reset-login':
      return engine.resetLogin(actor, sittingId, candidateId, reason);
    case 'pause':
      return engine.pauseCandidate(actor, sittingId, candidateId, reason, false);
    case 'resume':
      return engine.pauseCandidate(actor, sittingId, candidateId, reason, true);
    case 'terminate':
      return engine.terminate(actor, sittingId, candidateId, reason);
  }
};

export const candidateExtend = ({ engine, account }: ProctorCtx) => (payload: unknown) => {
  const { sittingId, candidateId, reason, minutes } = parse(ExtendSchema, payload, 'extend request');
  engine.assertCanProctor(account, sittingId);
  return engine.extendTime(actorOf(account), sittingId, candidateId, minutes, reason);
};
