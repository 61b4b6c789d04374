import { expectEmpty } from '../../services/engine.js';
import type { CandidateCtx } from '../context.js';

export const stateGet = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => {
  expectEmpty(payload, 'state:get');
  return engine.candidateState(candidateId);
};
