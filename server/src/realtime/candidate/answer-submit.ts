import type { CandidateCtx } from '../context.js';

export const answerSubmit = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => engine.submitAnswer(candidateId, payload);
