// A fresh, migrated database for one test file: in-memory SQLite, or (VIGIL_TEST_DB=postgres)
// a schema of its own in the PostgreSQL test database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DbHandle } from '../../src/db/database.js';

export const onPostgres = process.env.VIGIL_TEST_DB === 'postgres';
export const pgUrl = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5432/vigil_test';

export async function createPgSchema(): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

/**
 * Runs migrations one test process at a time on PostgreSQL. Kysely's migrator reads the catalogue
 * of every schema; while another file's migration alters a table (adding or dropping a column),
 * PostgreSQL can fail that read ("column … does not exist"). A session advisory lock on a
 * connection of its own serialises the DDL across the parallel test files.
 */
export async function withMigrationLock<T>(run: () => Promise<T>): Promise<T> {
  if (!onPostgres) return run();
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7317001)');
    return await run();
  } finally {
    await client.end(); // ends the session, releasing the lock
  }
}

export interface TestDb extends DbHandle {
  schema?: string | undefined;
  sqlitePath?: string | undefined;
}

export async function testDatabase(options: { sqlitePath?: string } = {}): Promise<TestDb> {
  if (onPostgres) {
    const schema = await createPgSchema();
    const handle = openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 5 });
    await withMigrationLock(() => migrateToLatest(handle));
    // The schema is left for scripts/test.mjs to drop after the pass: dropping it here races
    // with the catalogue queries that other files' migrations run at the same moment.
    return { ...handle, schema };
  }
  const handle = openDatabase({ sqlitePath: options.sqlitePath ?? ':memory:' });
  await migrateToLatest(handle);
  return { ...handle, sqlitePath: options.sqlitePath };
}
