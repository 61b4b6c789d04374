import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorCode } from '../../contract/errors.js';
import { ExamTemplateSchema } from '../../contract/exam.js';
import { TemplateListItemSchema, TemplateSchema } from '../../contract/http.js';
import { KacaError } from '../../domain/errors.js';
import { createTemplate, templateList, updateTemplate } from '../../services/admin.js';
import { beforeBody, requireAdmin } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { IdParams, security } from './common.js';

const tags = ['templates'];

/** Exam templates: sections and their scoring, durations, threshold sets and candidate groups (docs/templates.md). */
export const templateRoutes: FastifyPluginAsyncZod = async (app) => {
  const now = () => app.engine.now();
  app.addHook('onRequest', beforeBody(requireAdmin));

  app.get('/api/admin/templates', { schema: { tags, summary: 'Exam templates, which are built in, and the sittings using each', security, response: { 200: z.array(TemplateListItemSchema), ...errors(401, 403) } } }, async () => templateList(app.store));
  app.get(
    '/api/admin/templates/:id',
    { schema: { tags, summary: 'One exam template', security, params: IdParams, response: { 200: TemplateListItemSchema, ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const t = templateList(app.store).find((x) => x.template.id === req.params.id);
      if (!t) throw new KacaError(ErrorCode.NOT_FOUND, `no exam template ${req.params.id}`);
      return t;
    },
  );
  app.post(
    '/api/admin/templates',
    { schema: { tags, summary: 'Create an exam template', security, body: ExamTemplateSchema, response: { 201: TemplateSchema, ...errors(400, 401, 403, 409) } } },
    async (req, reply) => reply.status(201).send(await createTemplate(app.store, req.body, now(), req.account!)),
  );
  app.put(
    '/api/admin/templates/:id',
    {
      schema: {
        tags,
        summary: 'Replace a template while no sitting uses it',
        description: 'Built-in templates (skd) and templates a sitting uses are refused with 409 INVALID_STATE: save a copy under a new id instead.',
        security,
        params: IdParams,
        body: ExamTemplateSchema,
        response: { 200: TemplateSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateTemplate(app.engine, req.params.id, req.body, now(), req.account!),
  );
};
