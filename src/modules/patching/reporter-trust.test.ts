// Who a report's credential makes it (issue 9): a client-certificate DN reports for one site and
// cannot be taken over from a neighbour; a report naming another site than its credential's is
// held; enrolment-token metadata stays with the site's operators; risk tags go back only to
// enrolled reporters.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DomainError, ForbiddenError } from '../../core/errors.js';
import { DN_REFUSAL, hostnameOfDn } from './reporters.js';
import type { Actor } from '../../core/access.js';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';

const fixture = (p: string) => new URL(`../../../test/fixtures/${p}`, import.meta.url).pathname;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const rocky = (site: string, host: string) =>
  readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8')
    .replace('site: EXAMPLE-SITE', `site: ${site}`)
    .replace(/^host:.*$/m, `host: ${host}`);
const DN_A = '/DC=org/DC=example/O=Alpha Uni/CN=reporter.alpha-uni-1.example.org';

let t: TestApp;
let fed: SmallFederation;
let siteAdminB: { personId: string; actor: Actor };
let siteAdminA2: { personId: string; actor: Actor };
let ngiOfficerA: Actor;

before(async () => {
  // Behind a TLS-terminating proxy, which passes the client certificate's DN.
  t = await testApp({ config: { trustProxy: ['127.0.0.1'] } });
  fed = await smallFederation(t.services);
  await t.services.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/rhel-9.oval.xml'), release: 'rhel:9' });
  siteAdminB = await personWithRole(t.services, 'site-admin', 'site', fed.siteB1);
  siteAdminA2 = await personWithRole(t.services, 'site-admin', 'site', fed.siteA2);
  ngiOfficerA = (await personWithRole(t.services, 'ngi-security-officer', 'ngi', fed.ngiA)).actor;
  await t.services.reporters.mapDn(admin, fed.siteA1, DN_A);
});
after(() => t.close());

const siteOfDn = async (dn: string) => (await t.db.db.selectFrom('reporter_dn').select('site_id').where('dn', '=', dn).executeTakeFirst())?.site_id;

test('a site administrator of another NGI cannot map a DN that reports for a site of ours', async () => {
  const attempt = t.services.reporters.mapDn(siteAdminB.actor, fed.siteB1, DN_A);

  await assert.rejects(attempt, (err: Error) => err instanceof ForbiddenError && err.message === DN_REFUSAL);
  assert.equal(await siteOfDn(DN_A), fed.siteA1);
});

