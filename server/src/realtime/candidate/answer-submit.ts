import type { CandidateClientEvents } from '../../contract/candidate.js';
import { LATER, type CandidateCtx, type EventHandler } from '../types.js';

export const answerSubmit =
  ({ engine, candidateId, meter }: CandidateCtx): EventHandler<CandidateClientEvents, 'answer:submit'> =>
  (payload, respond) => {
    engine.candidates.answerThen(candidateId, payload, meter(), respond);
    return LATER;
  };
