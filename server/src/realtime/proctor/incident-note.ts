import { IncidentSchema } from '../../contract/proctor.js';
import { actorOf } from '../../services/engine.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

export const incidentNote = ({ engine, account }: ProctorCtx) => (payload: unknown) => {
  const { sittingId, candidateId, reason } = parse(IncidentSchema, payload, 'incident');
  engine.assertCanProctor(account, sittingId);
  return engine.noteIncident(actorOf(account), sittingId, candidateId ?? null, reason);
};
