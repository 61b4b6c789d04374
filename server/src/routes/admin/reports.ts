import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditQuerySchema } from '../../contract/admin.js';
import type { SameKeys } from '../../contract/http.js';
import { AuditEntrySchema, AuditPageSchema, IncidentReportSchema, MetricsSchema, SittingResultsSchema } from '../../contract/http.js';
import { auditEntry } from '../../domain/proctor-view.js';
import { incidentReport, incidentReportCsv } from '../../services/report.js';
import { resultsCsv, sittingResults, type SittingResults } from '../../services/results.js';
import { requireAdmin, requireStaff } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { FormatQuery, IdParams, security } from './common.js';

const tags = ['results'];
type Row<T> = T extends readonly (infer R)[] ? R : never;
type Formation = Row<SittingResults['formations']>;
type SchemaFormation = Row<z.infer<typeof SittingResultsSchema>['formations']>;
// every field of the results must be in the reply schema, or it would silently not be sent
true satisfies SameKeys<SittingResults, z.infer<typeof SittingResultsSchema>>;
true satisfies SameKeys<Formation, SchemaFormation>;
true satisfies SameKeys<Row<Formation['lines']>, Row<SchemaFormation['lines']>>;

/** What a sitting produced: results, the berita acara, the audit log; and the server's metrics. */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { repos } = app.store;
  // Event-loop delay since the last metrics read: how long the server made work wait.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());
  let elu: EventLoopUtilization = performance.eventLoopUtilization();

  // Staff: admins, and the proctors of the sitting.
  await app.register(async (scope) => {
    const staff = scope.withTypeProvider<ZodTypeProvider>();
    staff.addHook('onRequest', requireStaff);
    staff.get(
      '/api/admin/sittings/:id/results',
      { schema: { tags, summary: 'Results ranked per formation with pass/fail and the next-stage cut-off', security, params: IdParams, querystring: FormatQuery, csv: true, response: { 200: SittingResultsSchema, ...errors(400, 401, 403, 404) } } },
      async (req, reply) => {
        app.engine.staff.assertCanProctor(req.account!, req.params.id);
        const results = sittingResults(repos, req.params.id);
        if (req.query.format === 'csv') {
          return (reply as FastifyReply).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="hasil-${req.params.id}.csv"`).send(resultsCsv(results));
        }
        return results;
      },
    );
    staff.get(
      '/api/admin/sittings/:id/report',
      { schema: { tags, summary: 'Incident report (berita acara): sitting facts and every action with its reason', security, params: IdParams, querystring: FormatQuery, csv: true, response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404) } } },
      async (req, reply) => {
        app.engine.staff.assertCanProctor(req.account!, req.params.id);
        const report = incidentReport(app.engine, req.params.id);
        if (req.query.format === 'csv') {
          return (reply as FastifyReply).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="berita-acara-${req.params.id}.csv"`).send(incidentReportCsv(report));
        }
        return report;
      },
    );
    staff.get(
      '/api/admin/sittings/:id/audit',
      { schema: { tags, summary: 'Every proctor and admin action of a sitting, with reasons, oldest first', security, params: IdParams, response: { 200: z.array(AuditEntrySchema), ...errors(400, 401, 403, 404) } } },
      async (req) => {
        app.engine.staff.assertCanProctor(req.account!, req.params.id);
        return app.engine.views.auditLog(req.params.id);
      },
    );
  });

  await app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('onRequest', requireAdmin);
    admin.get(
      '/api/admin/audit',
      { schema: { tags, summary: 'The whole audit log, newest first, a page at a time', security, querystring: AuditQuerySchema, response: { 200: AuditPageSchema, ...errors(400, 401, 403) } } },
      async (req) => {
        const rows = repos.audit.page(req.query);
        // the candidate an action was about, by number and name: an operator reading the log cannot resolve ids
        const named = new Map<number, { registrationNumber: string; name: string } | undefined>();
        const candidate = (id: number | null) => {
          if (id === null) return undefined;
          if (!named.has(id)) named.set(id, repos.candidates.get(id));
          return named.get(id);
        };
        const entries = rows.map((r) => {
          const c = candidate(r.candidateId);
          return { ...auditEntry(r), registrationNumber: c?.registrationNumber ?? null, candidateName: c?.name ?? null };
        });
        return { entries, next: rows.length === req.query.limit ? rows[rows.length - 1].id : null };
      },
    );
    admin.get('/api/admin/metrics', { schema: { tags: ['server'], summary: 'Memory, live candidates, event-loop delay, answer ack times and group-commit figures (for operators and benchmarks)', security, response: { 200: MetricsSchema, ...errors(401, 403) } } }, async () => {
      const m = process.memoryUsage();
      const sockets = { candidate: app.io.of('/candidate').sockets.size, proctor: app.io.of('/proctor').sockets.size, scoreboard: app.io.of('/scoreboard').sockets.size };
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const eventLoopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
      loopDelay.reset();
      // the share of the time since the last read the event loop was running code (not waiting):
      // a delay with a low share is the machine's other threads taking the CPU, not this loop's work
      const busy = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      return { time: app.engine.now(), eventLoopUtilization: Math.round(busy.utilization * 1000) / 1000, memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }, sockets, eventLoopDelayMs, answerAckMs: app.engine.candidates.ackTimes.take(), engine: app.engine.stats(), cluster: app.cluster ? { node: app.cluster.link.nodeId, sittings: app.cluster.list() } : null };
    });
  });
};
