// /readyz: ready only when the database answers, is migrated and takes writes. A database that
// still reads but refuses writes (read-only SQLite file, PostgreSQL read-only transactions) is
// not ready: the load balancer must send no traffic there.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { Registry } from 'prom-client';
import { migrateToLatest, openDatabase, type DbHandle } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { createPgSchema, onPostgres, pgUrl } from '../../../test/support/db.js';
import { registerErrorHandling } from '../errors.js';
import { healthRoutes } from './health.js';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

const handleOf = (db: Kysely<Database>, dialect: DbHandle['dialect'], schema?: string): DbHandle => ({
  db,
  dialect,
  schema,
  poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
  close: () => db.destroy(),
});

/** A migrated database, and a second handle on the same data that may read but not write. */
async function writableAndReadOnly(): Promise<{ writable: DbHandle; readOnly: DbHandle }> {
  if (onPostgres) {
    const schema = await createPgSchema();
    const writable = openDatabase({ databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 });
    await migrateToLatest(writable);
    const pool = new pg.Pool({ connectionString: pgUrl, max: 2, options: `-c search_path=${schema} -c default_transaction_read_only=on` });
    const readOnly = handleOf(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres', schema);
    closers.push(
      () => writable.close(),
      () => readOnly.close(),
    );
    return { writable, readOnly };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-readyz-'));
  const path = join(dir, 'vigil.db');
  const writable = openDatabase({ sqlitePath: path });
  await migrateToLatest(writable);
  const readOnly = handleOf(new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path, { readonly: true }) }) }), 'sqlite');
  closers.push(
    () => writable.close(),
    () => readOnly.close(),
    async () => rmSync(dir, { recursive: true, force: true }),
  );
  return { writable, readOnly };
}

async function readyz(handle: DbHandle) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  healthRoutes(app, handle, new Registry());
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  await app.close();
  return res;
}

test('a database that reads but refuses writes is not ready, and says so as problem+json', async () => {
  const { writable, readOnly } = await writableAndReadOnly();

  const ok = await readyz(writable);
  const refused = await readyz(readOnly);

  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().status, 'ready');
  assert.equal(refused.statusCode, 503);
  assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
  assert.equal(refused.json().detail, 'database does not accept writes');
});

test('the write check leaves nothing behind', async () => {
  const { writable } = await writableAndReadOnly();
  const migrationRows = async () => (await sql`select * from kysely_migration order by name`.execute(writable.db)).rows;
  const before = await migrationRows();

  await readyz(writable);

  assert.deepEqual(await migrationRows(), before);
});
