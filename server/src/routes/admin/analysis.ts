import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { AnalysedItemSchema, FlaggedPairSchema, ItemAnalysisSchema, PairSchema, SectionReportSchema, SimilarityQuerySchema, SimilaritySchema } from '../../contract/analysis.js';
import type { SameKeys } from '../../contract/http.js';
import type { FlaggedPair, PairResult } from '../../domain/similarity.js';
import { itemAnalysisCsv, similarityCsv, type AnalysedItem, type ItemAnalysisReport, type SectionReport, type SimilarityOut } from '../../services/analysis.js';
import { requireAdmin } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { FormatQuery, IdParams, security } from './common.js';

// every field of the reports must be in the reply schemas, or it would silently not be sent
true satisfies SameKeys<ItemAnalysisReport, z.infer<typeof ItemAnalysisSchema>>;
true satisfies SameKeys<SectionReport, z.infer<typeof SectionReportSchema>>;
true satisfies SameKeys<AnalysedItem, z.infer<typeof AnalysedItemSchema>>;
true satisfies SameKeys<SimilarityOut, z.infer<typeof SimilaritySchema>>;
true satisfies SameKeys<PairResult, z.infer<typeof PairSchema>>;
true satisfies SameKeys<FlaggedPair, z.infer<typeof FlaggedPairSchema>>;

const tags = ['analysis'];

/**
 * After the sitting: item analysis for bank maintainers and answer-similarity flags for the
 * integrity team (docs/analysis.md). Admins only; computed on the reader thread from what is
 * stored, except the live figures of a running sitting, which the engine keeps as running sums.
 */
export const analysisRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('onRequest', requireAdmin);
    const send = (reply: FastifyReply, report: ItemAnalysisReport, csv: boolean, name: string) =>
      csv ? reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="analisis-butir-${name}.csv"`).send(itemAnalysisCsv(report)) : report;

    admin.get(
      '/api/admin/banks/:id/analysis',
      { schema: { tags, summary: "Item statistics of a bank over every closed sitting that dealt from it", security, params: IdParams, querystring: FormatQuery, csv: true, response: { 200: ItemAnalysisSchema, ...errors(400, 401, 403, 404) } } },
      async (req, reply) => send(reply as FastifyReply, await app.logReader.itemAnalysis({ bankId: req.params.id }), req.query.format === 'csv', req.params.id),
    );
    admin.get(
      '/api/admin/sittings/:id/analysis',
      {
        schema: {
          tags,
          summary: 'Item statistics of one sitting: live (running sums, as committed) while it is open or running, from the stored answers once closed',
          security,
          params: IdParams,
          querystring: FormatQuery,
          csv: true,
          response: { 200: ItemAnalysisSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (req, reply) => {
        const s = app.engine.registry.sitting(req.params.id);
        // a running sitting's live figures are kept by the node that runs it (several nodes: asked of it)
        const live = s.status === 'open' || s.status === 'running';
        const report = live ? (app.cluster ? await app.cluster.exec<ReturnType<typeof app.engine.analysis.report>>(s.id, 'analysis.report', s.id) : app.engine.analysis.report(s.id)) : await app.logReader.itemAnalysis({ sittingId: s.id });
        return send(reply as FastifyReply, report, req.query.format === 'csv', s.id);
      },
    );
    admin.get(
      '/api/admin/sittings/:id/similarity',
      {
        schema: {
          tags,
          summary: 'Pairs of candidates sharing more identical wrong answers than independent work explains (closed sittings; never public)',
          security,
          params: IdParams,
          querystring: SimilarityQuerySchema,
          csv: true,
          response: { 200: SimilaritySchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        app.engine.registry.sitting(req.params.id);
        const out = await app.logReader.similarity(req.params.id, { alpha: req.query.alpha, correction: req.query.correction });
        if (req.query.format !== 'csv') return out;
        return (reply as FastifyReply).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kemiripan-${req.params.id}.csv"`).send(similarityCsv(out));
      },
    );
  });
};
