// Forwarded headers are believed only from the listed proxies (Vigil issue 9, hole 5).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testApp, type TestApp } from '../../test/support/app.js';
import { admin, personWithRole, smallFederation } from '../../test/support/seed.js';

const PROXY = '10.0.0.1';
const PASSWORD = 'a long enough password';
const fixture = (p: string) => new URL(`../../test/fixtures/${p}`, import.meta.url).pathname;
const DN = '/DC=org/DC=example/O=Alpha Uni/CN=reporter.alpha-uni-1.example.org';
let t: TestApp;

before(async () => {
  t = await testApp({ config: { trustProxy: [PROXY] } });
  const { personId } = await personWithRole(t.services, 'read-only', 'federation');
  await t.services.identity.createAccount(admin, { personId, username: 'owner', password: PASSWORD });
});
after(() => t.close());

const login = (username: string, password: string, remoteAddress: string, forwardedFor?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    payload: { username, password },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });

test('a client-spoofed X-Forwarded-For from an untrusted peer does not change its throttling key', async () => {
  for (let i = 0; i < 5; i++) {
    const res = await login('owner', 'wrong password here', '192.0.2.7', `198.51.100.${i + 1}`);
    assert.equal(res.statusCode, 401);
  }

  const res = await login('owner', PASSWORD, '192.0.2.7', '198.51.100.99');

  assert.equal(res.statusCode, 429);
  assert.ok(Number(res.headers['retry-after']) > 0);
});

test("behind the trusted proxy the owner's forwarded address signs in while an attacker's forwarded address is throttled", async () => {
  for (let i = 0; i < 5; i++) await login('owner', 'wrong password here', PROXY, '203.0.113.66');

  const attacker = await login('owner', PASSWORD, PROXY, '203.0.113.66');
  const owner = await login('owner', PASSWORD, PROXY, '198.51.100.10');

  assert.equal(attacker.statusCode, 429);
  assert.equal(owner.statusCode, 200);
});

test('a client-certificate DN header counts only when the trusted proxy sends it', async () => {
  const fed = await smallFederation(t.services);
  await t.services.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/rhel-9.oval.xml'), release: 'rhel:9' });
  await t.services.tags.tag(admin, { cve: 'CVE-2023-52434', tag: 'EGI-Critical', reason: 'kernel privilege escalation' });
  await t.services.reporters.mapDn(admin, fed.siteA1, DN);
  const body = readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8')
    .replace('site: EXAMPLE-SITE', 'site: ALPHA-UNI-1')
    .replace(/^host:.*$/m, 'host: dn.example.org');
  const send = (remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/feed/?mode=report-only',
      remoteAddress,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-ssl-client-s-dn': DN },
    });

  const direct = await send('192.0.2.7');
  const viaProxy = await send(PROXY);

  assert.equal(direct.body, 'OK\n', 'a direct client is anonymous whatever header it sends');
  assert.match(viaProxy.body, /CVE-2023-52434\tEGI-Critical/);
});
