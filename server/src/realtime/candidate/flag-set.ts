import type { CandidateClientEvents } from '../../contract/candidate.js';
import type { CandidateCtx, EventHandler } from '../types.js';

export const flagSet = ({ engine, candidateId, meter }: CandidateCtx): EventHandler<CandidateClientEvents, 'flag:set'> => (payload) => engine.candidates.flag(candidateId, payload, meter());
