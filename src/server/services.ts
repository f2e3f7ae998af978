// Builds every service once from the database handle, module by module (src/modules/index.ts):
// shared by the HTTP server, the CLI and the job worker.
import type { DbHandle } from '../db/database.js';
import { systemClock, type Clock } from '../core/clock.js';
import { MODULES, type ModuleServices } from '../modules/index.js';
import { buildServices, createKernel, type Kernel, type ServiceConfig } from './module-kit.js';

export type { ServiceConfig } from './module-kit.js';

/** The kernel and every module's services, as one object (`services.registry`, `services.intake`, …). */
export type Services = Kernel & ModuleServices;

export function createServices(dbHandle: DbHandle, config: ServiceConfig, clock: Clock = systemClock): Services {
  return buildServices(MODULES, createKernel(dbHandle, config, clock)) as unknown as Services;
}
