import type { CandidateClientEvents } from '../../contract/candidate.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const clientReport = ({ engine, candidateId }: CandidateCtx): EventHandler<CandidateClientEvents, 'client:report'> => async (payload) => {
  await engine.candidates.report(candidateId, payload);
  return { recorded: true as const };
};
