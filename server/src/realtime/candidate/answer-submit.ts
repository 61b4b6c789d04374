import type { CandidateClientEvents } from '../../contract/candidate.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const answerSubmit = ({ engine, candidateId, meter }: CandidateCtx): EventHandler<CandidateClientEvents, 'answer:submit'> => (payload) => engine.candidates.answer(candidateId, payload, meter());
