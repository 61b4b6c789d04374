import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every reply. CSP: KaTeX and the apps style elements inline; question
 * figures are data: images; the sockets are same-origin. No page of Kaca may be framed
 * (clickjacking a proctor console). The apps load nothing cross-origin, so COEP would only get
 * in the way of /media images.
 */
const POLICY: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginEmbedderPolicy: false,
};

/** helmet's headers for that policy, worked out once: they are the same for every request. */
export function securityHeaders(): [string, string][] {
  const headers: [string, string][] = [];
  const res = { setHeader: (name: string, value: string) => void headers.push([name, value]), removeHeader: () => undefined };
  helmet(POLICY)({} as never, res as never, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
  });
  return headers;
}

/**
 * Sets them on each reply's response as it starts: a list set directly, where the Fastify plugin
 * worked them out request by request (a fifth of a candidate login's time in a login storm).
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  const headers = securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
