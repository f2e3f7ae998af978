import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, type Kysely } from 'kysely';
import { openDatabase } from '../database.js';
import { migrations } from './index.js';
import { createPgSchema, onPostgres, pgUrl, withMigrationLock } from '../../../test/support/db.js';

interface Before {
  person: {
    person_id: string;
    gocdb_key: string | null;
    name: string;
    email: string | null;
    dn: string | null;
    checkin_subject: string | null;
    created_at: string;
    updated_at: string;
  };
  role_assignment: { role_assignment_id: string; person_id: string; role: string; scope_type: string; scope_id: string; source: string; created_at: string };
  audit_event: {
    seq: number;
    at: string;
    actor_id: string | null;
    actor_label: string;
    action: string;
    object_type: string;
    object_id: string;
    before_json: null;
    after_json: null;
    prev_hash: string;
    hash: string;
  };
}
type After = Before & { person: Before['person'] & { is_identity_verified: number } };

const at = '2026-01-01T00:00:00.000Z';
const person = (id: string, extra: Partial<Before['person']> = {}) => ({
  person_id: id,
  gocdb_key: null,
  name: id,
  email: `${id}@example.org`,
  dn: null,
  checkin_subject: null,
  created_at: at,
  updated_at: at,
  ...extra,
});
const created = (seq: number, id: string, actorId: string | null) => ({
  seq,
  at,
  actor_id: actorId,
  actor_label: 'x',
  action: 'person.create',
  object_type: 'person',
  object_id: id,
  before_json: null,
  after_json: null,
  prev_hash: '0',
  hash: String(seq),
});

test('existing people are verified when imported, made by the system or by a federation administrator; an officer’s record is not', async () => {
  const names = Object.keys(migrations);
  const previous = names[names.indexOf('0012_person_identity_verified') - 1]!;
  const schema = onPostgres ? await createPgSchema() : undefined;
  const handle = openDatabase(onPostgres ? { databaseUrl: pgUrl, pgSchema: schema, poolSize: 2 } : { sqlitePath: ':memory:' });
  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const db = handle.db as unknown as Kysely<Before>;
  try {
    assert.equal((await withMigrationLock(() => migrator.migrateTo(previous))).error, undefined);
    await db
      .insertInto('person')
      .values([
        person('admin'),
        person('officer'),
        person('imported', { gocdb_key: '101G0' }),
        person('by-system', { dn: '/CN=S' }),
        person('by-admin'),
        person('by-officer', { dn: '/CN=Someone Else' }),
        person('unknown'),
      ])
      .execute();
    await db
      .insertInto('role_assignment')
      .values([
        { role_assignment_id: 'r1', person_id: 'admin', role: 'federation-admin', scope_type: 'federation', scope_id: '', source: 'local', created_at: at },
        { role_assignment_id: 'r2', person_id: 'officer', role: 'site-security-officer', scope_type: 'site', scope_id: 's1', source: 'local', created_at: at },
      ])
      .execute();
    await db
      .insertInto('audit_event')
      .values([created(1, 'by-system', null), created(2, 'by-admin', 'admin'), created(3, 'by-officer', 'officer')])
      .execute();

    assert.equal((await withMigrationLock(() => migrator.migrateTo('0012_person_identity_verified'))).error, undefined);

    const rows = await (handle.db as unknown as Kysely<After>)
      .selectFrom('person')
      .select(['person_id', 'is_identity_verified'])
      .orderBy('person_id')
      .execute();
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.person_id, Number(r.is_identity_verified)])), {
      admin: 0,
      'by-admin': 1,
      'by-officer': 0,
      'by-system': 1,
      imported: 1,
      officer: 0,
      unknown: 0,
    });
    assert.equal((await withMigrationLock(() => migrator.migrateTo(previous))).error, undefined);
  } finally {
    await handle.db.destroy();
  }
});
