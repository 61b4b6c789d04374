import { SittingActionSchema } from '../../contract/proctor.js';
import { actorOf } from '../../services/engine.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

/** open, start (running) and close, each with a reason. */
export const sittingStatus = (to: 'open' | 'running' | 'closed') => ({ engine, account }: ProctorCtx) => (payload: unknown) => {
  const { sittingId, reason } = parse(SittingActionSchema, payload, 'sitting action');
  engine.assertCanProctor(account, sittingId);
  return engine.setSittingStatus(actorOf(account), sittingId, to, reason);
};
