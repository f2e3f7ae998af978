import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole } from '../../../test/support/seed.js';

const PASSWORD = 'a long enough password';
let t: TestApp;
let adminAuth: { authorization: string };

before(async () => {
  t = await testApp();
  const { personId } = await personWithRole(t.services, 'federation-admin', 'federation');
  adminAuth = { authorization: `Bearer ${await tokenFor(t.services, personId)}` };
});
after(() => t.close());

/** A new read-only person with account `username`, signed in, with a token. */
async function member(username: string) {
  const { personId } = await personWithRole(t.services, 'read-only', 'federation', undefined, `Member ${username}`);
  await t.services.identity.createAccount(admin, { personId, username, password: PASSWORD });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  return { personId, cookie: `vigil_session=${login.cookies[0]!.value}`, token: `Bearer ${await tokenFor(t.services, personId)}` };
}
const whoAmI = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });

test('an admin finds an account by name and disables it; its token and session stop working at once', async () => {
  const m = await member('mallory');

  const found = await t.app.inject({ method: 'GET', url: '/api/v1/accounts?q=mallory', headers: adminAuth });
  const accountId = found.json().items[0].accountId as string;
  const disabled = await t.app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/disable`, headers: adminAuth });

  assert.equal(found.json().total, 1);
  assert.equal(disabled.statusCode, 200);
  assert.equal(disabled.json().isDisabled, true);
  assert.equal((await whoAmI({ authorization: m.token })).statusCode, 401);
  assert.equal((await whoAmI({ cookie: m.cookie })).statusCode, 401);
  const enabled = await t.app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/enable`, headers: adminAuth });
  assert.equal(enabled.json().isDisabled, false);
  assert.equal((await whoAmI({ authorization: m.token })).statusCode, 200);
});

test('an account is found by its person', async () => {
  const m = await member('peggy');

  const res = await t.app.inject({ method: 'GET', url: `/api/v1/accounts?personId=${m.personId}`, headers: adminAuth });

  assert.deepEqual(
    res.json().items.map((a: { username: string }) => a.username),
    ['peggy'],
  );
});

test('reset-password without a password answers a generated one once, which signs in; sessions end', async () => {
  const m = await member('trent');
  const accountId = (await t.app.inject({ method: 'GET', url: `/api/v1/accounts?personId=${m.personId}`, headers: adminAuth })).json().items[0].accountId;

  const res = await t.app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/reset-password`, headers: adminAuth, payload: {} });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'trent', password: res.json().password } });

  assert.equal(res.statusCode, 200);
  assert.equal(res.json().sessionsEnded, 1);
  assert.equal((await whoAmI({ cookie: m.cookie })).statusCode, 401);
  assert.equal(login.statusCode, 200);
});

test('reset-password with a short password is refused as problem+json', async () => {
  const m = await member('victor');
  const accountId = (await t.app.inject({ method: 'GET', url: `/api/v1/accounts?personId=${m.personId}`, headers: adminAuth })).json().items[0].accountId;

  const res = await t.app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/reset-password`, headers: adminAuth, payload: { password: 'short' } });

  assert.equal(res.statusCode, 400);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
});

test('end-sessions signs the account out everywhere', async () => {
  const m = await member('walter');
  const accountId = (await t.app.inject({ method: 'GET', url: `/api/v1/accounts?personId=${m.personId}`, headers: adminAuth })).json().items[0].accountId;

  const res = await t.app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/end-sessions`, headers: adminAuth });

  assert.equal(res.json().sessionsEnded, 1);
  assert.equal((await whoAmI({ cookie: m.cookie })).statusCode, 401);
  assert.equal((await whoAmI({ authorization: m.token })).statusCode, 200);
});
