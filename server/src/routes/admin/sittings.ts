import { z } from 'zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateSittingSchema, UpdateSittingSchema } from '../../contract/admin.js';
import { ErrorCode } from '../../contract/errors.js';
import { SittingDetailSchema, SittingInfoSchema } from '../../contract/http.js';
import { KacaError } from '../../domain/errors.js';
import { assignProctor, createSitting, sittingDetail, updateSitting } from '../../services/admin.js';
import { beforeBody, requireAdmin, requireStaff } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { IdParams, security } from './common.js';

const tags = ['sittings'];
const ProctorParams = IdParams.extend({ accountId: z.coerce.number().int().positive() });

/** Sittings: the list staff may run, and what admins create, schedule and staff. */
export const sittingRoutes: FastifyPluginAsyncZod = async (app) => {
  const now = () => app.engine.now();
  const exists = (id: string) => {
    if (!app.store.repos.sittings.get(id)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${id}`);
  };

  app.get(
    '/api/admin/sittings',
    { onRequest: requireStaff, schema: { tags, summary: 'Sittings this account may run (every sitting for an admin)', security, response: { 200: z.array(SittingInfoSchema), ...errors(401) } } },
    async (req) => app.engine.staff.sittingsFor(req.account!),
  );

  await app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('onRequest', beforeBody(requireAdmin));
    admin.get(
      '/api/admin/sittings/:id',
      { schema: { tags, summary: 'A sitting with its settings, proctors and the groups its roster may name', security, params: IdParams, response: { 200: SittingDetailSchema, ...errors(400, 401, 403, 404) } } },
      async (req) => {
        exists(req.params.id);
        return sittingDetail(app.engine, req.params.id);
      },
    );
    admin.post(
      '/api/admin/sittings',
      {
        schema: {
          tags,
          summary: 'Create a sitting (scheduled)',
          description: 'Refused with 400 BANK_TOO_SMALL when the bank (without its retired questions) cannot fill the template.',
          security,
          body: CreateSittingSchema,
          response: { 201: SittingDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const s = await createSitting(app.store, req.body, now(), { tokenIntervalMinutes: app.config.tokenIntervalMinutes }, undefined, req.account!);
        return reply.status(201).send(sittingDetail(app.engine, s.id));
      },
    );
    admin.patch(
      '/api/admin/sittings/:id',
      {
        schema: {
          tags,
          summary: 'Change a scheduled sitting (only the fields given)',
          description: 'Only before it opens: 409 INVALID_STATE after. A new template or bank must fill the paper (400 BANK_TOO_SMALL) and know every group on the roster (400 BAD_REQUEST).',
          security,
          params: IdParams,
          body: UpdateSittingSchema,
          response: { 200: SittingDetailSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        await updateSitting(app.engine, req.params.id, req.body, now(), req.account!);
        return sittingDetail(app.engine, req.params.id);
      },
    );
    admin.put(
      '/api/admin/sittings/:id/proctors/:accountId',
      { schema: { tags, summary: 'Assign a proctor account to the sitting (idempotent)', security, params: ProctorParams, response: { 200: SittingDetailSchema, ...errors(400, 401, 403, 404) } } },
      async (req) => {
        await assignProctor(app.store, req.params.id, req.params.accountId, true, now(), req.account!);
        return sittingDetail(app.engine, req.params.id);
      },
    );
    admin.delete(
      '/api/admin/sittings/:id/proctors/:accountId',
      { schema: { tags, summary: 'Take the sitting away from a proctor (idempotent)', security, params: ProctorParams, response: { 200: SittingDetailSchema, ...errors(400, 401, 403, 404) } } },
      async (req) => {
        await assignProctor(app.store, req.params.id, req.params.accountId, false, now(), req.account!);
        return sittingDetail(app.engine, req.params.id);
      },
    );
  });
};
