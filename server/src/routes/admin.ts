import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { AccountInputSchema, CreateSittingSchema } from '../contract/admin.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { addCandidates, adminAudit, createAccount, createSitting, createTemplate, importBank, parseCandidateCsv } from '../services/admin.js';
import { toCsv } from '../services/csv.js';
import { resultsCsv, sittingResults } from '../services/results.js';
import { incidentReport, incidentReportCsv } from '../services/report.js';
import { hashPassword } from '../services/secrets.js';
import { requireAdmin, requireStaff } from './auth-hook.js';

const Params = z.object({ id: z.string().max(64) });
const security = [{ bearer: [] }];

/** The admin API: banks, templates, sittings, rosters, results and accounts. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  const { store } = app;
  const { repos } = store;
  const now = () => app.engine.now();
  const audit = async (req: { account?: { id: number; displayName: string; role: string } }, action: string, reason: string, details: unknown, sittingId: string | null = null) => {
    await store.writer.submit([{ kind: 'audit', record: adminAudit(req.account!, now(), action, reason, details, sittingId) }]);
  };

  // Event-loop delay since the last metrics read: how long the server made work wait.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());

  app.register(async (scope) => {
    const admin = scope.withTypeProvider<ZodTypeProvider>();
    admin.addHook('preHandler', requireAdmin);

    admin.post('/api/admin/banks', { schema: { tags: ['admin'], summary: 'Import a kaca-bank@1 document (all or nothing)', security, querystring: z.object({ template: z.string().optional() }), body: z.unknown() } }, async (req, reply) => {
      const template = req.query.template ? repos.templates.get(req.query.template) : undefined;
      if (req.query.template && !template) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${req.query.template}`);
      const summary = await importBank(store, req.body, now(), template);
      await audit(req, 'bank-import', 'bank import', summary);
      return reply.status(201).send(summary);
    });
    admin.get('/api/admin/metrics', { schema: { tags: ['admin'], summary: 'Server memory, live candidates and group-commit figures (for operators and benchmarks)', security } }, async () => {
      const m = process.memoryUsage();
      const sockets = { candidate: app.io.of('/candidate').sockets.size, proctor: app.io.of('/proctor').sockets.size, scoreboard: app.io.of('/scoreboard').sockets.size };
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const eventLoopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
      loopDelay.reset();
      return { time: app.engine.now(), memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }, sockets, eventLoopDelayMs, engine: app.engine.stats() };
    });
    admin.get('/api/admin/banks', { schema: { tags: ['admin'], summary: 'Banks with question counts per section', security } }, async () => repos.banks.list());

    admin.post('/api/admin/templates', { schema: { tags: ['admin'], summary: 'Create an exam template (sections, scoring, thresholds)', security, body: z.unknown() } }, async (req, reply) => {
      const t = await createTemplate(store, req.body, now());
      await audit(req, 'template-create', 'template created', { id: t.id });
      return reply.status(201).send(t);
    });
    admin.get('/api/admin/templates', { schema: { tags: ['admin'], summary: 'Exam templates', security } }, async () => repos.templates.list());

    admin.post('/api/admin/sittings', { schema: { tags: ['admin'], summary: 'Create a sitting', security, body: CreateSittingSchema } }, async (req, reply) => {
      const s = await createSitting(store, req.body, now(), { tokenIntervalMinutes: app.config.tokenIntervalMinutes });
      await audit(req, 'sitting-create', 'sitting created', { id: s.id }, s.id);
      return reply.status(201).send(app.engine.views.sittingInfo(s));
    });

    admin.post(
      '/api/admin/sittings/:id/candidates',
      {
        schema: {
          tags: ['admin'],
          summary: 'Import candidates from CSV (registration_number,name,formation[,group,extra_minutes]); returns their PINs once',
          security,
          params: Params,
          querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
          body: z.string().min(1),
        },
      },
      async (req, reply) => {
        const inputs = parseCandidateCsv(req.body);
        const pins = await addCandidates(store, req.params.id, inputs, store.secret, now());
        await app.engine.sittings.rosterChanged(req.params.id);
        await audit(req, 'candidates-import', 'candidate roster imported', { count: pins.length }, req.params.id);
        if (req.query.format === 'csv') {
          return reply.status(201).type('text/csv; charset=utf-8').send(toCsv(['registration_number', 'name', 'pin'], pins.map((p) => [p.registrationNumber, p.name, p.pin])));
        }
        return reply.status(201).send({ sittingId: req.params.id, candidates: pins });
      },
    );

    admin.post('/api/admin/accounts', { schema: { tags: ['admin'], summary: 'Create an admin or proctor account', security, body: AccountInputSchema } }, async (req, reply) => {
      const a = await createAccount(store, req.body, now());
      await audit(req, 'account-create', 'account created', { username: a.username, role: a.role, sittings: req.body.sittings });
      return reply.status(201).send({ id: a.id, username: a.username, displayName: a.displayName, role: a.role });
    });
    admin.get('/api/admin/accounts', { schema: { tags: ['admin'], summary: 'Accounts and the sittings each proctor may run', security } }, async () =>
      repos.accounts.list().map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role, disabled: a.disabled, sittings: repos.sittings.sittingIdsOf(a.id) })),
    );
    admin.patch(
      '/api/admin/accounts/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Change password, disable, or assign sittings',
          security,
          params: z.object({ id: z.coerce.number().int() }),
          body: z.object({ password: z.string().min(8).max(200).optional(), disabled: z.boolean().optional(), displayName: z.string().min(1).max(200).optional(), assignSittings: z.array(z.string()).optional() }),
        },
      },
      async (req) => {
        const a = repos.accounts.get(req.params.id);
        if (!a) throw new KacaError(ErrorCode.NOT_FOUND, `no account ${req.params.id}`);
        for (const s of req.body.assignSittings ?? []) if (!repos.sittings.get(s)) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${s}`);
        const patch = {
          ...(req.body.password ? { passwordHash: await hashPassword(req.body.password) } : {}),
          ...(req.body.disabled !== undefined ? { disabled: req.body.disabled } : {}),
          ...(req.body.displayName ? { displayName: req.body.displayName } : {}),
        };
        await store.writer.submit([
          { kind: 'account-update', id: a.id, patch },
          ...(req.body.assignSittings ?? []).map((sittingId) => ({ kind: 'proctor-assignment' as const, sittingId, accountId: a.id, assigned: true })),
          { kind: 'audit', record: adminAudit(req.account!, now(), 'account-update', 'account updated', { username: a.username, password: !!req.body.password, disabled: req.body.disabled, assignSittings: req.body.assignSittings }) },
        ]);
        // a disabled account or a new password ends every session of the account, connections and all
        if (req.body.disabled) await app.engine.staff.accountChanged(a.id, 'disabled');
        else if (req.body.password) await app.engine.staff.accountChanged(a.id, 'password');
        return { ok: true };
      },
    );
  });

  // Staff (admins and the sitting's proctors) may read the sitting lists, results and audit log.
  app.register(async (scope) => {
    const staff = scope.withTypeProvider<ZodTypeProvider>();
    staff.addHook('preHandler', requireStaff);
    staff.get('/api/admin/sittings', { schema: { tags: ['admin'], summary: 'Sittings this account may run (all for an admin)', security } }, async (req) => app.engine.staff.sittingsFor(req.account!));
    staff.get(
      '/api/admin/sittings/:id/results',
      { schema: { tags: ['admin'], summary: 'Results ranked per formation with pass/fail and the next-stage cut-off', security, params: Params, querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }) } },
      async (req, reply) => {
        app.engine.staff.assertCanProctor(req.account!, req.params.id);
        const results = sittingResults(repos, req.params.id);
        if (req.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="results-${req.params.id}.csv"`).send(resultsCsv(results));
        }
        return results;
      },
    );
    staff.get(
      '/api/admin/sittings/:id/report',
      { schema: { tags: ['admin'], summary: 'Incident report (berita acara): sitting facts and every action with its reason', security, params: Params, querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }) } },
      async (req, reply) => {
        app.engine.staff.assertCanProctor(req.account!, req.params.id);
        const report = incidentReport(app.engine, req.params.id);
        if (req.query.format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="berita-acara-${req.params.id}.csv"`).send(incidentReportCsv(report));
        }
        return report;
      },
    );
    staff.get('/api/admin/sittings/:id/audit', { schema: { tags: ['admin'], summary: 'Every proctor and admin action of a sitting, with reasons', security, params: Params } }, async (req) => {
      app.engine.staff.assertCanProctor(req.account!, req.params.id);
      return app.engine.views.auditLog(req.params.id);
    });
  });
};
