import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../../core/errors.js';
import { hasPermission } from '../../core/access.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin, personWithRole } from '../../../test/support/seed.js';
import { hashPassword, verifyPassword } from './passwords.js';

const config = { sessionTtlHours: 12, loginMaxFailures: 3, loginWindowMinutes: 15 };
const PASSWORD = 'a long enough password';

async function setup() {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const s = createServices(db, config, clock);
  const { personId } = await personWithRole(s, 'federation-admin', 'federation');
  await s.identity.createAccount(admin, { personId, username: 'ada', password: PASSWORD });
  return { db, s, clock, personId };
}

test('passwords are stored as scrypt hashes that verify only the right password', async () => {
  const stored = await hashPassword('correct horse battery');

  assert.match(stored, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse battery', stored), true);
  assert.equal(await verifyPassword('correct horse batterY', stored), false);
});

test('a right password opens a session that resolves to the person', async () => {
  const { db, s, personId } = await setup();

  const session = await s.identity.login('ada', PASSWORD, '10.0.0.1');
  const resolved = await s.identity.fromSession(session.sessionToken);

  assert.equal(resolved?.actor.personId, personId);
  assert.equal(resolved?.csrfToken, session.csrfToken);
  await db.close();
});

test('the session row holds only a digest of the cookie', async () => {
  const { db, s } = await setup();

  const session = await s.identity.login('ada', PASSWORD, '10.0.0.1');

  const rows = await db.db.selectFrom('session').select('session_hash').execute();
  assert.equal(
    rows.some((r) => r.session_hash === session.sessionToken),
    false,
  );
  await db.close();
});

test('an expired session no longer resolves', async () => {
  const { db, s, clock } = await setup();
  const session = await s.identity.login('ada', PASSWORD, '10.0.0.1');

  clock.advance(13 * 3_600_000);

  assert.equal(await s.identity.fromSession(session.sessionToken), undefined);
  await db.close();
});

test('after too many failures from one address even the right password from it is refused until the window passes', async () => {
  const { db, s, clock } = await setup();
  for (let i = 0; i < 3; i++) await assert.rejects(s.identity.login('ada', 'wrong password!', '10.0.0.1'), UnauthenticatedError);

  await assert.rejects(s.identity.login('ada', PASSWORD, '10.0.0.1'), RateLimitedError);
  clock.advance(16 * 60_000);
  const session = await s.identity.login('ada', PASSWORD, '10.0.0.1');

  assert.ok(session.sessionToken);
  await db.close();
});

test('an unknown account name fails like a wrong password', async () => {
  const { db, s } = await setup();

  await assert.rejects(s.identity.login('nobody', PASSWORD, '10.0.0.1'), { message: 'wrong account name or password' });
  await assert.rejects(s.identity.login('ada', 'not the password', '10.0.0.1'), { message: 'wrong account name or password' });
  await db.close();
});

test('a token carries only the permissions it was given', async () => {
  const { db, s, personId } = await setup();
  const owner = await s.identity.actorForPerson(personId, 'ada');

  const { token } = await s.identity.createToken(owner, { name: 'reader', permissions: ['registry:read'], expiresInDays: 30 });
  const viaToken = await s.identity.fromApiToken(token);

  assert.equal(hasPermission(viaToken!, 'registry:read'), true);
  assert.equal(hasPermission(viaToken!, 'site:create'), false);
  await db.close();
});

test('a token cannot carry a permission its owner lacks', async () => {
  const { db, s } = await setup();
  const { actor } = await personWithRole(s, 'read-only', 'federation');

  await assert.rejects(s.identity.createToken(actor, { name: 'sneaky', permissions: ['import:gocdb'], expiresInDays: 30 }), ForbiddenError);
  await db.close();
});

test('revoked and expired tokens stop working; the token text is never stored', async () => {
  const { db, s, clock, personId } = await setup();
  const owner = await s.identity.actorForPerson(personId, 'ada');
  const a = await s.identity.createToken(owner, { name: 'a', permissions: ['registry:read'], expiresInDays: 1 });
  const b = await s.identity.createToken(owner, { name: 'b', permissions: ['registry:read'], expiresInDays: 30 });

  await s.identity.revokeToken(owner, b.record.tokenId);
  clock.advance(2 * 86_400_000);

  assert.equal(await s.identity.fromApiToken(a.token), undefined);
  assert.equal(await s.identity.fromApiToken(b.token), undefined);
  const stored = await db.db.selectFrom('api_token').select('token_hash').execute();
  assert.equal(
    stored.some((r) => r.token_hash === a.token || r.token_hash === b.token),
    false,
  );
  await db.close();
});

test('creating and revoking tokens is audited without the token text', async () => {
  const { db, s, personId } = await setup();
  const owner = await s.identity.actorForPerson(personId, 'ada');

  const { token, record } = await s.identity.createToken(owner, { name: 'ci', permissions: ['registry:read'], expiresInDays: 5 });
  await s.identity.revokeToken(owner, record.tokenId);

  const events = await db.db.selectFrom('audit_event').selectAll().where('object_id', '=', record.tokenId).orderBy('seq').execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['token.create', 'token.revoke'],
  );
  assert.equal(JSON.stringify(events).includes(token), false);
  await db.close();
});

test('weak passwords are refused', async () => {
  const { db, s } = await setup();
  const { personId } = await personWithRole(s, 'read-only', 'federation');

  await assert.rejects(s.identity.createAccount(admin, { personId, username: 'weak', password: 'short' }), { message: /at least 12/ });
  await db.close();
});
