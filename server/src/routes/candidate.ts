import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CandidateLoginSchema } from '../contract/candidate.js';
import { loginLimits } from './login-limits.js';

export const candidateRoutes: FastifyPluginAsyncZod = async (app) => {
  const limited = loginLimits(app, 'candidate', app.config.candidateLoginsPerMinute, app.config.candidateLoginsPerMinuteTotal);
  app.post(
    '/api/candidate/login',
    { onRequest: limited, bodyLimit: 4096, schema: { tags: ['candidate'], summary: 'Candidate login: registration number, PIN and the sitting token; returns the session for /candidate', body: CandidateLoginSchema } },
    async (req) => app.engine.login.login(req.body),
  );
};
