import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, tokenFor, type TestApp } from '../../test/support/app.js';
import { admin, personWithRole } from '../../test/support/seed.js';

let t: TestApp;
let adminToken: string;

before(async () => {
  t = await testApp();
  const { personId } = await personWithRole(t.services, 'federation-admin', 'federation');
  adminToken = await tokenFor(t.services, personId);
});
after(() => t.close());

const auth = () => ({ authorization: `Bearer ${adminToken}` });
const countSites = async () =>
  Number(
    (
      await t.db.db
        .selectFrom('site')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('an unknown API path answers problem+json 404', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: auth() });

  assert.equal(res.statusCode, 404);
  assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(res.json().status, 404);
});

test('a body that breaks the schema answers 400 with the offending path', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/ngis', headers: auth(), payload: { name: 'NGI_X', surprise: true } });

  assert.equal(res.statusCode, 400);
  assert.match(res.headers['content-type'] as string, /problem\+json/);
  assert.ok(Array.isArray(res.json().errors));
});

test('a domain error maps to its status with a detail', async () => {
  await t.app.inject({ method: 'POST', url: '/api/v1/ngis', headers: auth(), payload: { name: 'NGI_DUP' } });

  const res = await t.app.inject({ method: 'POST', url: '/api/v1/ngis', headers: auth(), payload: { name: 'NGI_DUP' } });

  assert.equal(res.statusCode, 409);
  assert.equal(res.json().detail, 'NGI NGI_DUP already exists');
});

test('a JSON body over the limit is refused with 413 and writes nothing', async () => {
  const before = await t.db.db.selectFrom('ngi').select('name').execute();

  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ngis',
    headers: { ...auth(), 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'NGI_BIG', description: 'x'.repeat(2 * 1024 * 1024) }),
  });

  assert.equal(res.statusCode, 413);
  assert.match(res.headers['content-type'] as string, /problem\+json/);
  assert.deepEqual(await t.db.db.selectFrom('ngi').select('name').execute(), before);
});

test('deeply nested JSON is refused before it is parsed, not by a crash', async () => {
  const deep = '['.repeat(50_000) + ']'.repeat(50_000);

  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ngis',
    headers: { ...auth(), 'content-type': 'application/json' },
    payload: `{"name":"N","description":${deep}}`,
  });

  assert.equal(res.statusCode, 413);
  assert.match(res.json().detail, /JSON nests deeper than 32 levels at offset 57/);
});

const hostileXml: Record<string, string> = {
  'entity expansion': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><results><NGI><PRIMARY_KEY>1</PRIMARY_KEY><NAME>&c;</NAME></NGI></results>`,
  'external entity': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><results><NGI><PRIMARY_KEY>1</PRIMARY_KEY><NAME>&x;</NAME></NGI></results>`,
  'deep nesting': `<results>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</results>`,
  malformed: `<results><NGI><PRIMARY_KEY>1</PRIMARY_KEY><NAME>NGI_OK</NAME></NGI><SITE>`,
};

for (const [name, xml] of Object.entries(hostileXml)) {
  test(`GOCDB XML with ${name} gets a clear error and imports nothing`, async () => {
    const sitesBefore = await countSites();
    const ngisBefore = (await t.db.db.selectFrom('ngi').select('name').execute()).length;

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/gocdb', headers: { ...auth(), 'content-type': 'application/xml' }, payload: xml });

    assert.ok([413, 422].includes(res.statusCode), `status ${res.statusCode}`);
    assert.match(res.headers['content-type'] as string, /problem\+json/);
    assert.ok(res.json().detail.length > 5);
    assert.equal(await countSites(), sitesBefore);
    assert.equal((await t.db.db.selectFrom('ngi').select('name').execute()).length, ngisBefore);
  });
}

test('a 50 MB GOCDB upload is refused with 413 and imports nothing', async () => {
  const site = '<SITE ID="1" PRIMARY_KEY="1G0" NAME="S"><PRIMARY_KEY>1G0</PRIMARY_KEY><SHORT_NAME>BIG-SITE</SHORT_NAME><ROC>NGI_BIG</ROC></SITE>';
  const body = '<results>' + site.repeat(Math.ceil((50 * 1024 * 1024) / site.length)) + '</results>';

  const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/gocdb', headers: { ...auth(), 'content-type': 'application/xml' }, payload: body });

  assert.equal(res.statusCode, 413);
  assert.equal(await countSites(), 0);
});

