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

export interface TestDb extends DbHandle {
  schema?: string | undefined;
  sqlitePath?: string | undefined;
}

export async function testDatabase(options: { sqlitePath?: string } = {}): Promise<TestDb> {
  if (onPostgres) {
    const schema = await createPgSchema();
    const handle = openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 5 });
    await migrateToLatest(handle);
    // The schema is left for scripts/test.mjs to drop after the pass: dropping it here races
    // with the catalogue queries that other files' migrations run at the same moment.
    return { ...handle, schema };
  }
  const handle = openDatabase({ sqlitePath: options.sqlitePath ?? ':memory:' });
  await migrateToLatest(handle);
  return { ...handle, sqlitePath: options.sqlitePath };
}
