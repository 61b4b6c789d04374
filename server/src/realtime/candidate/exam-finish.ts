import type { CandidateCtx } from '../context.js';

export const examFinish = ({ engine, candidateId }: CandidateCtx) => () => engine.finishExam(candidateId);
