import type { CandidateCtx } from '../context.js';

export const examStart = ({ engine, candidateId }: CandidateCtx) => () => engine.startExam(candidateId);
