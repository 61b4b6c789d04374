import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccountInputSchema, AccountPatchSchema } from '../../contract/admin.js';
import { AccountListItemSchema, AccountSchema, type AccountListItem } from '../../contract/http.js';
import type { AccountRow } from '../../db/repositories/accounts.js';
import { createAccount, updateAccount } from '../../services/admin.js';
import { beforeBody, requireAdmin } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { security } from './common.js';

const tags = ['accounts'];

/** Staff accounts: admins and proctors, passwords, disabling, and which sittings a proctor may run. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { repos } = app.store;
  const now = () => app.engine.now();
  const listItem = (a: AccountRow): AccountListItem => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role, disabled: a.disabled, sittings: repos.sittings.sittingIdsOf(a.id), createdAt: a.createdAt, lockedUntil: a.lockedUntil });
  app.addHook('onRequest', beforeBody(requireAdmin));

  app.get('/api/admin/accounts', { schema: { tags, summary: 'Accounts and the sittings each proctor may run', security, response: { 200: z.array(AccountListItemSchema), ...errors(401, 403) } } }, async () => repos.accounts.list().map(listItem));
  app.post(
    '/api/admin/accounts',
    { schema: { tags, summary: 'Create an admin or proctor account', security, body: AccountInputSchema, response: { 201: AccountSchema, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => reply.status(201).send(await createAccount(app.store, req.body, now(), req.account!)),
  );
  app.patch(
    '/api/admin/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Change the password or display name, disable or enable, assign sittings or take them away',
        description: 'A disabled account or a new password ends every session of the account at once, live console connections included.',
        security,
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: AccountPatchSchema,
        response: { 200: AccountListItemSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await updateAccount(app.engine, req.params.id, req.body, now(), req.account!);
      return listItem(repos.accounts.get(req.params.id)!);
    },
  );
};
