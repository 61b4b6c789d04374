import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const APPS = [
  { prefix: '/', dir: `${ROOT}exam-client/dist` },
  { prefix: '/proctor/', dir: `${ROOT}proctor-console/dist/proctor` },
  { prefix: '/scoreboard/', dir: `${ROOT}proctor-console/dist/scoreboard` },
];

/** Serves the built browser apps; before a build, says how to make one. */
export const staticApps: FastifyPluginAsync = async (app) => {
  let decorated = false;
  for (const { prefix, dir } of APPS) {
    if (existsSync(dir)) {
      await app.register(fastifyStatic, { root: dir, prefix, decorateReply: !decorated, index: 'index.html', wildcard: false });
      decorated = true;
    } else {
      app.get(prefix, async (_req, reply) => reply.type('text/plain; charset=utf-8').status(503).send(`This app is not built yet (${dir}). Run: npm run build`));
    }
  }
};
