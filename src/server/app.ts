// The Fastify application, built by a function so tests can make as many as they need.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.js';
import { trustedPeer } from '../config/trust-proxy.js';
import { registerAuth, type RouteAccess } from './auth.js';
import { registerErrorHandling, sendProblem } from './errors.js';
import { problemClientErrorHandler } from './client-errors.js';
import { registerSecurityHeaders, swaggerUiCsp } from './security-headers.js';
import { createMetrics } from './metrics.js';
import { createParsers } from './parse-pool.js';
import { checkJsonDepth } from '../lib/json-depth/index.js';
import { Problem } from './schema-helpers.js';
import type { Services } from './services.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { MODULES } from '../modules/index.js';

export type AppConfig = Pick<Config, 'logLevel' | 'trustProxy' | 'bodyLimit' | 'importBodyLimit' | 'sessionTtlHours' | 'webRoot' | 'reportBodyLimit'> &
  Partial<Pick<Config, 'reportDecryptionKey'>>;

export interface RouteInfo {
  method: string;
  url: string;
  permission: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with the access it declares (the authorization matrix test reads this). */
    vigilRoutes: RouteInfo[];
  }
}

/** Never let a credential reach the logs, whatever a serializer or a plugin decides to print. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.sessionToken',
  '*.csrfToken',
];

const MAX_JSON_DEPTH = 32;

const defaultWebRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));

export async function buildApp(
  services: Services,
  config: AppConfig,
  options: { logStream?: { write(line: string): unknown } } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' }, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    // A request's body must arrive within this: a slow sender cannot hold its buffer (and, for
    // reports, its upload slot) for longer.
    requestTimeout: 120_000,
    clientErrorHandler: problemClientErrorHandler,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('vigilRoutes', [] as RouteInfo[]);
  app.addHook('onRoute', (route) => {
    // Routes added by the API-reference and static-file plugins serve public documents.
    if (route.url.startsWith('/api/docs') || route.url === '/*') route.config = { ...route.config, permission: 'public' };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') app.vigilRoutes.push({ method, url: route.url, permission: route.config?.permission });
  });

  // A client-certificate DN is believed only from a listed proxy (Fastify applies the same list
  // to X-Forwarded-For and -Proto); from any other peer the header is dropped.
  const fromTrustedProxy = trustedPeer(config.trustProxy);
  app.addHook('onRequest', async (request) => {
    if (!fromTrustedProxy(request.socket.remoteAddress)) delete request.headers['x-ssl-client-s-dn'];
  });

  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  // Depth before JSON.parse: a megabyte of `[` costs JSON.parse far more than its size suggests
  // (issue 9). No API body nests anywhere near this deep.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    try {
      checkJsonDepth(text, MAX_JSON_DEPTH);
    } catch (err) {
      return done(err as Error, undefined);
    }
    return parseJson(req, text, done);
  });
  // Large uploads (host reports, GOCDB XML) are parsed on worker threads.
  const parsers = createParsers();
  app.addHook('onClose', () => parsers.close());
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: '1',
        description:
          'Security operations for federated research infrastructures. Authenticate with `Authorization: Bearer vgl_…` (API token) or the session cookie set by /api/v1/auth/login (then send X-CSRF-Token on changes). Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'vigil_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', transformStaticCSP: swaggerUiCsp });
  for (const schema of [Problem, ...MODULES.flatMap((m) => m.schemas ?? [])]) app.addSchema(schema);

  registerAuth(app, services.identity);
  const metrics = createMetrics(
    services.dbHandle,
    services.jobs,
    services.quarantine,
    MODULES.flatMap((m) => m.metrics?.(services) ?? []),
  );
  metrics.install(app);

  healthRoutes(app, services.dbHandle, metrics.registry);
  await app.register(jobRoutes(services.jobs));
  // Each part of Vigil adds its routes (src/modules/index.ts).
  const routeContext = { config, parsers };
  for (const m of MODULES) if (m.routes) await app.register(m.routes(services, routeContext));

  const webRoot = config.webRoot ?? defaultWebRoot;
  const hasWeb = existsSync(`${webRoot}/index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: 'index.html' });

  app.setNotFoundHandler((request, reply) => {
    // The single-page app owns every non-API path; the API answers 404 as problem+json.
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (isPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, request, 404, `no route for ${request.method} ${request.url.split('?')[0]}`);
  });
  return app;
}
