// The registry as a part of Vigil: NGIs, sites, endpoints, VOs, people and roles, and the GOCDB import.
import { Type } from '@sinclair/typebox';
import { systemActor } from '../../core/access.js';
import { defineJob, type Kernel, type VigilModule } from '../../server/module-kit.js';
import type { Services } from '../../server/services.js';
import { createRegistryService } from './service.js';
import { createPeopleService } from './people-service.js';
import { createGocdbImport } from './gocdb-import.js';
import { fetchGocdb } from './gocdb-fetch.js';
import { registryRoutes } from './routes.js';
import { peopleRoutes } from './people-routes.js';
import { importRoutes } from './import-routes.js';
import * as schemas from './schemas.js';

const GOCDB_REFRESH = 'registry.gocdb-refresh';

const registryServices = ({ db, clock, audit }: Kernel) => ({
  registry: createRegistryService({ db, clock, audit }),
  people: createPeopleService({ db, clock, audit }),
  importGocdb: createGocdbImport({ db, clock, audit }),
});
export type RegistryServices = ReturnType<typeof registryServices>;

export const registryModule: VigilModule<RegistryServices, object, Services> = {
  name: 'registry',
  services: registryServices,
  /** Schemas the registry's routes (and the API reference) name by $id. */
  schemas: [schemas.RoleAssignment, schemas.Ngi, schemas.Site, schemas.Endpoint, schemas.Vo, schemas.Person, schemas.ImportSummary],
  routes:
    (s, { config, parsers }) =>
    async (app) => {
      await app.register(registryRoutes(s.registry));
      await app.register(peopleRoutes(s.people));
      await app.register(importRoutes(s.importGocdb, config.importBodyLimit, parsers));
    },
  jobs: [
    defineJob({
      type: GOCDB_REFRESH,
      payload: Type.Object({ url: Type.String() }),
      run: async ({ url }, ctx, s, config) => {
        await ctx.progress(0.1, `reading ${url}`);
        const docs = await fetchGocdb(url, config.importBodyLimit);
        await ctx.progress(0.6, `importing ${docs.length} documents`);
        await s.importGocdb(systemActor('scheduled GOCDB refresh'), docs, { source: url });
      },
    }),
  ],
  schedule: async (s, config) => {
    if (!config.gocdbUrl || config.gocdbRefreshHours <= 0) return;
    await s.jobs.enqueue(
      s.dbHandle.db,
      GOCDB_REFRESH,
      { url: config.gocdbUrl },
      { uniqueKey: GOCDB_REFRESH, runAt: new Date(s.clock.now().getTime() + config.gocdbRefreshHours * 3_600_000) },
    );
  },
};
