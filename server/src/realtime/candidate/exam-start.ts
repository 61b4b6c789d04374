import type { CandidateClientEvents } from '../../contract/candidate.js';
import { expectEmpty } from '../../domain/payload.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const examStart = ({ engine, candidateId }: CandidateCtx): EventHandler<CandidateClientEvents, 'exam:start'> => (payload) => {
  expectEmpty(payload, 'exam:start');
  return engine.candidates.start(candidateId);
};
