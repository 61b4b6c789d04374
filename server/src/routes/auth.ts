import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StaffLoginSchema } from '../contract/proctor.js';
import { requireStaff } from './auth-hook.js';
import { loginLimits } from './login-limits.js';

const publicAccount = (a: { id: number; username: string; displayName: string; role: 'admin' | 'proctor' }) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role });

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const limited = loginLimits(app, 'staff', app.config.staffLoginsPerMinute, app.config.staffLoginsPerMinuteTotal);
  app.post('/api/auth/login', { onRequest: limited, bodyLimit: 4096, schema: { tags: ['auth'], summary: 'Staff login (admin or proctor): returns a bearer session', body: StaffLoginSchema } }, async (req) => {
    const { session, account } = await app.engine.staff.login(req.body);
    return { session, account: publicAccount(account) };
  });
  app.post('/api/auth/logout', { preHandler: requireStaff, schema: { tags: ['auth'], summary: 'Ends this staff session on the server; its live connections are cut', security: [{ bearer: [] }] } }, async (req) => {
    await app.engine.staff.logout(req.staffSession!);
    return { ok: true };
  });
  app.get('/api/auth/me', { preHandler: requireStaff, schema: { tags: ['auth'], summary: 'The logged-in account', security: [{ bearer: [] }] } }, async (req) => publicAccount(req.account!));
};
