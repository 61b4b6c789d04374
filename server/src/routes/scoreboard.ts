import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ScoreboardSittingSchema, ScoreboardSnapshotSchema } from '../contract/http.js';
import { errors } from './openapi.js';

export const scoreboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/scoreboard/sittings',
    { schema: { tags: ['scoreboard'], summary: 'Sittings with a public scoreboard (open, running, closed)', response: { 200: z.array(ScoreboardSittingSchema), ...errors() } } },
    async () => app.engine.views.publicSittings(),
  );
  app.get(
    '/api/sittings/:id/scoreboard',
    {
      schema: {
        tags: ['scoreboard'],
        summary: 'The ranked scoreboard of a sitting, as the /scoreboard namespace sends it first',
        description: 'Scores, totals and verdicts are null while the reveal policy hides them (on-finish: until the candidate finishes).',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: ScoreboardSnapshotSchema, ...errors(400, 404) },
      },
    },
    async (req) => app.broadcaster.scoreboardSnapshot(req.params.id),
  );
};
