// Liveness, readiness (the database answers, is migrated and takes writes), metrics and the
// OpenAPI document: public, for probes and scrapers.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { migrationsCurrent, type DbHandle } from '../../db/database.js';
import { checkWritable } from '../../db/writable.js';
import { sendProblem } from '../errors.js';
import type { Registry } from 'prom-client';

export function healthRoutes(app: FastifyInstance, dbHandle: DbHandle, metrics: Registry): void {
  const hide = { hide: true };
  app.get('/healthz', { schema: { ...hide }, config: { permission: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { ...hide }, config: { permission: 'public' } }, async (req, reply) => {
    // Each failure answers 503 problem+json; the database's own error goes to the log only.
    const step = async (detail: string, check: () => Promise<boolean | void>) => {
      try {
        return (await check()) !== false ? undefined : detail;
      } catch (err) {
        req.log.warn({ err }, `readiness check failed: ${detail}`);
        return detail;
      }
    };
    const failed =
      (await step('database unreachable', async () => {
        await sql`select 1`.execute(dbHandle.db);
      })) ??
      (await step('migrations pending', () => migrationsCurrent(dbHandle))) ??
      (await step('database does not accept writes', () => checkWritable(dbHandle.db)));
    if (failed) return sendProblem(reply, req, 503, failed);
    return { status: 'ready', database: dbHandle.dialect };
  });

  app.get('/metrics', { schema: { ...hide }, config: { permission: 'public' } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );

  app.get('/openapi.json', { schema: { ...hide }, config: { permission: 'public' } }, async () => app.swagger());
}
