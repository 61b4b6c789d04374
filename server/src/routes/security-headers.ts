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
      // not helmet's upgrade-insecure-requests: a hall's PCs reach the server at its LAN address
      // over plain HTTP, and a browser told to upgrade asks for https:// assets that no one serves
      // (a blank page). On localhost browsers do not upgrade, so only a LAN address showed it.
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false,
  // sent only on a reply that goes out over TLS (see addSecurityHeaders)
  strictTransportSecurity: false,
};

/** HSTS for a server reached over TLS (directly, or through a trusted proxy that says so). */
const HSTS = 'max-age=31536000; includeSubDomains';

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
  app.addHook('onRequest', (req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    if (req.protocol === 'https') reply.raw.setHeader('strict-transport-security', HSTS);
    done();
  });
}
