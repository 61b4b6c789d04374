import { join } from 'node:path';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { openStore, type KacaStore } from './services/store.js';
import { ExamEngine } from './engine/engine.js';
import { KacaError } from './domain/errors.js';
import { refuseNul } from './domain/payload.js';
import { ErrorCode } from './contract/errors.js';
import { attachRealtime } from './realtime/plugin.js';
import { authRoutes } from './routes/auth.js';
import { candidateRoutes } from './routes/candidate.js';
import { scoreboardRoutes } from './routes/scoreboard.js';
import { logRoutes } from './routes/log.js';
import { LogReader } from './services/log-reader.js';
import { adminRoutes } from './routes/admin.js';
import { staticApps } from './routes/static-apps.js';
import { requireAdmin } from './routes/auth-hook.js';
import { API_TAGS, openapiComponents, openapiTransform } from './routes/openapi.js';
import { HealthSchema } from './contract/http.js';
import { addSecurityHeaders } from './routes/security-headers.js';
import { defaultLogFormat, textLogStream } from './text-log.js';
import { hostname } from 'node:os';
import { joinCluster, type Ownership } from './cluster/ownership.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: KacaStore;
    engine: ExamEngine;
    logReader: LogReader;
    /** several nodes (REDIS_URL): which node runs which sitting; null on one node */
    cluster: Ownership | null;
  }
}

export interface BuildOptions {
  /** an already open store (the CLI seeds before serving); otherwise one is opened from config */
  store?: KacaStore;
  /** server clock; tests pass a controllable one */
  now?: () => number;
}

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.BANK_INVALID]: 400,
  [ErrorCode.BANK_TOO_SMALL]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.INVALID_CREDENTIALS]: 401,
  [ErrorCode.TOKEN_REQUIRED]: 401,
  [ErrorCode.TOKEN_INVALID]: 401,
  [ErrorCode.LOGIN_LOCKED]: 423,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.ALREADY_CONNECTED]: 409,
  [ErrorCode.INVALID_STATE]: 409,
  [ErrorCode.SITTING_NOT_OPEN]: 409,
  [ErrorCode.SITTING_CLOSED]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.UNAVAILABLE]: 503,
};

/** The code of an error that is not Kaca's own (a plugin's, Fastify's), by its HTTP status. */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};

/**
 * A request Node's HTTP parser could not read (headers too large, a malformed request line, a
 * timeout): answered in the API's error shape, then the connection is closed, as Node would.
 */
function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are larger than the server reads']
        : [400, 'the request could not be read as HTTP'];
  const body = JSON.stringify({ error: { code: ErrorCode.BAD_REQUEST, message } });
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(err);
}

/** Bodies of public and staff routes are small; the admin imports set their own limits. */
const BODY_LIMIT = 64 * 1024;

