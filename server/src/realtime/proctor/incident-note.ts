import { IncidentSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

export const incidentNote =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'incident:note'> =>
  (payload) => {
    const { sittingId, candidateId, reason } = parse(IncidentSchema, payload, 'incident');
    engine.staff.assertCanProctor(account, sittingId);
    return engine.proctor.noteIncident(actorOf(account), sittingId, candidateId ?? null, reason);
  };
