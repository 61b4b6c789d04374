import { expectEmpty } from '../../services/engine.js';
import type { CandidateCtx } from '../context.js';

export const examFinish = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => {
  expectEmpty(payload, 'exam:finish');
  return engine.finishExam(candidateId);
};
