import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ROOT } from '../paths.js';

// Both builds are served from the site root: the exam client owns / and assets/, the console
// build owns proctor/, scoreboard/, admin/, verify/ and console-assets/, so no file name collides.
const BUILDS = [
  { dir: join(ROOT, 'exam-client', 'dist'), pages: ['/'] },
  { dir: join(ROOT, 'proctor-console', 'dist'), pages: ['/proctor/', '/scoreboard/', '/admin/', '/verify/'] },
];

/**
 * Serves the built browser apps; before a build, each page says how to make one. Also /media/:
 * files an operator puts in DATA_DIR/media (figures a bank refers to as /media/..., candidates'
 * photos), same-origin so the pages' Content-Security-Policy allows them.
 */
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
  if (app.config.dataDir !== ':memory:') {
    const media = join(app.config.dataDir, 'media');
    mkdirSync(media, { recursive: true, mode: 0o700 });
    // wildcard: files added while the server runs are served too; dotfiles never are
    await app.register(fastifyStatic, { root: media, prefix: '/media/', decorateReply: !decorated, wildcard: true, dotfiles: 'deny', index: false, maxAge: '1h' });
  }
};
