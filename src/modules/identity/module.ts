// Identity as a part of Vigil: accounts, sessions, API tokens and the sign-in throttle.
import { Type } from '@sinclair/typebox';
import { defineJob, type VigilModule } from '../../server/module-kit.js';
import type { Services } from '../../server/services.js';
import { createIdentityService } from './service.js';
import { identityRoutes } from './routes.js';
import type { Kernel } from '../../server/module-kit.js';

const SESSION_PURGE = 'identity.session-purge';

const identityServices = ({ db, clock, audit, config }: Kernel) => ({ identity: createIdentityService({ db, clock, audit, ...config }) });
export type IdentityServices = ReturnType<typeof identityServices>;

export const identityModule: VigilModule<IdentityServices, object, Services> = {
  name: 'identity',
  services: identityServices,
  routes: (s, { config }) => identityRoutes(s.identity, config),
  jobs: [defineJob({ type: SESSION_PURGE, payload: Type.Object({}), run: (_p, _ctx, s) => s.identity.purgeExpiredSessions() })],
  schedule: async (s) => {
    await s.jobs.enqueue(s.dbHandle.db, SESSION_PURGE, {}, { uniqueKey: SESSION_PURGE, runAt: new Date(s.clock.now().getTime() + 3_600_000) });
  },
};
