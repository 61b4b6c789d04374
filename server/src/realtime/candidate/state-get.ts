import type { CandidateCtx } from '../context.js';

export const stateGet = ({ engine, candidateId }: CandidateCtx) => () => engine.candidateState(candidateId);
