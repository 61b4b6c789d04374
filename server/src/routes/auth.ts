import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StaffLoginSchema } from '../contract/proctor.js';
import { AccountSchema, OkSchema, StaffLoginResultSchema } from '../contract/http.js';
import { requireStaff } from './auth-hook.js';
import { loginLimits } from './login-limits.js';
import { errors } from './openapi.js';

const publicAccount = (a: { id: number; username: string; displayName: string; role: 'admin' | 'proctor' }) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role });
const security = [{ bearer: [] }];
const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const limited = loginLimits(app, 'staff', app.config.staffLoginsPerMinute, app.config.staffLoginsPerMinuteTotal);
  app.post(
    '/api/auth/login',
    {
      onRequest: limited,
      bodyLimit: 4096,
      schema: {
        tags,
        summary: 'Staff login (admin or proctor): returns a bearer session',
        description: 'Five wrong passwords lock the account for a minute, then twice as long each time (423 LOGIN_LOCKED with details.retryAfterMs). Limited per address and in all (429).',
        body: StaffLoginSchema,
        response: { 200: StaffLoginResultSchema, ...errors(400, 401, 413, 423, 429) },
      },
    },
    async (req) => {
      const { session, account } = await app.engine.staff.login(req.body);
      return { session, account: publicAccount(account) };
    },
  );
  app.post(
    '/api/auth/logout',
    { onRequest: requireStaff, schema: { tags, summary: 'Ends this staff session on the server; its live connections are cut', security, response: { 200: OkSchema, ...errors(401) } } },
    async (req) => {
      await app.engine.staff.logout(req.staffSession!);
      return { ok: true as const };
    },
  );
  app.get('/api/auth/me', { onRequest: requireStaff, schema: { tags, summary: 'The logged-in account', security, response: { 200: AccountSchema, ...errors(401) } } }, async (req) => publicAccount(req.account!));
};
