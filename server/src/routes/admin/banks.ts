import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { BankUploadQuerySchema, QuestionQuerySchema, RetireSchema } from '../../contract/admin.js';
import { ErrorCode } from '../../contract/errors.js';
import { BankListItemSchema, BankUploadResultSchema, QuestionPageSchema, RetireResultSchema, type AdminQuestion } from '../../contract/http.js';
import { OPTION_LETTERS } from '../../contract/question.js';
import { z } from 'zod';
import { KacaError } from '../../domain/errors.js';
import type { StoredQuestion } from '../../db/repositories/banks.js';
import { BankThread, readIntoShared } from '../../services/bank-import.js';
import { exportBank, retireQuestions, uploadBank } from '../../services/banks.js';
import { beforeBody, requireAdmin } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { IdParams, security } from './common.js';

/** Uploads up to this size: a 10,000-question bank with figures is 20-50 MB. */
const UPLOAD_LIMIT = 128 * 1024 * 1024;
const tags = ['banks'];

const adminQuestion = (q: StoredQuestion): AdminQuestion => ({
  id: q.id,
  section: q.section,
  topic: q.topic,
  difficulty: q.difficulty ?? null,
  stem: q.stem,
  options: q.options,
  key: q.key !== undefined ? OPTION_LETTERS[q.key] : null,
  weights: q.weights ?? null,
  retired: q.retired,
});

/** Question banks: upload (any format, with the validation report), list, browse, retire, export as QTI 3.0. */
export const bankRoutes: FastifyPluginAsyncZod = async (app) => {
  const { store } = app;
  const now = () => app.engine.now();
  const thread = new BankThread();
  app.addHook('onClose', async () => thread.close());
  app.addHook('onRequest', beforeBody(requireAdmin));

  // The upload takes raw bytes of any type, gathered into shared memory for the bank thread
  // (services/bank-import.ts): its own scope, so no JSON parser ever sees a 50 MB body.
  await app.register(async (scope) => {
    const upload = scope.withTypeProvider<ZodTypeProvider>();
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', async (req: { headers: Record<string, string | string[] | undefined> }, payload: NodeJS.ReadableStream) => {
      const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : null;
      if (declared !== null && declared > UPLOAD_LIMIT) throw Object.assign(new Error(`the upload is larger than ${UPLOAD_LIMIT >> 20} MB`), { statusCode: 413 });
      return readIntoShared(payload, declared, UPLOAD_LIMIT);
    });
    upload.post(
      '/api/admin/banks',
      {
        schema: {
          tags,
          summary: 'Upload a bank: kaca-bank@1 JSON, CSV or a QTI 2.1/3.0 zip, validated against a template; all or nothing',
          description:
            'The body is the file itself (any content type). Read and validated off the event loop. 201 when stored; 200 with dryRun=true (nothing stored). ' +
            'A bank with any error is refused with 400 BANK_INVALID and the whole report in error.details; an id that exists is 409 CONFLICT (details: the report).',
          security,
          querystring: BankUploadQuerySchema,
          uploads: { 'application/json': 'a kaca-bank@1 document', 'text/csv': 'the CSV layout of docs/bank-format.md', 'application/zip': 'a QTI 2.1 or 3.0 content package', 'application/octet-stream': 'any of these; `name` or `format` tells which' },
          response: { 200: BankUploadResultSchema, 201: BankUploadResultSchema, ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      async (req, reply) => {
        const bytes = req.body as Uint8Array | undefined;
        if (!bytes || bytes.length === 0) throw new KacaError(ErrorCode.BAD_REQUEST, 'the upload is empty: send the bank file as the request body');
        const result = await uploadBank(store, thread, bytes, req.query, now(), req.account!);
        return reply.status(result.stored ? 201 : 200).send({ stored: result.stored, bank: result.bank!, report: result.report });
      },
    );
  });

  // Reads that scan a whole bank (a 50 MB one takes 50-450 ms) go through the bank thread's own
  // read-only connection; an in-memory database (tests) has none and is read here.
  const source = store.target;
  const onThread = !store.inMemory;

  app.get('/api/admin/banks', { schema: { tags, summary: 'Banks with question counts per section, retired questions and the sittings using each', security, response: { 200: z.array(BankListItemSchema), ...errors(401, 403) } } }, async () =>
    onThread ? thread.query(source, { what: 'list' }) : store.repos.banks.list(),
  );

  app.get(
    '/api/admin/banks/:id/questions',
    { schema: { tags, summary: "A page of a bank's questions with keys and weights, searched and filtered", security, params: IdParams, querystring: QuestionQuerySchema, response: { 200: QuestionPageSchema, ...errors(400, 401, 403, 404) } } },
    async (req) => {
      if (!store.repos.banks.exists(req.params.id)) throw new KacaError(ErrorCode.NOT_FOUND, `no bank ${req.params.id}`);
      const page = onThread ? await thread.query(source, { what: 'search', bankId: req.params.id, search: req.query }) : store.repos.banks.search(req.params.id, req.query);
      return { bankId: req.params.id, offset: req.query.offset, limit: req.query.limit, total: page.total, sections: page.sections, topics: page.topics, questions: page.questions.map(adminQuestion) };
    },
  );

  app.post(
    '/api/admin/banks/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retire questions (dealt no more; papers that hold them still score) or bring them back',
        description: 'Refused with 409 INVALID_STATE while a sitting using the bank is open or running, and with 400 BANK_TOO_SMALL when a scheduled sitting could no longer fill its paper.',
        security,
        params: IdParams,
        body: RetireSchema,
        response: { 200: RetireResultSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => retireQuestions(app.engine, req.params.id, req.body, now(), req.account!),
  );

  app.get(
    '/api/admin/banks/:id/qti',
    { schema: { tags, summary: 'The bank as a QTI 3.0 content package (zip), built off the event loop', security, params: IdParams, file: 'application/zip', response: { 200: z.custom<Buffer>(), ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      const zip = await exportBank(store, thread, req.params.id);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${req.params.id}-qti3.zip"`)
        .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    },
  );
};
