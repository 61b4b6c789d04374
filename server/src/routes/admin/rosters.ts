import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorCode } from '../../contract/errors.js';
import { RosterCheckSchema, RosterEntrySchema, RosterImportResultSchema, type RosterEntry } from '../../contract/http.js';
import { KacaError } from '../../domain/errors.js';
import { attemptStatus } from '../../domain/status.js';
import { attemptFromRow } from '../../engine/registry.js';
import { toCsv } from '../../services/csv.js';
import { importRoster, previewRoster } from '../../services/roster.js';
import { beforeBody, requireAdmin } from '../auth-hook.js';
import { errors } from '../openapi.js';
import { FormatQuery, IdParams, security } from './common.js';

const tags = ['rosters'];
/** A roster of 10,000 candidates is about 1 MB; inline photos make it larger. */
const ROSTER_LIMIT = 16 * 1024 * 1024;
const CSV_BODY = {
  'text/csv':
    'header row, then one row per candidate: registration_number, name, formation (required); group, extra_minutes, seat, photo (optional). Indonesian headers (no_peserta, nama, formasi, kelompok, tambahan_menit, kursi, foto) are read alike.',
};

/** Rosters: a CSV checked row by row (preview), imported all or nothing with PINs shown once, and the list. */
export const rosterRoutes: FastifyPluginAsyncZod = async (app) => {
  const { repos } = app.store;
  const now = () => app.engine.now();
  app.addHook('onRequest', beforeBody(requireAdmin));
  app.addContentTypeParser(['text/csv', 'application/csv', 'text/plain'], { parseAs: 'string', bodyLimit: ROSTER_LIMIT }, (_req, body, done) => done(null, body));
  const text = (body: unknown) => {
    if (typeof body !== 'string' || body.trim() === '') throw new KacaError(ErrorCode.BAD_REQUEST, 'send the roster as text/csv: a header row and one row per candidate');
    return body;
  };

  app.get(
    '/api/admin/sittings/:id/candidates',
    { schema: { tags, summary: "The sitting's roster (no PINs: they are shown once, at import)", security, params: IdParams, response: { 200: z.array(RosterEntrySchema), ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const sitting = repos.sittings.get(req.params.id);
      if (!sitting) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${req.params.id}`);
      const attempts = new Map(repos.attempts.listBySitting(req.params.id).map((a) => [a.candidateId, a]));
      return repos.candidates.listBySitting(req.params.id).map(
        (c): RosterEntry => ({
          id: c.id,
          registrationNumber: c.registrationNumber,
          name: c.name,
          formation: c.formation,
          group: c.groupName,
          seat: c.seat,
          extraMinutes: c.extraMinutes,
          photoUrl: c.photoUrl,
          status: attemptStatus(attempts.has(c.id) ? attemptFromRow(attempts.get(c.id)!) : null, sitting),
        }),
      );
    },
  );

  app.post(
    '/api/admin/sittings/:id/candidates/check',
    { schema: { tags, summary: 'Check a CSV roster row by row; nothing is stored', security, params: IdParams, uploads: CSV_BODY, response: { 200: RosterCheckSchema, ...errors(400, 401, 403, 404, 409, 413) } } },
    async (req) => previewRoster(app.store, req.params.id, text(req.body)),
  );

  app.post(
    '/api/admin/sittings/:id/candidates',
    {
      schema: {
        tags,
        summary: 'Import a CSV roster: all or nothing; each new candidate with a PIN, shown this once',
        description:
          'Any row with an error refuses the whole file: 400 BAD_REQUEST with the row-by-row check (as from /check) in error.details. A closed sitting takes no candidates (409 INVALID_STATE). With ?format=csv the PINs come as CSV.',
        security,
        params: IdParams,
        querystring: FormatQuery,
        uploads: CSV_BODY,
        csv: true,
        response: { 201: RosterImportResultSchema, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const pins = await importRoster(app.engine, req.params.id, text(req.body), now(), req.account!);
      if (req.query.format === 'csv') {
        return (reply as FastifyReply)
          .status(201)
          .type('text/csv; charset=utf-8')
          .send(toCsv(['registration_number', 'name', 'formation', 'group', 'seat', 'pin'], pins.map((p) => [p.registrationNumber, p.name, p.formation, p.group, p.seat ?? '', p.pin])));
      }
      return reply.status(201).send({ sittingId: req.params.id, candidates: pins });
    },
  );
};
