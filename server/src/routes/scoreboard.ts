import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const scoreboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/scoreboard/sittings', { schema: { tags: ['scoreboard'], summary: 'Sittings with a public scoreboard (open, running, closed)' } }, async () => app.engine.views.publicSittings());
  app.get(
    '/api/sittings/:id/scoreboard',
    { schema: { tags: ['scoreboard'], summary: 'The ranked scoreboard of a sitting, as the /scoreboard namespace sends it first', params: z.object({ id: z.string().max(64) }) } },
    async (req) => app.broadcaster.scoreboardSnapshot(req.params.id),
  );
};
