import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CandidateLoginSchema, type CandidateLoginResult } from '../contract/candidate.js';
import { CandidateLoginResultSchema } from '../contract/http.js';
import { loginLimits } from './login-limits.js';
import { errors } from './openapi.js';

export const candidateRoutes: FastifyPluginAsyncZod = async (app) => {
  const limited = loginLimits(app, 'candidate', app.config.candidateLoginsPerMinute, app.config.candidateLoginsPerMinuteTotal);
  app.post(
    '/api/candidate/login',
    {
      onRequest: limited,
      bodyLimit: 4096,
      schema: {
        tags: ['candidate'],
        summary: 'Candidate login: registration number, PIN and the sitting token; returns the session for /candidate',
        description:
          'When the sitting requires its token, the token is checked first (401 TOKEN_REQUIRED / TOKEN_INVALID, never counted). Wrong PINs are counted; after KACA_LOCK_AFTER the login locks until a proctor resets it (423 LOGIN_LOCKED). A candidate logged in elsewhere gets 409 ALREADY_CONNECTED; a sitting not open, 409 SITTING_NOT_OPEN or SITTING_CLOSED.',
        body: CandidateLoginSchema,
        response: { 200: CandidateLoginResultSchema, ...errors(400, 401, 404, 409, 413, 423, 429, 503) },
      },
    },
    // several nodes: the node that runs the candidate's sitting decides the login
    async (req) => (app.cluster ? app.cluster.exec<CandidateLoginResult>(app.engine.login.sittingOf(req.body), 'login', req.body) : app.engine.login.login(req.body)),
  );
};
