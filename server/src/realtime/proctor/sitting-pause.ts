import { SittingActionSchema } from '../../contract/proctor.js';
import { actorOf } from '../../services/engine.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

/** Pauses (or resumes) every candidate in progress: a power or network cut in the hall. */
export const sittingPause = (resume: boolean) => ({ engine, account }: ProctorCtx) => async (payload: unknown) => {
  const { sittingId, reason } = parse(SittingActionSchema, payload, 'sitting action');
  engine.assertCanProctor(account, sittingId);
  return { affected: await engine.pauseSitting(actorOf(account), sittingId, reason, resume) };
};
