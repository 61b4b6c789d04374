import type { CandidateCtx } from '../context.js';

export const clientReport = ({ engine, candidateId }: CandidateCtx) => (payload: unknown) => {
  engine.reportClient(candidateId, payload);
  return { recorded: true as const };
};
