import { SittingActionSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** Pauses (or resumes) every candidate in progress: a power or network cut in the hall. */
export const sittingPause =
  (resume: boolean) =>
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'sitting:pause' | 'sitting:resume'> =>
  async (payload) => {
    const { sittingId, reason } = parse(SittingActionSchema, payload, 'sitting action');
    engine.staff.assertCanProctor(account, sittingId);
    return { affected: await engine.sittings.pause(actorOf(account), sittingId, reason, resume) };
  };
