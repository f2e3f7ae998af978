import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { personWithRole } from '../../../test/support/seed.js';
import { systemActor } from '../../core/access.js';

let t: TestApp;
let csirtToken: string;
before(async () => {
  t = await testApp();
  csirtToken = await tokenFor(t.services, (await personWithRole(t.services, 'csirt', 'federation')).personId);
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${csirtToken}` } });

test('the CSIRT reads signed checkpoints with the public key that verifies them', async () => {
  await t.db.db
    .transaction()
    .execute((trx) => t.services.audit.record(trx, { actor: systemActor(), action: 'thing.update', objectType: 'thing', objectId: 't1' }));
  await t.services.audit.checkpoint(t.db.db);

  const res = await get('/api/v1/audit/checkpoints');
  const body = res.json<{ publicKey: string; keyId: string; items: Array<{ seq: number; statement: string; signature: string }>; total: number }>();

  assert.equal(res.statusCode, 200);
  assert.equal(body.keyId, t.services.audit.keys.keyId);
  assert.ok(body.total >= 1);
  const newest = body.items[0]!;
  assert.match(newest.statement, new RegExp(`^vigil-audit-checkpoint/1\nseq: ${newest.seq}\n`));
  assert.equal(verify(null, Buffer.from(newest.statement), body.publicKey, Buffer.from(newest.signature, 'base64')), true);
});

test('verification over HTTP counts the checkpoints it checked', async () => {
  const res = await get('/api/v1/audit/verify');

  assert.equal(res.statusCode, 200);
  assert.equal(res.json<{ ok: boolean }>().ok, true);
  assert.ok(res.json<{ checkpoints: number }>().checkpoints >= 1);
});

test('a page size out of bounds is a problem document', async () => {
  const res = await get('/api/v1/audit/checkpoints?limit=0');

  assert.equal(res.statusCode, 400);
  assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
});
