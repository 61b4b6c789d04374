import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ScoreboardSittingSchema, ScoreboardSnapshotSchema } from '../contract/http.js';
import { errors } from './openapi.js';

/**
 * Per client address: the boards' own viewers use the /scoreboard namespace; these routes are
 * for other programs, and one client asking in a loop must not take the event loop the
 * candidates' acks wait on.
 */
const rateLimit = { max: 300, timeWindow: 60_000 };

/** JSON text made once (RawJson), sent as it is: not parsed and serialized again per request. */
const sendJson = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').serializer((text: string) => text).send(json as never);

export const scoreboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/scoreboard/sittings',
    {
      schema: { tags: ['scoreboard'], summary: 'Sittings with a public scoreboard (open, running, closed)', description: 'At most a second old.', response: { 200: z.array(ScoreboardSittingSchema), ...errors(429) } },
      config: { rateLimit },
    },
    // the list the namespace's viewers get, made at most once a second
    async (_req, reply) => sendJson(reply, app.broadcaster.publicSittingsText().json),
  );
  app.get(
    '/api/sittings/:id/scoreboard',
    {
      schema: {
        tags: ['scoreboard'],
        summary: 'The ranked scoreboard of a sitting, as the /scoreboard namespace sends it first',
        description: 'Scores, totals and verdicts are null while the reveal policy hides them (on-finish: until the candidate finishes).',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: ScoreboardSnapshotSchema, ...errors(400, 404, 429) },
      },
      config: { rateLimit },
    },
    // the snapshot the board's new viewers get, serialized once until the next push
    async (req, reply) => sendJson(reply, app.broadcaster.scoreboardSnapshotText(req.params.id).json),
  );
};
