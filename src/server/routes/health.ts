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

  let lastCheck: { at: number; failed: string | undefined } | undefined;
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
    // The checks write: anonymous callers get the answer of the last second instead of a
    // write transaction each (load balancers probe every few seconds; an attacker many times more).
    const now = Date.now();
    if (!lastCheck || now - lastCheck.at > READY_CACHE_MS) {
      lastCheck = {
        at: now,
        failed:
          (await step('database unreachable', async () => {
            await sql`select 1`.execute(dbHandle.db);
          })) ??
          (await step('migrations pending', () => migrationsCurrent(dbHandle))) ??
          (await step('database does not accept writes', () => checkWritable(dbHandle.db))),
      };
    }
    const { failed } = lastCheck;
    if (failed) return sendProblem(reply, req, 503, failed);
    return { status: 'ready', database: dbHandle.dialect };
  });

  app.get('/metrics', { schema: { ...hide }, config: { permission: 'public' } }, async (_req, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()),
  );

  app.get('/openapi.json', { schema: { ...hide }, config: { permission: 'public' } }, async () => app.swagger());
}

const READY_CACHE_MS = 1000;
