import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAudit, verifyAuditChain } from './audit.js';
import { systemClock } from './clock.js';
import { systemActor } from './policy.js';
import { testDatabase } from '../../test/support/db.js';

async function chainOf(n: number) {
  const db = await testDatabase();
  const audit = createAudit(systemClock);
  for (let i = 0; i < n; i++) {
    await db.db.transaction().execute((trx) => audit.record(trx, { actor: systemActor(), action: 'thing.update', objectType: 'thing', objectId: `t${i}`, before: { v: i }, after: { v: i + 1 } }));
  }
  return db;
}

test('an untouched chain verifies', async () => {
  const db = await chainOf(5);

  const result = await verifyAuditChain(db.db);

  assert.deepEqual(result, { ok: true, checked: 5 });
  await db.close();
});

test('an edited event is named as the first broken link', async () => {
  const db = await chainOf(5);

  await db.db.updateTable('audit_event').set({ after_json: '{"v":999}' }).where('seq', '=', 3).execute();
  const result = await verifyAuditChain(db.db);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 3);
  await db.close();
});

test('a deleted event in the middle is detected', async () => {
  const db = await chainOf(5);

  await db.db.deleteFrom('audit_event').where('seq', '=', 2).execute();
  const result = await verifyAuditChain(db.db);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 2);
  await db.close();
});

test('deleting the newest events is detected through the head', async () => {
  const db = await chainOf(5);

  await db.db.deleteFrom('audit_event').where('seq', '>=', 4).execute();
  const result = await verifyAuditChain(db.db);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 4);
  await db.close();
});

test('a rewritten event with a recomputed hash still breaks the next link', async () => {
  const db = await chainOf(3);
  const { eventHash } = await import('./audit.js');
  const row = await db.db.selectFrom('audit_event').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();

  const { hash: _old, ...rest } = { ...row, actor_label: 'someone else' };
  await db.db.updateTable('audit_event').set({ actor_label: 'someone else', hash: eventHash(rest) }).where('seq', '=', 2).execute();
  const result = await verifyAuditChain(db.db);

  assert.equal(result.firstBroken?.seq, 3);
  await db.close();
});

test('events recorded in a rolled-back transaction leave no trace', async () => {
  const db = await chainOf(2);
  const audit = createAudit(systemClock);

  await assert.rejects(db.db.transaction().execute(async (trx) => {
    await audit.record(trx, { actor: systemActor(), action: 'x', objectType: 'thing', objectId: 'x' });
    throw new Error('boom');
  }));
  const result = await verifyAuditChain(db.db);

  assert.deepEqual(result, { ok: true, checked: 2 });
  await db.close();
});
