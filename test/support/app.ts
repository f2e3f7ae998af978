// A whole app on a test database, with helpers to call it as someone.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createServices, type Services } from '../../src/server/services.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { testDatabase, type TestDb } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  db: TestDb;
  logs: string[];
  close(): Promise<void>;
}

export const testConfig = {
  logLevel: 'info' as const,
  trustProxy: false as false | string[],
  bodyLimit: 1024 * 1024,
  importBodyLimit: 32 * 1024 * 1024,
  sessionTtlHours: 12,
  loginMaxFailures: 5,
  loginWindowMinutes: 15,
  webRoot: '/nonexistent',
  reportBodyLimit: 16 * 1024 * 1024,
  reportDecryptionKey: undefined as string | undefined,
  feedDirectories: undefined as string[] | undefined,
  feedUrlPrefixes: undefined as string[] | undefined,
  feedUploadLimit: undefined as number | undefined,
};

export async function testApp(options: { clock?: Clock; config?: Partial<typeof testConfig> } = {}): Promise<TestApp> {
  const db = await testDatabase();
  const config = { ...testConfig, ...options.config };
  const services = createServices(db, config, options.clock ?? systemClock);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp(services, config, { logStream });
  await app.ready();
  return {
    app,
    services,
    db,
    logs,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** Creates an API token carrying every permission the person holds. */
export async function tokenFor(services: Services, personId: string): Promise<string> {
  const actor = await services.identity.actorForPerson(personId, 'test');
  const { ROLE_PERMISSIONS } = await import('../../src/core/roles.js');
  const permissions = [...new Set(actor.grants.flatMap((g) => ROLE_PERMISSIONS[g.role]))];
  return (await services.identity.createToken(actor, { name: 'test', permissions, expiresInDays: 1 })).token;
}
