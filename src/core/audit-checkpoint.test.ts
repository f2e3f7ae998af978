// Signed checkpoints of the audit chain (issue 9): checked with the real openssl, and every way of
// tampering with a checkpoint or with the chain before it is reported by verification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditIntegrityError, createAudit, createCheckpoint, eventMac, GENESIS_HASH, listCheckpoints, verifyAuditChain } from './audit.js';
import { auditKeysFrom, ephemeralAuditKeys, type AuditKeys } from './audit-keys.js';
import { checkpointText, signCheckpoint } from './audit-checkpoint.js';
import { fixedClock, systemClock } from './clock.js';
import { systemActor } from './access.js';
import { exportCheckpoints, opensslVerifyCommand, readExportedCheckpoints } from '../cli/audit-export.js';
import { testDatabase, type TestDb } from '../../test/support/db.js';

const keys = ephemeralAuditKeys();
const entry = (i: number) => ({ actor: systemActor(), action: 'thing.update', objectType: 'thing', objectId: `t${i}`, after: { v: i } });
const tempDir = () => mkdtempSync(join(tmpdir(), 'vigil-checkpoints-'));

async function chainOf(n: number, k: AuditKeys = keys) {
  const db = await testDatabase();
  await append(db, n, k);
  return db;
}
async function append(db: TestDb, n: number, k: AuditKeys = keys) {
  const audit = createAudit(systemClock, k);
  for (let i = 0; i < n; i++) await db.db.transaction().execute((trx) => audit.record(trx, entry(i)));
}

/** Runs the documented openssl command in the export directory. */
function openssl(dir: string, k: AuditKeys, seq: number) {
  const [cmd, ...args] = opensslVerifyCommand(k.algorithm, seq).split(' ');
  return spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8' });
}

/** Someone holding the database and the HMAC key, but not the signing key: rewrites an event
 *  and recomputes every keyed link after it. */
async function rewriteWithMacKey(db: TestDb, seq: number, label: string) {
  const rows = await db.db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const { hash: _old, ...rest } = { ...row, prev_hash: prev, actor_label: row.seq === seq ? label : row.actor_label };
    prev = eventMac(keys.macKey, rest);
    await db.db.updateTable('audit_event').set({ actor_label: rest.actor_label, prev_hash: rest.prev_hash, hash: prev }).where('seq', '=', row.seq).execute();
  }
  await db.db.updateTable('audit_head').set({ hash: prev }).execute();
}

test('an exported Ed25519 checkpoint verifies with openssl alone, and an edited one does not', async () => {
  const db = await chainOf(3);
  const { checkpoint } = await createCheckpoint(db.db, keys, systemClock);
  const dir = tempDir();

  exportCheckpoints(dir, keys, await listCheckpoints(db.db));
  const good = openssl(dir, keys, 3);
  writeFileSync(join(dir, 'checkpoint-3.txt'), checkpoint.statement.replace('seq: 3', 'seq: 2'));
  const edited = openssl(dir, keys, 3);

  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /Signature Verified Successfully/);
  assert.notEqual(edited.status, 0);
  assert.match(readFileSync(join(dir, 'VERIFY.txt'), 'utf8'), /openssl pkeyutl -verify -pubin -inkey audit-pub\.pem -rawin/);
  await db.close();
});

test('an exported ECDSA P-256 checkpoint verifies with openssl dgst', async () => {
  const ecKeys = auditKeysFrom(keys.macKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const db = await chainOf(2, ecKeys);
  await createCheckpoint(db.db, ecKeys, systemClock);
  const dir = tempDir();

  exportCheckpoints(dir, ecKeys, await listCheckpoints(db.db));
  const result = openssl(dir, ecKeys, 2);

  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Verified OK/);
  await db.close();
});

test('a checkpoint of an unchanged chain verifies, and a later one covers the new events', async () => {
  const db = await chainOf(3);
  await createCheckpoint(db.db, keys, systemClock);

  await append(db, 2);
  const second = await createCheckpoint(db.db, keys, systemClock);
  const again = await createCheckpoint(db.db, keys, systemClock);
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(second.checkpoint.seq, 5);
  assert.equal(again.created, false);
  assert.deepEqual(result, { ok: true, checked: 5, checkpoints: 2 });
  await db.close();
});

test('a checkpoint whose stored text or head was edited is detected', async () => {
  const db = await chainOf(3);
  const { checkpoint } = await createCheckpoint(db.db, keys, systemClock);

  await db.db
    .updateTable('audit_checkpoint')
    .set({ statement: checkpoint.statement.replace(/head: \w+/, `head: ${'a'.repeat(64)}`) })
    .execute();
  const text = await verifyAuditChain(db.db, keys);
  await db.db
    .updateTable('audit_checkpoint')
    .set({ statement: checkpoint.statement, head_hash: 'a'.repeat(64) })
    .execute();
  const column = await verifyAuditChain(db.db, keys);

  assert.equal(text.ok, false);
  assert.match(text.firstBroken!.reason, /signature does not match/);
  assert.equal(column.ok, false);
  assert.match(column.firstBroken!.reason, /columns differ from its signed text/);
  await db.close();
});

