import { createReadStream } from 'node:fs';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CheckpointsSchema, LogProofSchema, SittingLogSchema } from '../contract/http.js';
import { errors } from './openapi.js';

const Params = z.object({ id: z.string().max(64) });
const ProofQuery = z.object({ leaf: z.coerce.number().int().min(0), size: z.coerce.number().int().min(1) });

/**
 * The sitting logs, public (docs/verifiability.md): commitments and the latest checkpoint at any
 * time; every checkpoint; and, once the sitting is closed, receipt proofs and the full export.
 * The heavy two run on the log reader thread and are rate-limited per address.
 */
export const logRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/sittings/:id/log',
    {
      schema: { tags: ['verify'], summary: "A sitting log's public side: origin, verifier key, commitments, latest checkpoint, and the seed once closed", params: Params, response: { 200: SittingLogSchema, ...errors(404, 429) } },
      // a hall checking its receipts from behind one address: ten a second between them
      config: { rateLimit: { max: 600, timeWindow: 60_000 } },
    },
    async (req) => ({ ...app.engine.views.scoreboardSitting(req.params.id).log, size: app.store.repos.log.size(req.params.id) }),
  );
  app.get(
    '/api/sittings/:id/checkpoints',
    { schema: { tags: ['verify'], summary: 'Every signed checkpoint of the sitting log, oldest first (C2SP signed notes)', params: Params, response: { 200: CheckpointsSchema, ...errors(404, 429) } }, config: { rateLimit: { max: 600, timeWindow: 60_000 } } },
    async (req) => {
      app.engine.registry.sitting(req.params.id);
      return { checkpoints: app.store.repos.log.checkpoints(req.params.id) };
    },
  );
  app.get(
    '/api/sittings/:id/log/proof',
    {
      schema: {
        tags: ['verify'],
        summary: "A receipt's proofs, once the sitting is closed: the leaf, its inclusion proof at the receipt's size, and the consistency proof to the latest checkpoint",
        params: Params,
        querystring: ProofQuery,
        response: { 200: LogProofSchema, ...errors(400, 404, 409, 429) },
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (req) => app.logReader.proof(req.params.id, req.query.leaf, req.query.size),
  );
  app.get(
    '/api/sittings/:id/export',
    {
      schema: {
        tags: ['verify'],
        summary: 'The public export of a closed sitting (kaca-export@1, docs/verifiability.md): seed, commitments, template, checkpoints, leaves, receipts',
        params: Params,
        file: 'application/json',
        response: { 200: z.custom<unknown>(), ...errors(404, 409, 429) },
      },
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const file = await app.logReader.exportFile(req.params.id);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="kaca-export-${req.params.id}.json"`)
        .send(createReadStream(file));
    },
  );
};
