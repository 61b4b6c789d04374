import { expectEmpty } from '../../services/engine.js';
import type { CandidateCtx } from '../context.js';

export const examStart = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => {
  expectEmpty(payload, 'exam:start');
  return engine.startExam(candidateId);
};
