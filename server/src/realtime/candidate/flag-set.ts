import type { CandidateCtx } from '../context.js';

export const flagSet = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => engine.setFlag(candidateId, payload);
