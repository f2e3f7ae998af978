// Patch monitoring as a part of Vigil: report intake and quarantine, vulnerability feeds,
// evaluation, the CSIRT's views, tags, exceptions and lifecycle rules.
import { Type } from '@sinclair/typebox';
import { systemActor } from '../../core/access.js';
import { createGroupCommit } from '../../db/group-commit.js';
import { defineJob, type Kernel, type VigilModule } from '../../server/module-kit.js';
import { createUploadSlots } from '../../server/upload-slots.js';
import type { Services } from '../../server/services.js';
import type { RegistryService } from '../registry/index.js';
import { createFeedService, FEED_REFRESH_JOB, REEVALUATE_JOB } from './feeds.js';
import { feedPlacesFromConfig } from './feed-places.js';
import { createFeedUploads, DEFAULT_FEED_UPLOAD_LIMIT } from './feed-upload.js';
import { feedUploadRoutes } from './feed-upload-routes.js';
import { createEvaluatorCache } from './evaluator-cache.js';
import { reevaluateStale } from './evaluation.js';
import { createReporterService } from './reporters.js';
import { createIntakeService } from './intake.js';
import { createQuarantineStore, DEFAULT_QUARANTINE_LIMITS } from './quarantine-store.js';
import { createQuarantineReview } from './quarantine-review.js';
import { createPatchingViews } from './views.js';
import { createTagService, DEFAULT_RISK_TAGS } from './tags.js';
import { createTimeToPatch } from './time-to-patch.js';
import { createExceptionService } from './exceptions.js';
import { createExceptionReview } from './exception-review.js';
import { createLifecycleService } from './lifecycle.js';
import { pakitiIntakeRoutes, jsonIntakeRoutes } from './intake-routes.js';
import { patchingRoutes } from './routes.js';
import { agentRoutes } from './agent-routes.js';
import { lifecycleRoutes } from './lifecycle-routes.js';
import { cveListRoutes } from './cve-list-routes.js';
import { createCveList } from './cve-list.js';
import { createPackageSearch } from './package-search.js';

interface Needs {
  registry: RegistryService;
}
function patchingServices({ dbHandle, db, dialect, clock, audit, jobs, config }: Kernel, { registry }: Needs) {
  const places = feedPlacesFromConfig(config);
  const feeds = createFeedService({ db, clock, audit, jobs, places });
  const evaluators = createEvaluatorCache(db, feeds);
  const reporters = createReporterService({ db, clock, audit, registry });
  const quarantine = createQuarantineStore({
    db,
    dialect,
    clock,
    limits: {
      senderMaxReports: config.quarantineSenderMaxReports ?? DEFAULT_QUARANTINE_LIMITS.senderMaxReports,
      senderMaxBytes: config.quarantineSenderMaxBytes ?? DEFAULT_QUARANTINE_LIMITS.senderMaxBytes,
      maxReports: config.quarantineMaxReports ?? DEFAULT_QUARANTINE_LIMITS.maxReports,
      maxBytes: config.quarantineMaxBytes ?? DEFAULT_QUARANTINE_LIMITS.maxBytes,
    },
  });
  const intake = createIntakeService({ db, writes: createGroupCommit(dbHandle), clock, cache: evaluators, reporters, held: quarantine });
  return {
    feeds,
    feedUploads: createFeedUploads({ db, audit, places, maxBytes: config.feedUploadLimit ?? DEFAULT_FEED_UPLOAD_LIMIT }),
    evaluators,
    reporters,
    quarantine,
    intake,
    quarantineReview: createQuarantineReview({ db, clock, audit, registry, intake }),
    patchingViews: createPatchingViews({ db, clock }),
    cveList: createCveList({ db, dialect, clock }),
    packageSearch: createPackageSearch({ db, dialect }),
    timeToPatch: createTimeToPatch({ db, clock }),
    exceptions: createExceptionService({ db, clock, audit }),
    exceptionReview: createExceptionReview({ db, clock, audit, allowedTags: config.riskTags ?? DEFAULT_RISK_TAGS }),
    lifecycle: createLifecycleService({ db, dialect, clock, audit }),
    tags: createTagService({ db, clock, audit, allowedTags: config.riskTags ?? DEFAULT_RISK_TAGS }),
  };
}
export type PatchingServices = ReturnType<typeof patchingServices>;

const QUARANTINE_PURGE_JOB = 'patching.quarantine-purge';
/** Bytes of reports read at once (each buffered whole): in total, and from one client address. */
const REPORT_UPLOAD_BUDGET = { totalBytes: 256 * 1024 * 1024, perAddressBytes: 64 * 1024 * 1024 };

export const patchingModule: VigilModule<PatchingServices, Needs, Services> = {
  name: 'patching',
  after: ['registry'],
  services: patchingServices,
  routes:
    (s, { config, parsers }) =>
    async (app) => {
      const reportOptions = {
        bodyLimit: config.reportBodyLimit,
        decryptionKey: config.reportDecryptionKey,
        trustProxy: config.trustProxy !== false,
        parsers,
        uploads: createUploadSlots({ ...REPORT_UPLOAD_BUDGET, bodyLimit: config.reportBodyLimit }),
      };
      await app.register(pakitiIntakeRoutes(s.intake, reportOptions));
      await app.register(jsonIntakeRoutes(s.intake, reportOptions));
      await app.register(agentRoutes);
      await app.register(lifecycleRoutes(s.lifecycle));
      await app.register(feedUploadRoutes(s.feedUploads));
      await app.register(cveListRoutes({ cveList: s.cveList, packageSearch: s.packageSearch }));
      await app.register(
        patchingRoutes({
          views: s.patchingViews,
          tagService: s.tags,
          feeds: s.feeds,
          reporters: s.reporters,
          quarantineReview: s.quarantineReview,
          timeToPatch: s.timeToPatch,
          exceptions: s.exceptions,
          exceptionReview: s.exceptionReview,
        }),
      );
    },
  jobs: [
    defineJob({
      type: FEED_REFRESH_JOB,
      payload: Type.Object({ feedId: Type.String() }),
      run: async ({ feedId }, ctx, s) => {
        await s.feeds.refresh(systemActor('scheduled feed refresh'), feedId, ctx.progress);
      },
    }),
    defineJob({
      type: QUARANTINE_PURGE_JOB,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        const purged = await s.quarantine.purgeReviewed();
        await ctx.progress(1, `content of ${purged} reviewed reports dropped`);
      },
    }),
    defineJob({
      type: REEVALUATE_JOB,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        const done = await reevaluateStale(s.dbHandle.db, s.evaluators, () => s.clock.now().toISOString(), ctx.progress);
        await ctx.progress(1, `${done.evaluations} evaluations for ${done.hosts} hosts`);
      },
    }),
  ],
  schedule: async (s) => {
    await s.feeds.scheduleDueRefreshes();
    await s.jobs.enqueue(s.dbHandle.db, QUARANTINE_PURGE_JOB, {}, { uniqueKey: QUARANTINE_PURGE_JOB, runAt: new Date(s.clock.now().getTime() + 3_600_000) });
  },
};