test('an import sent as JSON is told to send XML', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports/gocdb', headers: auth(), payload: { xml: '<results/>' } });

  assert.equal(res.statusCode, 422);
});

test('the session cookie is HttpOnly and SameSite, and Secure behind a TLS proxy', async () => {
  const proxied = await testApp({ config: { trustProxy: ['127.0.0.1'] } });
  const { personId } = await personWithRole(proxied.services, 'read-only', 'federation');
  await proxied.services.identity.createAccount(admin, { personId, username: 'cookie-test', password: 'a long enough password' });

  const res = await proxied.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { username: 'cookie-test', password: 'a long enough password' },
  });

  const cookie = String(res.headers['set-cookie']);
  assert.equal(res.statusCode, 200);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Secure/);
  await proxied.close();
});

test('a cookie request that changes state without the CSRF token is refused', async () => {
  const { personId } = await personWithRole(t.services, 'federation-admin', 'federation');
  await t.services.identity.createAccount(admin, { personId, username: 'csrf-test', password: 'a long enough password' });
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'csrf-test', password: 'a long enough password' } });
  const cookie = `vigil_session=${login.cookies[0]!.value}`;

  const without = await t.app.inject({ method: 'POST', url: '/api/v1/ngis', headers: { cookie }, payload: { name: 'NGI_CSRF' } });
  const withToken = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ngis',
    headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    payload: { name: 'NGI_CSRF' },
  });

  assert.equal(without.statusCode, 403);
  assert.equal(withToken.statusCode, 201);
});

test('logs never contain a password, token, cookie or CSRF token', async () => {
  const { personId } = await personWithRole(t.services, 'federation-admin', 'federation');
  const password = 'secret-password-' + Math.random().toString(36).slice(2);
  await t.services.identity.createAccount(admin, { personId, username: 'log-test', password });
  const token = await tokenFor(t.services, personId);

  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'log-test', password } });
  await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'log-test', password: password + 'x' } });
  const cookieValue = login.cookies[0]!.value;
  await t.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { cookie: `vigil_session=${cookieValue}` } });
  await t.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${token}` } });
  await t.app.inject({ method: 'GET', url: '/api/v1/sites', headers: { authorization: `Bearer ${token}x` } });

  const logs = t.logs.join('');
  assert.ok(logs.length > 0);
  for (const secret of [password, token, cookieValue, login.json().csrfToken as string]) assert.equal(logs.includes(secret), false);
});

test('/metrics reports requests per route pattern, the pool and the job queue', async () => {
  await t.app.inject({ method: 'GET', url: '/api/v1/sites/some-id', headers: auth() });

  const res = await t.app.inject({ method: 'GET', url: '/metrics' });

  assert.equal(res.statusCode, 200);
  assert.match(res.body, /vigil_http_requests_total\{method="GET",route="\/api\/v1\/sites\/:siteId",status="404"\} \d+/);
  assert.match(res.body, /vigil_http_request_duration_seconds_bucket/);
  assert.match(res.body, /vigil_db_pool_connections\{state="total"\}/);
  assert.match(res.body, /vigil_jobs\{status="queued"\}/);
});

test('/openapi.json is OpenAPI 3.1 and documents every API route', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();

  assert.equal(doc.openapi, '3.1.0');
  const documented = new Set(
    Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    ),
  );
  const apiRoutes = t.app.vigilRoutes.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(
    apiRoutes.filter((r) => !documented.has(r)),
    [],
  );
});

test('/api/docs serves the browsable API reference', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });

  assert.equal(res.statusCode, 200);
  assert.match(res.body, /swagger/i);
});

test('/healthz and /readyz answer', async () => {
  assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().status, 'ready');
});

test('the web UI is served at / and at any page path, the API keeps its 404s', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const webRoot = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vigil</title>');
  const withWeb = await testApp({ config: { webRoot } });

  const root = await withWeb.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  const page = await withWeb.app.inject({ method: 'GET', url: '/sites/some-id', headers: { accept: 'text/html' } });
  const api = await withWeb.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { accept: 'text/html' } });

  assert.equal(root.statusCode, 200);
  assert.match(root.body, /<title>Vigil/);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<title>Vigil/);
  assert.equal(api.statusCode, 404);
  await withWeb.close();
});
