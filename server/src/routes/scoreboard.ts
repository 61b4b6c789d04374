import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ScoreboardSittingSchema, ScoreboardSnapshotSchema } from '../contract/http.js';
import { errors } from './openapi.js';

/** The list of public boards is made at most once a second, whoever asks how often. */
const LIST_MS = 1000;
/**
 * Per client address: the boards' own viewers use the /scoreboard namespace; these routes are
 * for other programs, and one client asking in a loop must not take the event loop the
 * candidates' acks wait on.
 */
const rateLimit = { max: 300, timeWindow: 60_000 };
const JSON_TYPE = 'application/json; charset=utf-8';

export const scoreboardRoutes: FastifyPluginAsyncZod = async (app) => {
  let list: { at: number; json: string } | null = null;
  app.get(
    '/api/scoreboard/sittings',
    {
      schema: { tags: ['scoreboard'], summary: 'Sittings with a public scoreboard (open, running, closed)', description: 'At most a second old.', response: { 200: z.array(ScoreboardSittingSchema), ...errors(429) } },
      config: { rateLimit },
    },
    async (_req, reply) => {
      const now = Date.now();
      if (!list || now - list.at >= LIST_MS) list = { at: now, json: JSON.stringify(app.engine.views.publicSittings()) };
      // sent as made: serialized once a second, not once a request
      return reply.type(JSON_TYPE).serializer((text: string) => text).send(list.json as never);
    },
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
    async (req, reply) => reply.type(JSON_TYPE).serializer((text: string) => text).send(app.broadcaster.scoreboardSnapshotText(req.params.id).json as never),
  );
};