test('a checkpoint forged with another signing key is detected', async () => {
  const db = await chainOf(2);
  const forger = ephemeralAuditKeys();

  const statement = checkpointText({ seq: 2, head: 'b'.repeat(64), time: '2026-01-01T00:00:00.000Z', keyId: forger.keyId });
  await db.db
    .insertInto('audit_checkpoint')
    .values({
      checkpoint_id: 'forged',
      seq: 2,
      head_hash: 'b'.repeat(64),
      at: '2026-01-01T00:00:00.000Z',
      key_id: forger.keyId,
      statement,
      signature: signCheckpoint(forger, statement).toString('base64'),
    })
    .execute();
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.match(result.firstBroken!.reason, /not by this Vigil's audit signing key/);
  await db.close();
});

test('a rewrite before a checkpoint is detected even with the HMAC key, without the signing key', async () => {
  const db = await chainOf(4);
  await createCheckpoint(db.db, keys, systemClock);

  await rewriteWithMacKey(db, 2, 'someone else');
  const result = await verifyAuditChain(db.db, keys);
  const signing = createCheckpoint(db.db, keys, systemClock);

  assert.equal(result.ok, false);
  assert.equal(result.firstBroken?.seq, 4);
  assert.match(result.firstBroken!.reason, /rewritten after it was signed/);
  await assert.rejects(signing, AuditIntegrityError);
  await db.close();
});

test('removing the events a checkpoint covers, head included, is detected', async () => {
  const db = await chainOf(4);
  await createCheckpoint(db.db, keys, systemClock);

  const second = await db.db.selectFrom('audit_event').select('hash').where('seq', '=', 2).executeTakeFirstOrThrow();
  await db.db.deleteFrom('audit_event').where('seq', '>', 2).execute();
  await db.db.updateTable('audit_head').set({ seq: 2, hash: second.hash }).execute();
  const result = await verifyAuditChain(db.db, keys);

  assert.equal(result.ok, false);
  assert.match(result.firstBroken!.reason, /beyond the head \(event 2\): events were removed/);
  await db.close();
});

test('exported checkpoints catch a rewrite after the stored ones were deleted', async () => {
  const db = await chainOf(3);
  await createCheckpoint(db.db, keys, systemClock);
  const dir = tempDir();
  exportCheckpoints(dir, keys, await listCheckpoints(db.db));

  await rewriteWithMacKey(db, 1, 'someone else');
  await db.db.deleteFrom('audit_checkpoint').execute();
  const fromDatabase = await verifyAuditChain(db.db, keys);
  const withExport = await verifyAuditChain(db.db, keys, { evidence: readExportedCheckpoints(dir) });

  assert.equal(fromDatabase.ok, true);
  assert.equal(withExport.ok, false);
  assert.match(withExport.firstBroken!.reason, /exported checkpoint-3\.txt: the chain up to it was rewritten/);
  await db.close();
});

test('an export does not overwrite a checkpoint kept outside with a different one', async () => {
  const db = await chainOf(2);
  await createCheckpoint(db.db, keys, fixedClock(new Date('2026-01-01T00:00:00Z')));
  const dir = tempDir();
  exportCheckpoints(dir, keys, await listCheckpoints(db.db));

  await db.db.deleteFrom('audit_checkpoint').execute();
  await createCheckpoint(db.db, keys, fixedClock(new Date('2026-02-01T00:00:00Z')));
  const rows = await listCheckpoints(db.db);

  assert.throws(() => exportCheckpoints(dir, keys, rows), /checkpoint-2\.txt exists and differs/);
  assert.match(readFileSync(join(dir, 'checkpoint-2.txt'), 'utf8'), /time: 2026-01-01/);
  await db.close();
});

test('cutting the newest events and every stored checkpoint is caught by the witness kept beside the keys', async () => {
  const witnessed: AuditKeys = { ...keys, witnessFile: join(tempDir(), 'audit-witness.log') };
  const db = await chainOf(5, witnessed);
  await createCheckpoint(db.db, witnessed, systemClock);
  await append(db, 2, witnessed);

  // Someone with the database only: the last events and all checkpoints go, the head is reset.
  await db.db.deleteFrom('audit_event').where('seq', '>', 3).execute();
  await db.db.deleteFrom('audit_checkpoint').execute();
  const third = await db.db.selectFrom('audit_event').select('hash').where('seq', '=', 3).executeTakeFirstOrThrow();
  await db.db.updateTable('audit_head').set({ seq: 3, hash: third.hash }).execute();
  const withoutWitness = await verifyAuditChain(db.db, keys);
  const withWitness = await verifyAuditChain(db.db, witnessed);

  assert.equal(withoutWitness.ok, true);
  assert.equal(withWitness.ok, false);
  assert.equal(withWitness.firstBroken?.seq, 5);
  assert.match(withWitness.firstBroken!.reason, /gone: the log was cut/);
  await db.close();
});
