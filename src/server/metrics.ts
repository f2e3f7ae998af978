// Prometheus metrics: request counts and latencies per route, database pool, job queue, reports
// the quarantine refused.
// A registry per app (not prom-client's global one) so several apps can live in one test process.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DbHandle } from '../db/database.js';
import type { JobQueue } from '../core/jobs.js';
import type { MetricGauge } from './module-kit.js';
import { QUARANTINE_REFUSALS, type QuarantineStore } from '../modules/patching/quarantine-store.js';

const GAUGE_TTL_MS = 30_000;

export function createMetrics(dbHandle: DbHandle, jobs: JobQueue, quarantine?: Pick<QuarantineStore, 'onRefused'>, gauges: readonly MetricGauge[] = []) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  const requests = new Counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'vigil_db_pool_connections',
    help: 'Database connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = dbHandle.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Gauge({
    name: 'vigil_jobs',
    help: 'Background jobs by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const [status, n] of Object.entries(await jobs.counts())) this.set({ status }, n);
    },
  });
  const refused = new Counter({
    name: 'vigil_quarantine_refused_total',
    help: 'Reports refused by a bound of the report quarantine, by the bound',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of QUARANTINE_REFUSALS) refused.inc({ reason }, 0);
  quarantine?.onRefused((reason) => refused.inc({ reason }));
  for (const g of gauges) {
    // /metrics is public: a module's figures are read at most every 30 s, one read at a time,
    // however often it is scraped.
    let cached: { at: number; value: Promise<Awaited<ReturnType<MetricGauge['read']>>> } | undefined;
    const read = () => {
      if (!cached || Date.now() - cached.at > GAUGE_TTL_MS) {
        const value = g.read();
        cached = { at: Date.now(), value };
        value.catch(() => (cached = undefined));
      }
      return cached.value;
    };
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: [...g.labelNames],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await read()) this.set(labels, value);
      },
    });
  }

  return {
    registry,
    install(app: FastifyInstance) {
      app.addHook('onResponse', async (request, reply) => {
        // The route pattern, never the raw URL: ids would explode the label set.
        const route = request.routeOptions.url ?? 'unmatched';
        requests.inc({ method: request.method, route, status: String(reply.statusCode) });
        latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      });
    },
  };
}
