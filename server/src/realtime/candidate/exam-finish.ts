import type { CandidateClientEvents } from '../../contract/candidate.js';
import { expectEmpty } from '../../domain/payload.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const examFinish = ({ engine, candidateId }: CandidateCtx): EventHandler<CandidateClientEvents, 'exam:finish'> => (payload) => {
  expectEmpty(payload, 'exam:finish');
  return engine.candidates.finish(candidateId);
};
