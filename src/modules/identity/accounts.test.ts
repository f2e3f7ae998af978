import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin, personWithRole } from '../../../test/support/seed.js';

const config = { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15 };
const PASSWORD = 'a long enough password';

/** An account `ada` (read-only) with a session and an API token. */
async function setup() {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const s = createServices(db, config, clock);
  const { personId, actor } = await personWithRole(s, 'read-only', 'federation', undefined, 'Ada Lovelace');
  const account = await s.identity.createAccount(admin, { personId, username: 'ada', password: PASSWORD });
  const session = await s.identity.login('ada', PASSWORD, '10.0.0.1');
  const { token } = await s.identity.createToken(actor, { name: 'ci', permissions: ['registry:read'], expiresInDays: 30 });
  return { db, s, accountId: account.accountId, personId, session, token };
}

test("a disabled account's API tokens, sessions and password are all refused", async () => {
  const { db, s, accountId, session, token } = await setup();

  await s.identity.disableAccount(admin, accountId);

  assert.equal(await s.identity.fromApiToken(token), undefined);
  assert.equal(await s.identity.fromSession(session.sessionToken), undefined);
  await assert.rejects(s.identity.login('ada', PASSWORD, '10.0.0.1'), UnauthenticatedError);
  await db.close();
});

test('enabling an account again restores its password and tokens, but not the sessions disabling ended', async () => {
  const { db, s, accountId, session, token } = await setup();
  await s.identity.disableAccount(admin, accountId);

  const after = await s.identity.enableAccount(admin, accountId);

  assert.equal(after.isDisabled, false);
  assert.ok(await s.identity.fromApiToken(token));
  assert.equal(await s.identity.fromSession(session.sessionToken), undefined);
  assert.ok((await s.identity.login('ada', PASSWORD, '10.0.0.1')).sessionToken);
  await db.close();
});

test('resetting a password to a given one ends every session and only the new password works', async () => {
  const { db, s, accountId, session } = await setup();

  const result = await s.identity.resetPassword(admin, accountId, 'a brand new passphrase');

  assert.equal(result.password, undefined);
  assert.equal(result.sessionsEnded, 1);
  assert.equal(await s.identity.fromSession(session.sessionToken), undefined);
  await assert.rejects(s.identity.login('ada', PASSWORD, '10.0.0.1'), UnauthenticatedError);
  assert.ok((await s.identity.login('ada', 'a brand new passphrase', '10.0.0.1')).sessionToken);
  await db.close();
});

test('resetting without a password generates one, returned once, that signs in', async () => {
  const { db, s, accountId } = await setup();

  const result = await s.identity.resetPassword(admin, accountId);

  assert.ok(result.password && result.password.length >= 20);
  assert.ok((await s.identity.login('ada', result.password, '10.0.0.1')).sessionToken);
  await db.close();
});

test('a weak new password is refused', async () => {
  const { db, s, accountId } = await setup();

  await assert.rejects(s.identity.resetPassword(admin, accountId, 'short'), { message: /at least 12/ });
  await db.close();
});

test("ending an account's sessions signs it out everywhere", async () => {
  const { db, s, accountId, session } = await setup();
  const second = await s.identity.login('ada', PASSWORD, '10.0.0.2');

  const result = await s.identity.endSessions(admin, accountId);

  assert.equal(result.sessionsEnded, 2);
  assert.equal(await s.identity.fromSession(session.sessionToken), undefined);
  assert.equal(await s.identity.fromSession(second.sessionToken), undefined);
  await db.close();
});

test('every account change is audited with before and after, never the password', async () => {
  const { db, s, accountId } = await setup();

  await s.identity.disableAccount(admin, accountId);
  await s.identity.enableAccount(admin, accountId);
  await s.identity.resetPassword(admin, accountId, 'a brand new passphrase');
  const generated = await s.identity.resetPassword(admin, accountId);
  await s.identity.endSessions(admin, accountId);

  const events = await db.db.selectFrom('audit_event').selectAll().where('object_id', '=', accountId).orderBy('seq').execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['account.create', 'account.disable', 'account.enable', 'account.reset-password', 'account.reset-password', 'account.end-sessions'],
  );
  assert.ok(events.slice(1).every((e) => e.before_json && e.after_json));
  assert.deepEqual(JSON.parse(events[1]!.after_json!).isDisabled, true);
  const text = JSON.stringify(events);
  for (const secret of ['a brand new passphrase', generated.password!, 'scrypt$']) assert.equal(text.includes(secret), false, secret);
  await db.close();
});

test('accounts are found by name or person, a page at a time', async () => {
  const { db, s, personId } = await setup();
  for (const name of ['bob', 'carol']) {
    const p = await personWithRole(s, 'read-only', 'federation');
    await s.identity.createAccount(admin, { personId: p.personId, username: name, password: PASSWORD });
  }

  const byName = await s.identity.listAccounts(admin, { limit: 50, offset: 0, q: 'lovelace' });
  const byPerson = await s.identity.listAccounts(admin, { limit: 50, offset: 0, personId });
  const page = await s.identity.listAccounts(admin, { limit: 2, offset: 1 });

  assert.deepEqual(
    byName.items.map((a) => a.username),
    ['ada'],
  );
  assert.deepEqual(
    byPerson.items.map((a) => a.username),
    ['ada'],
  );
  assert.deepEqual(
    page.items.map((a) => a.username),
    ['bob', 'carol'],
  );
  assert.equal(page.total, 3);
  await db.close();
});

test('only an account manager may list or change accounts', async () => {
  const { db, s, accountId } = await setup();
  const { actor: officer } = await personWithRole(s, 'csirt', 'federation');

  await assert.rejects(s.identity.listAccounts(officer, { limit: 50, offset: 0 }), ForbiddenError);
  await assert.rejects(s.identity.disableAccount(officer, accountId), ForbiddenError);
  await assert.rejects(s.identity.resetPassword(officer, accountId, 'a brand new passphrase'), ForbiddenError);
  await assert.rejects(s.identity.endSessions(officer, accountId), ForbiddenError);
  await db.close();
});

test('an admin cannot disable their own account, and an unknown account is not found', async () => {
  const { db, s } = await setup();
  const { personId, actor } = await personWithRole(s, 'federation-admin', 'federation');
  const own = await s.identity.createAccount(admin, { personId, username: 'root', password: PASSWORD });

  await assert.rejects(s.identity.disableAccount(actor, own.accountId), ConflictError);
  await assert.rejects(s.identity.disableAccount(admin, 'no-such-account'), NotFoundError);
  await db.close();
});
