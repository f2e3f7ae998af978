import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, type Kysely } from 'kysely';
import { openDatabase } from '../database.js';
import { migrations } from './index.js';
import { createPgSchema, onPostgres, pgUrl, withMigrationLock } from '../../../test/support/db.js';
import { decodePackageSet } from '../../modules/patching/package-set-codec.js';

interface Before {
  package_set: { set_id: string; packager: string; package_count: number; created_at: string; members?: Buffer };
  package_set_member: { set_id: string; name: string; version: string; arch: string };
}

const members = [
  { name: 'bash', version: '0:5.1.8-9.el9', arch: 'x86_64' },
  { name: 'kernel', version: '0:5.14.0-427.13.1.el9_4', arch: 'x86_64' },
  { name: 'kernel', version: '0:5.14.0-427.20.1.el9_4', arch: 'x86_64' },
  { name: 'tzdata', version: '0:2024a-1.el9', arch: 'noarch' },
];

test('package sets stored as member rows move into one compressed value, and back', async () => {
  const schema = onPostgres ? await createPgSchema() : undefined;
  const handle = openDatabase(onPostgres ? { databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 } : { sqlitePath: ':memory:' });
  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const db = handle.db as unknown as Kysely<Before>;
  try {
    assert.equal((await withMigrationLock(() => migrator.migrateTo('0004_host_exposure_index'))).error, undefined);
    await db
      .insertInto('package_set')
      .values([
        { set_id: 's1', packager: 'rpm', package_count: 4, created_at: '2026-01-01T00:00:00.000Z' },
        { set_id: 's2', packager: 'dpkg', package_count: 0, created_at: '2026-01-01T00:00:00.000Z' },
      ])
      .execute();
    await db
      .insertInto('package_set_member')
      .values([...members].reverse().map((m) => ({ set_id: 's1', ...m })))
      .execute();

    assert.equal((await withMigrationLock(() => migrator.migrateToLatest())).error, undefined);
    const rows = await db.selectFrom('package_set').select(['set_id', 'members']).orderBy('set_id').execute();
    assert.deepEqual(
      rows.map((r) => [r.set_id, decodePackageSet(r.members!)]),
      [
        ['s1', members],
        ['s2', []],
      ],
    );

    assert.equal((await withMigrationLock(() => migrator.migrateTo('0004_host_exposure_index'))).error, undefined);
    const back = await db
      .selectFrom('package_set_member')
      .select(['name', 'version', 'arch'])
      .where('set_id', '=', 's1')
      .orderBy('name')
      .orderBy('version')
      .execute();
    assert.deepEqual(back, members);
  } finally {
    await handle.close();
  }
});
