import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CandidateLoginSchema } from '../contract/candidate.js';

export const candidateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/candidate/login',
    { schema: { tags: ['candidate'], summary: 'Candidate login: registration number, PIN and the sitting token; returns the session for /candidate', body: CandidateLoginSchema } },
    async (req) => app.engine.login.login(req.body),
  );
};
