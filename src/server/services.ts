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
import { createFeedService } from '../modules/patching/feeds.js';
import { createEvaluatorCache } from '../modules/patching/evaluator-cache.js';
import { createReporterService } from '../modules/patching/reporters.js';
import { createIngestService } from '../modules/patching/ingest.js';
import { createGroupCommit } from '../db/group-commit.js';
import { createPatchingViews } from '../modules/patching/views.js';
import { createTagService, DEFAULT_RISK_TAGS } from '../modules/patching/tags.js';
import { createTimeToPatch } from '../modules/patching/time-to-patch.js';
import { createExceptionService } from '../modules/patching/exceptions.js';
import { createLifecycleService } from '../modules/patching/lifecycle.js';

export type ServiceConfig = Pick<Config, 'sessionTtlHours' | 'loginMaxFailures' | 'loginWindowMinutes'> & Partial<Pick<Config, 'riskTags'>>;

export function createServices(dbHandle: DbHandle, config: ServiceConfig, clock: Clock = systemClock) {
  const { db, dialect } = dbHandle;
  const audit = createAudit(clock);
  const registry = createRegistryService({ db, clock, audit });
  const people = createPeopleService({ db, clock, audit });
  const jobs = createJobQueue({ db, dialect, clock, workerId: `${hostname()}:${process.pid}:${newId().slice(-8)}` });
  const feeds = createFeedService({ db, clock, audit, jobs });
  const evaluators = createEvaluatorCache(db, feeds);
  const reporters = createReporterService({ db, clock, audit, registry, ingest: () => ingest });
  const ingest = createIngestService({ db, writes: createGroupCommit(dbHandle), clock, cache: evaluators, reporters });
  return {
    dbHandle,
    clock,
    audit,
    registry,
    people,
    identity: createIdentityService({ db, clock, audit, ...config }),
    importGocdb: createGocdbImport({ db, clock, audit }),
    auditLog: createAuditService({ db, visibility: registryVisibility({ ...registry, getPerson: people.getPerson }) }),
    jobs,
    feeds,
    evaluators,
    reporters,
    ingest,
    patchingViews: createPatchingViews({ db, clock }),
    timeToPatch: createTimeToPatch({ db, clock }),
    exceptions: createExceptionService({ db, clock, audit, registry }),
    lifecycle: createLifecycleService({ db, dialect, clock, audit }),
    tags: createTagService({ db, clock, audit, allowedTags: config.riskTags ?? DEFAULT_RISK_TAGS }),
  };
}
export type Services = ReturnType<typeof createServices>;
