import type { CandidateClientEvents } from '../../contract/candidate.js';
import { LATER, type CandidateCtx, type EventHandler } from '../types.js';

export const flagSet =
  ({ engine, candidateId, meter }: CandidateCtx): EventHandler<CandidateClientEvents, 'flag:set'> =>
  (payload, respond) => {
    engine.candidates.flagThen(candidateId, payload, meter(), respond);
    return LATER;
  };
