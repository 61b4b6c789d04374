import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ROOT } from '../paths.js';

// Both builds are served from the site root: the exam client owns / and assets/, the console
// build owns proctor/, scoreboard/ and console-assets/, so no file name collides.
const BUILDS = [
  { dir: join(ROOT, 'exam-client', 'dist'), pages: ['/'] },
  { dir: join(ROOT, 'proctor-console', 'dist'), pages: ['/proctor/', '/scoreboard/', '/verify/'] },
];

/** Serves the built browser apps; before a build, each page says how to make one. */
export const staticApps: FastifyPluginAsync = async (app) => {
  let decorated = false;
  for (const { dir, pages } of BUILDS) {
    if (existsSync(dir)) {
      // wildcard: false registers one route per file found now, so /api and /socket.io stay free.
      await app.register(fastifyStatic, { root: dir, prefix: '/', decorateReply: !decorated, wildcard: false, index: 'index.html', maxAge: '1h', immutable: false });
      decorated = true;
    } else {
      for (const page of pages) {
        app.get(page, async (_req, reply) => reply.type('text/plain; charset=utf-8').status(503).send(`This app is not built yet (${dir}). Run: npm run build`));
      }
    }
  }
};
