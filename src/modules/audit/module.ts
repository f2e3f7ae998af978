// The audit log as a part of Vigil: reading it, verifying it, and signing checkpoints of its head.
import { Type } from '@sinclair/typebox';
import { defineJob, type Kernel, type VigilModule } from '../../server/module-kit.js';
import type { Services } from '../../server/services.js';
import type { PeopleService, RegistryService } from '../registry/index.js';
import { createAuditService, registryVisibility } from './service.js';
import { auditRoutes } from './routes.js';

const AUDIT_CHECKPOINT = 'audit.checkpoint';

interface Needs {
  registry: RegistryService;
  people: PeopleService;
}
const auditServices = ({ db, audit }: Kernel, { registry, people }: Needs) => ({
  auditLog: createAuditService({ db, audit, visibility: registryVisibility({ ...registry, getPerson: people.getPerson }) }),
});
export type AuditServices = ReturnType<typeof auditServices>;

export const auditModule: VigilModule<AuditServices, Needs, Services> = {
  name: 'audit',
  after: ['registry'],
  services: auditServices,
  routes: (s) => auditRoutes(s.auditLog),
  jobs: [
    defineJob({
      type: AUDIT_CHECKPOINT,
      payload: Type.Object({}),
      run: async (_p, ctx, s) => {
        const { checkpoint, created } = await s.audit.checkpoint(s.dbHandle.db);
        await ctx.progress(1, `${created ? 'signed' : 'already signed'}: event ${checkpoint.seq}`);
      },
    }),
  ],
  schedule: async (s, config) => {
    if (config.auditCheckpointMinutes <= 0) return;
    await s.jobs.enqueue(
      s.dbHandle.db,
      AUDIT_CHECKPOINT,
      {},
      { uniqueKey: AUDIT_CHECKPOINT, runAt: new Date(s.clock.now().getTime() + config.auditCheckpointMinutes * 60_000) },
    );
  },
};
