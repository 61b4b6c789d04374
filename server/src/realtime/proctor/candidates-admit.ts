import { AdmitManySchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** Admits every listed candidate still waiting, with one reason: the checklist at the door. */
export const candidatesAdmit =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'candidates:admit'> =>
  async (payload) => {
    const { sittingId, candidateIds, reason } = parse(AdmitManySchema, payload, 'admit request');
    engine.staff.assertCanProctor(account, sittingId);
    const admitted = await engine.sittings.admitMany(actorOf(account), sittingId, candidateIds, reason);
    return { affected: admitted.length, admitted };
  };
