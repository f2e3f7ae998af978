// Builds every service once from the database handle: shared by the HTTP server and the CLI.
import { hostname } from 'node:os';
import type { DbHandle } from '../db/database.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createAudit } from '../core/audit.js';
import { createJobQueue } from '../core/jobs.js';
import { newId } from '../core/ids.js';
import type { Config } from '../config/config.js';
import { createIdentityService } from '../modules/identity/service.js';
import { createRegistryService } from '../modules/registry/service.js';
import { createPeopleService } from '../modules/registry/people-service.js';
import { createGocdbImport } from '../modules/registry/gocdb-import.js';
import { createAuditService, registryVisibility } from '../modules/audit/service.js';

export type ServiceConfig = Pick<Config, 'sessionTtlHours' | 'loginMaxFailures' | 'loginWindowMinutes'>;

export function createServices(dbHandle: DbHandle, config: ServiceConfig, clock: Clock = systemClock) {
  const { db, dialect } = dbHandle;
  const audit = createAudit(clock);
  const registry = createRegistryService({ db, clock, audit });
  const people = createPeopleService({ db, clock, audit });
  return {
    dbHandle,
    clock,
    audit,
    registry,
    people,
    identity: createIdentityService({ db, clock, audit, ...config }),
    importGocdb: createGocdbImport({ db, clock, audit }),
    auditLog: createAuditService({ db, visibility: registryVisibility({ ...registry, getPerson: people.getPerson }) }),
    jobs: createJobQueue({ db, dialect, clock, workerId: `${hostname()}:${process.pid}:${newId().slice(-8)}` }),
  };
}
export type Services = ReturnType<typeof createServices>;
