// Liveness, readiness, metrics and the OpenAPI document: public, for probes and scrapers.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { migrationsCurrent, type DbHandle } from '../../db/database.js';
import type { Registry } from 'prom-client';

export function healthRoutes(app: FastifyInstance, dbHandle: DbHandle, metrics: Registry): void {
  const hide = { hide: true };
  app.get('/healthz', { schema: { ...hide }, config: { permission: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { ...hide }, config: { permission: 'public' } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(dbHandle.db);
      if (!await migrationsCurrent(dbHandle)) return reply.code(503).send({ status: 'migrations pending' });
      return { status: 'ready', database: dbHandle.dialect };
    } catch (err) {
      _req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });

  app.get('/metrics', { schema: { ...hide }, config: { permission: 'public' } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()));

  app.get('/openapi.json', { schema: { ...hide }, config: { permission: 'public' } }, async () => app.swagger());
}
