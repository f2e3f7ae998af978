import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditIntegrityError, checkAuditKey, createAudit, eventHash, GENESIS_HASH, sealAuditChain, verifyAuditChain } from './audit.js';
import { ephemeralAuditKeys } from './audit-keys.js';
import { systemClock } from './clock.js';
import { systemActor } from './access.js';
import { testDatabase, type TestDb } from '../../test/support/db.js';
import { createServices } from '../server/services.js';

const keys = ephemeralAuditKeys();
const entry = (i: number) => ({ actor: systemActor(), action: 'thing.update', objectType: 'thing', objectId: `t${i}`, before: { v: i }, after: { v: i + 1 } });

async function chainOf(n: number, audit = createAudit(systemClock, keys)) {
  const db = await testDatabase();
  for (let i = 0; i < n; i++) await db.db.transaction().execute((trx) => audit.record(trx, entry(i)));
  return db;
}

/** What someone with write access to the database alone can do: rewrite events and recompute
 *  every link with the exported SHA-256 function, the head too. */
async function rewriteWithPlainHashes(db: TestDb, seq: number, actorLabel: string) {
  const rows = await db.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const { hash: _old, ...rest } = { ...row, prev_hash: prev, actor_label: row.seq === seq ? actorLabel : row.actor_label };
    prev = eventHash(rest);
    await db.db.updateTable('audit_event').set({ actor_label: rest.actor_label, prev_hash: rest.prev_hash, hash: prev }).where('seq', '=', row.seq).execute();
  }
  await db.db.updateTable('audit_head').set({ hash: prev }).execute();
}

test('an untouched chain verifies', async () => {
  const db = await chainOf(5);

  const result = await verifyAuditChain(db.db, keys);

  assert.deepEqual(result, { ok: true, checked: 5, checkpoints: 0 });
  await db.close();
});

test('an edited event is named as the first broken link', async () => {
  const db = await chainOf(5);

  await db.db.updateTable('audit_event').set({ after_json: '{"v":999}' }).where('seq', '=', 3).execute();
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 3);
  await db.close();
});

test('a deleted event in the middle is detected', async () => {
  const db = await chainOf(5);

  await db.db.deleteFrom('audit_event').where('seq', '=', 2).execute();
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 2);
  await db.close();
});

test('deleting the newest events is detected through the head', async () => {
  const db = await chainOf(5);

  await db.db.deleteFrom('audit_event').where('seq', '>=', 4).execute();
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 4);
  await db.close();
});

// Issue 9: this passed `vigil audit verify` while links were plain SHA-256. Written against the
// services only, so it runs unchanged on the code from before.
test('a rewritten log with every hash recomputed by the exported function is reported broken', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  for (let i = 0; i < 4; i++) await db.db.transaction().execute((trx) => s.audit.record(trx, entry(i)));

  await rewriteWithPlainHashes(db, 2, 'someone else');
  const result = await s.auditLog.verify(systemActor());

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 1);
  await db.close();
});

test('links recomputed with another HMAC key are reported broken', async () => {
  const db = await chainOf(3);

  const other = createAudit(systemClock, ephemeralAuditKeys());
  const result = await verifyAuditChain(db.db, ephemeralAuditKeys());
  const write = db.db.transaction().execute((trx) => other.record(trx, entry(9)));

  assert.equal(result.ok, false);
  await assert.rejects(write, AuditIntegrityError);
  await db.close();
});

test('a process with another audit key may not extend the chain', async () => {
  const db = await chainOf(2);

  const check = checkAuditKey(db.db, ephemeralAuditKeys());

  await assert.rejects(check, /not the audit key that sealed it/);
  await checkAuditKey(db.db, keys);
  await db.close();
});

test('moving the start of the keyed chain to make the log look unkeyed is detected', async () => {
  const db = await chainOf(3);

  await rewriteWithPlainHashes(db, 2, 'someone else');
  await db.db
    .updateTable('audit_head')
    .set({ keyed_from: 4, keyed_prev_hash: (await db.db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow()).hash })
    .execute();
  const moved = await verifyAuditChain(db.db, keys);
  await db.db.updateTable('audit_head').set({ keyed_from: null, keyed_prev_hash: null, keyed_seal: null }).execute();
  const removed = await verifyAuditChain(db.db, keys);
  const write = db.db.transaction().execute((trx) => createAudit(systemClock, keys).record(trx, entry(9)));

  assert.equal(moved.ok, false);
  assert.match(moved.firstBroken!.reason, /sealed start of the keyed chain .* does not verify/);
  assert.equal(removed.ok, false);
  assert.match(removed.firstBroken!.reason, /no sealed start of the keyed chain/);
  await assert.rejects(write, AuditIntegrityError);
  await db.close();
});

test('events from before the keyed chain keep verifying with their SHA-256 links, and new ones are keyed', async () => {
  const db = await testDatabase();
  await insertPlainEvents(db, 3);

  const seal = await sealAuditChain(db.db, keys);
  await db.db.transaction().execute((trx) => createAudit(systemClock, keys).record(trx, entry(3)));
  const result = await verifyAuditChain(db.db, keys);
  const fourth = await db.db.selectFrom('audit_event').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();

  assert.deepEqual(seal, { keyedFrom: 4, sealedNow: true });
  assert.deepEqual(result, { ok: true, checked: 4, checkpoints: 0 });
  assert.notEqual(fourth.hash, eventHash(fourth));
  await db.close();
});

test('rewriting the SHA-256 events before the keyed chain is detected through its sealed start', async () => {
  const db = await testDatabase();
  await insertPlainEvents(db, 3);
  await sealAuditChain(db.db, keys);

  await rewriteWithPlainHashes(db, 2, 'someone else');
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 3);
  await db.close();
});

test('events recorded in a rolled-back transaction leave no trace', async () => {
  const db = await chainOf(2);
  const audit = createAudit(systemClock, keys);

  await assert.rejects(
    db.db.transaction().execute(async (trx) => {
      await audit.record(trx, { actor: systemActor(), action: 'x', objectType: 'thing', objectId: 'x' });
      throw new Error('boom');
    }),
  );
  const result = await verifyAuditChain(db.db, keys);

  assert.deepEqual(result, { ok: true, checked: 2, checkpoints: 0 });
  await db.close();
});

/** Events as the code before issue 9 wrote them: plain SHA-256 links, no sealed start. */
async function insertPlainEvents(db: TestDb, n: number) {
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const event = {
      seq,
      at: '2026-01-01T00:00:00.000Z',
      actor_id: null,
      actor_label: 'system',
      action: 'thing.update',
      object_type: 'thing',
      object_id: `t${seq}`,
      before_json: null,
      after_json: `{"v":${seq}}`,
      prev_hash: prev,
    };
    prev = eventHash(event);
    await db.db
      .insertInto('audit_event')
      .values({ ...event, hash: prev })
      .execute();
  }
  await db.db.updateTable('audit_head').set({ seq: n, hash: prev }).execute();
}
