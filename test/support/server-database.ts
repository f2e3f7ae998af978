// The database a test shares with `vigil serve` run as a child process: a SQLite file in the
// test's directory, or (VIGIL_TEST_DB=postgres) a schema of its own. Migrated, with one NGI and
// one site that takes anonymous reports, made through the services before the server starts.
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type DbHandle } from '../../src/db/database.js';
import { createServices, type Services } from '../../src/server/services.js';
import { loadAuditKeys } from '../../src/core/audit-keys.js';
import { createPgSchema, onPostgres, pgUrl, withMigrationLock } from './db.js';
import { admin } from './seed.js';

export interface ServerDatabase {
  /** For `startServer`: this database, the audit keys in `dir`, no demo data, errors only. */
  serverEnv: Record<string, string>;
  /** A handle of the test's own on the same database (the caller closes it). */
  open: () => DbHandle;
}

/**
 * Migrates a database for a server test, creates `site` (anonymous reports allowed) in an NGI of
 * its own, then runs `prepare` (feed imports, …) with the same services before closing them.
 */
export async function serverDatabase(
  dir: string,
  site: { ngi: string; name: string; securityEmail: string },
  prepare: (s: Services) => Promise<void> = async () => {},
): Promise<ServerDatabase> {
  const path = join(dir, 'vigil.db');
  let env: Record<string, string>;
  let open: () => DbHandle;
  if (onPostgres) {
    const schema = await createPgSchema();
    env = { VIGIL_DATABASE_URL: pgUrl, VIGIL_DATABASE_SCHEMA: schema };
    open = () => openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 });
  } else {
    env = { VIGIL_SQLITE_PATH: path, VIGIL_DATABASE_URL: '' };
    open = () => openDatabase({ sqlitePath: path });
  }
  const setup = open();
  try {
    await withMigrationLock(() => migrateToLatest(setup));
    // The server must hold the audit keys the set-up sealed the chain with.
    const s = createServices(setup, {
      sessionTtlHours: 1,
      loginMaxFailures: 5,
      loginWindowMinutes: 15,
      auditKeys: loadAuditKeys({ sqlitePath: path, auditKeyDir: dir }, () => {}),
    });
    const ngi = await s.registry.createNgi(admin, { name: site.ngi });
    const { siteId } = await s.registry.createSite(admin, { name: site.name, ngiId: ngi.ngiId, securityEmail: site.securityEmail });
    await s.reporters.setAnonymous(admin, siteId, true);
    await prepare(s);
  } finally {
    await setup.close();
  }
  return { serverEnv: { ...env, VIGIL_DEMO: 'false', VIGIL_LOG_LEVEL: 'error', VIGIL_AUDIT_KEY_DIR: dir }, open };
}