test('over HTTP the takeover answers 403 problem+json and the DN stays with its site', async () => {
  const token = await tokenFor(t.services, siteAdminB.personId);

  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/sites/${fed.siteB1}/reporter-dns`,
    headers: { authorization: `Bearer ${token}` },
    payload: { dn: DN_A },
  });

  assert.equal(res.statusCode, 403);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(await siteOfDn(DN_A), fed.siteA1);
});

// Review finding F2: a site officer could enrol a DN nobody had mapped yet (a neighbour's host
// certificate), and its host's reports naming no site then went to the officer's site; the
// 409 for a mapped DN told which DNs already report somewhere.
test("a site's operators enrol only their own registered endpoints' DNs, and every refusal reads the same", async () => {
  const officerA1 = (await personWithRole(t.services, 'site-security-officer', 'site', fed.siteA1)).actor;
  await t.services.registry.createEndpoint(admin, { siteId: fed.siteA1, hostname: 'ce1.alpha.example.org', serviceType: 'CREAM-CE' });
  await t.services.registry.createEndpoint(admin, { siteId: fed.siteB1, hostname: 'ce1.beta.example.org', serviceType: 'ARC-CE' });
  const own = '/DC=org/DC=example/O=Alpha/CN=host/ce1.alpha.example.org';
  const neighbours = '/DC=org/DC=example/O=Beta/CN=ce1.beta.example.org';
  const unregistered = '/DC=org/DC=example/O=Alpha/CN=nowhere.example.org';
  const elsewhere = '/DC=org/DC=example/O=Beta/CN=ui.beta.example.org';
  await t.services.reporters.mapDn(admin, fed.siteB1, elsewhere);

  await t.services.reporters.mapDn(officerA1, fed.siteA1, own);
  const refusals = await Promise.all(
    [neighbours, unregistered, elsewhere].map((dn) =>
      t.services.reporters.mapDn(officerA1, fed.siteA1, dn).then(
        () => 'mapped',
        (err: Error) => `${err.constructor.name}: ${err.message}`,
      ),
    ),
  );

  assert.equal(await siteOfDn(own), fed.siteA1);
  assert.deepEqual(refusals, [`ForbiddenError: ${DN_REFUSAL}`, `ForbiddenError: ${DN_REFUSAL}`, `ForbiddenError: ${DN_REFUSAL}`]);
  assert.equal(await siteOfDn(neighbours), undefined);
  assert.equal(await siteOfDn(unregistered), undefined);
  assert.equal(await siteOfDn(elsewhere), fed.siteB1);
});

test("an NGI security officer enrols any DN for the NGI's sites, but not another NGI's registered host", async () => {
  await t.services.registry.createEndpoint(admin, { siteId: fed.siteB1, hostname: 'se1.beta.example.org', serviceType: 'SRM' });

  await t.services.reporters.mapDn(ngiOfficerA, fed.siteA2, '/DC=org/DC=example/CN=ui.alpha-lab.example.org');
  // Awaited where it is made: a rejection nobody waits for yet fails the test on its own.
  await assert.rejects(
    t.services.reporters.mapDn(ngiOfficerA, fed.siteA2, '/DC=org/DC=example/CN=se1.beta.example.org'),
    (err: Error) => err instanceof ForbiddenError && err.message === DN_REFUSAL,
  );

  assert.equal(await siteOfDn('/DC=org/DC=example/CN=ui.alpha-lab.example.org'), fed.siteA2);
});

test("a report from another site's registered endpoint is held, whatever credential it carries", async () => {
  await t.services.registry.createEndpoint(admin, { siteId: fed.siteB1, hostname: 'wn9.beta.example.org', serviceType: 'ARC-CE' });
  const { token } = await t.services.reporters.createToken(admin, fed.siteA1, 'wrong-host');

  const viaDn = await t.app.inject({
    method: 'POST',
    url: '/feed/',
    headers: { ...form, 'x-ssl-client-s-dn': DN_A },
    payload: rocky('X', 'WN9.beta.example.org').replace('site: X\n', ''),
  });
  const viaToken = await t.app.inject({
    method: 'POST',
    url: '/feed/',
    headers: { ...form, authorization: `Bearer ${token}` },
    payload: rocky('ALPHA-UNI-1', 'wn9.beta.example.org'),
  });

  assert.deepEqual([viaDn.body, viaToken.body], ['OK\n', 'OK\n']);
  // The sender learns the report was held, not that the host is another site's endpoint (the registry is not public).
  assert.deepEqual(
    [viaDn, viaToken].map((r) => [r.headers['vigil-outcome'], r.headers['vigil-reason']]),
    [
      ['quarantined', "held for review by the federation's security officers"],
      ['quarantined', "held for review by the federation's security officers"],
    ],
  );
  const held = await t.db.db
    .selectFrom('report_quarantine')
    .select('reason')
    .where('hostname', 'in', ['WN9.beta.example.org', 'wn9.beta.example.org'])
    .execute();
  assert.deepEqual(
    held.map((r) => r.reason),
    ['host wn9.beta.example.org is a registered endpoint of another site', 'host wn9.beta.example.org is a registered endpoint of another site'],
  );
  assert.equal(await t.db.db.selectFrom('host').select('host_id').where('hostname', '=', 'wn9.beta.example.org').executeTakeFirst(), undefined);
});

test('someone who manages both sites moves a DN, audited on both sites with before and after', async () => {
  const dn = '/DC=org/DC=example/O=Alpha/CN=moving.example.org';
  await t.services.reporters.mapDn(admin, fed.siteA1, dn);

  await t.services.reporters.mapDn(ngiOfficerA, fed.siteA2, dn);

  assert.equal(await siteOfDn(dn), fed.siteA2);
  const events = await t.db.db.selectFrom('audit_event').select(['object_id', 'before_json', 'after_json']).where('action', '=', 'reporter-dn.move').execute();
  assert.deepEqual(events.map((e) => e.object_id).sort(), [fed.siteA1, fed.siteA2].sort());
  assert.deepEqual(JSON.parse(events[0]!.before_json!), { dn, siteId: fed.siteA1 });
  assert.deepEqual(JSON.parse(events[0]!.after_json!), { dn, siteId: fed.siteA2 });
});

test('a report sent with a DN of one site naming another site is quarantined with the reason, not stored', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/feed/',
    headers: { ...form, 'x-ssl-client-s-dn': DN_A },
    payload: rocky('BETA-HPC-1', 'wn1.beta.example.org'),
  });

  assert.equal(res.body, 'OK\n');
  const held = await t.db.db.selectFrom('report_quarantine').select(['claimed_site', 'reason']).where('hostname', '=', 'wn1.beta.example.org').execute();
  assert.deepEqual(
    held.map((r) => [r.claimed_site, r.reason]),
    [['BETA-HPC-1', 'client certificate DN of site ALPHA-UNI-1, report names site BETA-HPC-1']],
  );
  assert.equal(await t.db.db.selectFrom('host').select('host_id').where('hostname', '=', 'wn1.beta.example.org').executeTakeFirst(), undefined);
});

test('a report sent with a DN naming its own site, or none, is stored for that site', async () => {
  for (const [site, host] of [
    ['ALPHA-UNI-1', 'wn2.alpha.example.org'],
    ['', 'wn3.alpha.example.org'],
  ] as const) {
    const body = site ? rocky(site, host) : rocky('X', host).replace('site: X\n', '');
    const res = await t.app.inject({ method: 'POST', url: '/feed/', headers: { ...form, 'x-ssl-client-s-dn': DN_A }, payload: body });
    assert.equal(res.body, 'OK\n');
  }

  const hosts = await t.db.db
    .selectFrom('host')
    .select(['hostname', 'site_id'])
    .where('hostname', 'in', ['wn2.alpha.example.org', 'wn3.alpha.example.org'])
    .orderBy('hostname')
    .execute();
  assert.deepEqual(
    hosts.map((h) => h.site_id),
    [fed.siteA1, fed.siteA1],
  );
});

test("a site's operators list and unmap its DNs, audited; a neighbouring site administrator may not", async () => {
  const dn = '/DC=org/DC=example/O=Alpha/CN=old-ce.example.org';
  await t.services.reporters.mapDn(admin, fed.siteA1, dn);
  const officer = await tokenFor(t.services, (await personWithRole(t.services, 'site-security-officer', 'site', fed.siteA1)).personId);
  const neighbour = await tokenFor(t.services, siteAdminA2.personId);
  const call = (token: string, method: 'GET' | 'DELETE', query = '') =>
    t.app.inject({ method, url: `/api/v1/sites/${fed.siteA1}/reporter-dns${query}`, headers: { authorization: `Bearer ${token}` } });

  const listed = await call(officer, 'GET');
  const refusedList = await call(neighbour, 'GET');
  const refusedUnmap = await call(neighbour, 'DELETE', `?dn=${encodeURIComponent(dn)}`);
  const unmapped = await call(officer, 'DELETE', `?dn=${encodeURIComponent(dn)}`);
  const again = await call(officer, 'DELETE', `?dn=${encodeURIComponent(dn)}`);

  assert.equal(listed.statusCode, 200);
  assert.ok(listed.json().items.some((i: { dn: string }) => i.dn === dn));
  assert.ok([403, 404].includes(refusedList.statusCode), `neighbour list: ${refusedList.statusCode}`);
  assert.ok([403, 404].includes(refusedUnmap.statusCode), `neighbour unmap: ${refusedUnmap.statusCode}`);
  assert.equal(unmapped.statusCode, 204);
  assert.equal(again.statusCode, 404);
  assert.equal(await siteOfDn(dn), undefined);
  const audit = await t.db.db
    .selectFrom('audit_event')
    .select('before_json')
    .where('action', '=', 'reporter-dn.unmap')
    .where('object_id', '=', fed.siteA1)
    .execute();
  assert.deepEqual(
    audit.map((a) => JSON.parse(a.before_json!)),
    [{ dn, siteId: fed.siteA1 }],
  );
});

test('enrolment tokens of a site are not listed to the administrator of a neighbouring site', async () => {
  await t.services.reporters.createToken(admin, fed.siteA1, 'ci-alpha');

  const neighbour = t.services.reporters.listTokens(siteAdminA2.actor, fed.siteA1);
  const otherNgi = t.services.reporters.listTokens(siteAdminB.actor, fed.siteA1);

  // 403 where the neighbour sees the site in the registry, 404 where it does not.
  await assert.rejects(neighbour, (err: DomainError) => err instanceof ForbiddenError || err.code === 'not_found');
  await assert.rejects(otherNgi, (err: DomainError) => err.code === 'forbidden' || err.code === 'not_found');
  assert.equal((await t.services.reporters.listTokens(ngiOfficerA, fed.siteA1)).length > 0, true);
});

test('report-only gives an anonymous sender only OK, and an enrolled reporter the tagged CVEs', async () => {
  await t.services.tags.tag(admin, { cve: 'CVE-2023-52434', tag: 'EGI-Critical', reason: 'kernel privilege escalation' });
  const { token } = await t.services.reporters.createToken(admin, fed.siteA1, 'report-only');
  const body = rocky('ALPHA-UNI-1', 'probe.example.org');

  const anonymous = await t.app.inject({ method: 'POST', url: '/feed/?mode=report-only', headers: form, payload: body });
  const enrolled = await t.app.inject({
    method: 'POST',
    url: '/feed/?mode=report-only',
    headers: { ...form, authorization: `Bearer ${token}` },
    payload: body,
  });
  const byDn = await t.app.inject({ method: 'POST', url: '/feed/?mode=report-only', headers: { ...form, 'x-ssl-client-s-dn': DN_A }, payload: body });

  assert.equal(anonymous.statusCode, 200);
  assert.equal(anonymous.body, 'OK\n');
  assert.equal(enrolled.body, 'OK\nkernel-core\t0:5.14.0-362.8.1.el9_3\tx86_64\tCVE-2023-52434\tEGI-Critical\n');
  assert.equal(byDn.body, enrolled.body);
});

test('the host a DN names: last CN of a one-line DN, first of an RFC 2253 one, none for a person', () => {
  const cases: Array<[string, string | undefined]> = [
    ['/DC=org/DC=terena/DC=tcs/C=NL/O=Nikhef/CN=wn1.nikhef.nl', 'wn1.nikhef.nl'],
    ['/DC=ch/DC=cern/OU=computers/CN=host/CE503.cern.ch', 'ce503.cern.ch'],
    ['CN=host/wn2.example.org,O=Example,C=DE', 'wn2.example.org'],
    ['/DC=org/DC=example/CN=John Smith', undefined],
    ['/O=GermanGrid/OU=KIT/CN=robot: monitoring', undefined],
    ['CN=a\\,b.example.org,O=x', undefined],
  ];
  assert.deepEqual(
    cases.map(([dn]) => hostnameOfDn(dn)),
    cases.map(([, host]) => host),
  );
});

test("a site's report policy is read by those who read its patch data, not by its neighbours", async () => {
  await t.services.reporters.setAnonymous(admin, fed.siteA2, true);
  const officerA2 = (await personWithRole(t.services, 'site-security-officer', 'site', fed.siteA2)).actor;

  assert.deepEqual(await t.services.reporters.reportPolicy(officerA2, fed.siteA2), { anonymousAllowed: true });
  assert.deepEqual(await t.services.reporters.reportPolicy(ngiOfficerA, fed.siteA1), { anonymousAllowed: false });
  await assert.rejects(t.services.reporters.reportPolicy(officerA2, fed.siteA1), ForbiddenError);
});

test('a JSON report with an enrolment token needs no site: the token names it', async () => {
  const { token } = await t.services.reporters.createToken(admin, fed.siteA1, 'no-site');
  const report = {
    schema: 'vigil.report/1',
    host: 'nosite.alpha.example.org',
    system: 'Rocky Linux release 9.3 (Blue Onyx)',
    kernel: '5.14.0-362.8.1.el9_3.x86_64',
    arch: 'x86_64',
    packager: 'rpm',
    agent: { name: 'vigil-agent-node', version: '1' },
    packages: [{ name: 'bash', version: '5.1.8-6.el9_1', arch: 'x86_64' }],
  };

  const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: `Bearer ${token}` }, payload: report });

  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().outcome, 'stored');
  const host = await t.db.db.selectFrom('host').select('site_id').where('hostname', '=', 'nosite.alpha.example.org').executeTakeFirstOrThrow();
  assert.equal(host.site_id, fed.siteA1);
});
