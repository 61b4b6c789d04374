import type { CandidateClientEvents } from '../../contract/candidate.js';
import { expectEmpty } from '../../domain/payload.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const stateGet = ({ engine, candidateId }: CandidateCtx): EventHandler<CandidateClientEvents, 'state:get'> => (payload) => {
  expectEmpty(payload, 'state:get');
  return engine.candidates.state(candidateId);
};