/** The whole server as one Fastify instance: plugins, then routes, then realtime. Never listens. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const textLog = (config.logFormat ?? defaultLogFormat()) === 'text';
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : textLog ? { level: config.logLevel, stream: textLogStream() } : { level: config.logLevel },
    ...(textLog ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    // a request trickled in (slow loris) is cut off: its headers within headersTimeoutMs, all of
    // it within requestTimeoutMs; Node checks open connections at a fraction of the shorter one
    requestTimeout: config.requestTimeoutMs,
    // Node checks headersTimeout <= requestTimeout when the server is made, before Fastify sets the latter
    http: { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.headersTimeoutMs / 4))) },
    // what the router and Node's parser refuse before a route runs answers in the API's one shape too
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).send({ error: { code: ErrorCode.BAD_REQUEST, message: err.message } });
    },
    clientErrorHandler: clientError,
  });
  const store = opts.store ?? openStore(config, (err) => app.log.error({ err }, 'writer thread'));
  const logReader = new LogReader(store, config.dataDir === ':memory:' ? null : join(config.dataDir, 'exports'));
  const engine = new ExamEngine(store, config, opts.now, app.log, (round, signature) => logReader.checkBeacon(round, signature));
  const cluster = config.redisUrl ? await joinCluster(config.redisUrl, config.nodeId ?? `${hostname()}-${process.pid}`, engine, store, app.log) : null;
  app.decorate('cluster', cluster);
  app.decorate('config', config);
  app.decorate('store', store);
  app.decorate('engine', engine);
  app.decorate('logReader', logReader);
  app.setValidatorCompiler(validatorCompiler);
  // replies go out through their route's response schema: what is not in it is not sent
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof KacaError) {
      const retry = err.code === ErrorCode.RATE_LIMITED ? (err.details as { retryAfterMs: number }).retryAfterMs : err.code === ErrorCode.UNAVAILABLE ? 1000 : null;
      if (retry !== null) void reply.header('retry-after', Math.max(1, Math.ceil(retry / 1000)));
      return reply.status(STATUS[err.code] ?? 400).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const e = err as Error & { statusCode?: number; validation?: { instancePath: string; message?: string }[]; validationContext?: string };
    // the rest of a body too large is not read: the connection closes after the reply
    if (e.statusCode === 413) return reply.status(413).header('connection', 'close').send({ error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: e.message } });
    if (e.statusCode === 415) return reply.status(415).send({ error: { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: e.message } });
    if (Array.isArray(e.validation)) {
      // one message naming every field: "invalid body: groups.papua: unknown threshold set nope"
      const issues = e.validation.map((v) => ({ path: v.instancePath.split('/').filter(Boolean), message: v.message ?? 'invalid' }));
      const message = `invalid ${e.validationContext ?? 'request'}: ${issues.map((i) => `${i.path.join('.') || e.validationContext}: ${i.message}`).join('; ')}`;
      return reply.status(400).send({ error: { code: ErrorCode.BAD_REQUEST, message, details: issues } });
    }
    if (e.statusCode && e.statusCode < 500) {
      // Fastify's JSON parser refuses a body with a __proto__ or constructor.prototype key as "not valid JSON"
      const message = (e as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'the body is not valid JSON, or holds a __proto__ key or a constructor.prototype, which no route takes' : e.message;
      return reply.status(e.statusCode).send({ error: { code: BY_STATUS[e.statusCode] ?? ErrorCode.BAD_REQUEST, message } });
    }
    req.log.error({ err, url: req.url, method: req.method }, 'request failed');
    return reply.status(500).send({ error: { code: ErrorCode.INTERNAL, message: 'internal error' } });
  });

  // No text with a NUL character gets to a route (PostgreSQL cannot store one; SQLite would, so
  // both refuse it alike). Parsed JSON bodies, query strings and path parameters are checked
  // here; a CSV roster is text and its check names the line; a bank's, the question.
  app.addHook('preValidation', async (req) => {
    refuseNul(req.params, 'params');
    refuseNul(req.query, 'querystring');
    if (typeof req.body === 'object') refuseNul(req.body, 'body');
  });

  addSecurityHeaders(app);
  await app.register(rateLimit, { global: false });

  // an address nobody serves: the API's one error shape under /api/, a short page elsewhere
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (path.startsWith('/api/') || path === '/api') return reply.status(404).send({ error: { code: ErrorCode.NOT_FOUND, message: `no route ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}` } });
    return reply.status(404).type('text/plain; charset=utf-8').send('404: halaman tidak ditemukan (page not found)\n');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kaca admin and public API',
        version: '1',
        description:
          'Every error has one shape: { error: { code, message, details? } } (codes in docs/protocol.md). Times are epoch milliseconds. Realtime traffic (candidates, proctors, scoreboard) goes over socket.io: see docs/protocol.md; templates: docs/templates.md; banks: docs/bank-format.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'session from POST /api/auth/login' } } },
      tags: API_TAGS,
    },
    transform: openapiTransform,
    transformObject: openapiComponents,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // in production the API's description is for admins only
    uiHooks: config.production ? { onRequest: requireAdmin } : {},
    staticCSP: true,
  });

  app.get('/api/health', { schema: { tags: ['public'], summary: 'Liveness and the server clock', response: { 200: HealthSchema } } }, async () => ({ ok: true as const, time: engine.now() }));
  await app.register(authRoutes);
  await app.register(candidateRoutes);
  await app.register(scoreboardRoutes);
  await app.register(logRoutes);
  await app.register(adminRoutes);
  if (config.serveApps) await app.register(staticApps);

  attachRealtime(app, engine, { intervalMs: config.scoreboardIntervalMs, answersPerSecond: config.answersPerSecond }, cluster);
  app.addHook('onReady', async () => {
    // several nodes: a sitting is loaded when this node takes it on, not at start
    await engine.start(cluster === null);
    cluster?.start();
  });
  app.addHook('onClose', async () => {
    cluster?.stop();
    await engine.stop();
    await cluster?.link.stop();
    await logReader.close();
    if (!opts.store) await store.close();
  });
  return app;
}
