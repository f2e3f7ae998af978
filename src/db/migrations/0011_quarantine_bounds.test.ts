import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Migrator, type Kysely } from 'kysely';
import { openDatabase } from '../database.js';
import { migrations } from './index.js';
import { createPgSchema, onPostgres, pgUrl, withMigrationLock } from '../../../test/support/db.js';

interface Held {
  report_quarantine: {
    quarantine_id: string;
    received_at: string;
    claimed_site: string;
    hostname: string;
    reason: string;
    report_json: string;
    status: string;
    report_gz?: Buffer | null;
    size_bytes?: number;
    sender?: string;
  };
}

test('held reports are compressed, with their size, and restored as JSON on the way down', async () => {
  const schema = onPostgres ? await createPgSchema() : undefined;
  const handle = openDatabase(onPostgres ? { databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 } : { sqlitePath: ':memory:' });
  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const db = handle.db as unknown as Kysely<Held>;
  const json = JSON.stringify({
    host: 'wn1.example.org',
    packages: Array.from({ length: 500 }, (_, i) => ({ name: `p${i}`, version: '1.0-1', arch: 'x86_64' })),
  });
  try {
    assert.equal((await withMigrationLock(() => migrator.migrateTo('0006_quarantine_review'))).error, undefined);
    await db
      .insertInto('report_quarantine')
      .values({
        quarantine_id: 'q1',
        received_at: '2026-01-01T00:00:00.000Z',
        claimed_site: 'X',
        hostname: 'wn1.example.org',
        reason: 'unknown site X',
        report_json: json,
        status: 'pending',
      })
      .execute();

    assert.equal((await withMigrationLock(() => migrator.migrateTo('0011_quarantine_bounds'))).error, undefined);
    const row = await db.selectFrom('report_quarantine').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.report_json, '');
    assert.equal(gunzipSync(row.report_gz!).toString('utf8'), json);
    assert.equal(row.size_bytes, row.report_gz!.length);
    assert.equal(row.sender, '');

    assert.equal((await withMigrationLock(() => migrator.migrateTo('0008_source_package_map'))).error, undefined);
    assert.equal((await db.selectFrom('report_quarantine').select('report_json').executeTakeFirstOrThrow()).report_json, json);
  } finally {
    await handle.close();
  }
});
