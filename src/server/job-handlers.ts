// The background jobs Vigil runs, by kind. Later modules add theirs here.
import type { Config } from '../config/config.js';
import type { JobHandler } from '../core/jobs.js';
import { systemActor } from '../core/policy.js';
import { fetchGocdb } from '../modules/registry/gocdb-fetch.js';
import type { Services } from './services.js';
import { FEED_REFRESH_JOB, REEVALUATE_JOB } from '../modules/patching/feeds.js';
import { reevaluateStale } from '../modules/patching/evaluation.js';

export const GOCDB_REFRESH = 'registry.gocdb-refresh';
export const SESSION_PURGE = 'identity.session-purge';

export function jobHandlers(services: Services, config: Config): Record<string, JobHandler> {
  return {
    [GOCDB_REFRESH]: async (payload, ctx) => {
      const url = (payload as { url: string }).url;
      await ctx.progress(0.1, `reading ${url}`);
      const docs = await fetchGocdb(url, config.importBodyLimit);
      await ctx.progress(0.6, `importing ${docs.length} documents`);
      await services.importGocdb(systemActor('scheduled GOCDB refresh'), docs, { source: url });
    },
    [SESSION_PURGE]: async () => {
      await services.identity.purgeExpiredSessions();
    },
    [FEED_REFRESH_JOB]: async (payload, ctx) => {
      await services.feeds.refresh(systemActor('scheduled feed refresh'), (payload as { feedId: string }).feedId, ctx.progress);
    },
    [REEVALUATE_JOB]: async (_payload, ctx) => {
      const done = await reevaluateStale(services.dbHandle.db, services.evaluators, () => services.clock.now().toISOString(), ctx.progress);
      await ctx.progress(1, `${done.evaluations} evaluations for ${done.hosts} hosts`);
    },
  };
}

/** Queues the next run of each recurring job. Every process calls this at start and each
 *  minute; the unique key keeps one queued or running at a time, however many processes. */
export async function scheduleRecurringJobs(services: Services, config: Config): Promise<void> {
  const now = services.clock.now().getTime();
  const { db } = services.dbHandle;
  await services.jobs.enqueue(db, SESSION_PURGE, {}, { uniqueKey: SESSION_PURGE, runAt: new Date(now + 3_600_000) });
  await services.feeds.scheduleDueRefreshes();
  if (config.gocdbUrl && config.gocdbRefreshHours > 0) {
    await services.jobs.enqueue(db, GOCDB_REFRESH, { url: config.gocdbUrl }, { uniqueKey: GOCDB_REFRESH, runAt: new Date(now + config.gocdbRefreshHours * 3_600_000) });
  }
}
