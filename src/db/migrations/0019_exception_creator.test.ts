// Migration 0019: exceptions recorded before it get their creator's person id from their
// `exception.create` audit event, so the four-eyes rule compares people for them too (not a
// label, which differs between a person's session and their tokens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrateToLatest } from '../database.js';
import { migrations } from './index.js';
import { systemActor } from '../../core/access.js';
import { ForbiddenError } from '../../core/errors.js';
import { testApp } from '../../../test/support/app.js';
import { personWithRole, smallFederation } from '../../../test/support/seed.js';
import { withMigrationLock } from '../../../test/support/db.js';

test("exceptions recorded before 0019 take their creator's person id from the audit log", async () => {
  const t = await testApp();
  const fx = await smallFederation(t.services);
  const both = await personWithRole(t.services, 'csirt', 'federation', undefined, 'Both Hats');
  await t.services.people.grantRole(systemActor(), { personId: both.personId, role: 'site-security-officer', scopeType: 'site', scopeId: fx.siteA1 });
  const creator = await t.services.identity.actorForPerson(both.personId, 'bothhats');
  const other = (await personWithRole(t.services, 'csirt', 'federation')).actor;
  await t.services.tags.tag(other, { cve: 'CVE-2023-3446', tag: 'EGI-Critical', reason: 'remote DoS' });
  const input = { siteId: fx.siteA1, cve: 'CVE-2023-3446', justification: 'mitigated by SELinux', expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
  const byPerson = await t.services.exceptions.create(creator, input);
  const bySystem = await t.services.exceptions.create(systemActor('vigil-cli'), input);
  const migrator = new Migrator({
    db: t.db.db,
    provider: { getMigrations: async () => migrations },
    ...(t.db.schema ? { migrationTableSchema: t.db.schema } : {}),
  });

  assert.equal((await withMigrationLock(() => migrator.migrateTo('0018_exception_review_tag_history'))).error, undefined);
  await withMigrationLock(() => migrateToLatest(t.db));
  const rows = await t.db.db.selectFrom('finding_exception').select(['exception_id', 'created_by_person_id']).execute();
  const byId = new Map(rows.map((r) => [r.exception_id, r.created_by_person_id]));

  assert.equal(byId.get(byPerson.exceptionId), both.personId);
  assert.equal(byId.get(bySystem.exceptionId), null);
  // The same person under another label (a token) is still its creator.
  await assert.rejects(t.services.exceptionReview.accept({ ...creator, label: 'Both Hats (token abc)' }, byPerson.exceptionId), ForbiddenError);
  assert.equal((await t.services.exceptionReview.accept(other, byPerson.exceptionId)).status, 'accepted');
  await t.close();
});
