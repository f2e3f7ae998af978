// The background jobs Vigil runs: each module's (src/modules/index.ts), by type.
import type { Config } from '../config/config.js';
import type { JobHandler } from '../core/jobs.js';
import { MODULES } from '../modules/index.js';
import { jobHandlersOf } from './module-kit.js';
import type { Services } from './services.js';

export function jobHandlers(services: Services, config: Config): Record<string, JobHandler> {
  return jobHandlersOf(MODULES, services, config);
}

/** Queues the next run of each recurring job. Every process calls this at start and each
 *  minute; the unique key keeps one queued or running at a time, however many processes. */
export async function scheduleRecurringJobs(services: Services, config: Config): Promise<void> {
  for (const m of MODULES) await m.schedule?.(services, config);
}
