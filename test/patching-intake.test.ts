// Reports as real clients send them, through HTTP, checked against findings worked out by hand
// from the feed fixtures:
// - rhel-9 OVAL: openssl and openssl-libs earlier than 1:3.0.7-27.el9 → CVE-2023-3446,
//   CVE-2023-3817; kernel-core earlier than 0:5.14.0-427.16.1.el9_4 → CVE-2023-52434.
//   The Rocky 9 worker node runs kernel 5.14.0-362.8.1.el9_3 (its 284.30.1 kernel is installed
//   but not running) with openssl 1:3.0.7-24.el9: all three CVEs, kernel only once.
// - debian-12 OVAL: source openssl earlier than 3.0.13-1~deb12u1; the Debian 12 host has
//   openssl 3.0.11-1~deb12u2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, tokenFor, type TestApp } from './support/app.js';
import { admin, personWithRole } from './support/seed.js';

const fixture = (p: string) => new URL(`./fixtures/${p}`, import.meta.url).pathname;
const form = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'libwww-perl/6.68' };
const tmp = mkdtempSync(join(tmpdir(), 'vigil-intake-'));
let t: TestApp;
let csirt: string;
let siteId: string;

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  const key = join(tmp, 'server-key.pem');
  const cert = join(tmp, 'server-cert.pem');
  if (hasOpenssl())
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=vigil-test', '-days', '1', '-keyout', key, '-out', cert], {
      stdio: 'ignore',
    });
  t = await testApp({ config: { reportDecryptionKey: key } });
  const s = t.services;
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_EXAMPLE' });
  siteId = (await s.registry.createSite(admin, { name: 'EXAMPLE-SITE', ngiId: ngi.ngiId, securityEmail: 'csirt@example-site.example.org' })).siteId;
  await personWithRole(s, 'site-security-officer', 'site', siteId, 'Sara Officer');
  await s.reporters.setAnonymous(admin, siteId, true);
  await s.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/rhel-9.oval.xml'), release: 'rhel:9' });
  await s.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/debian-12.oval.xml'), release: 'debian:12' });
  csirt = await tokenFor(s, (await personWithRole(s, 'csirt', 'federation')).personId);
});
after(() => t.close());

const get = async (url: string) => await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${csirt}` } });
async function hostNamed(name: string) {
  const list = (await get(`/api/v1/hosts?q=${name}`)).json() as { items: Array<{ hostId: string; hostname: string }> };
  const row = list.items.find((h) => h.hostname === name);
  assert.ok(row, `host ${name} is listed`);
  return (await get(`/api/v1/hosts/${row.hostId}`)).json() as {
    hostId: string;
    osKey: string;
    flags: string[];
    reportCount: number;
    packages: unknown[];
    findings: Array<{ cve: string; package: string; installedVersion: string; fixedVersion: string | null; fixAvailable: boolean }>;
  };
}
const cvePairs = (h: Awaited<ReturnType<typeof hostNamed>>) => [...new Set(h.findings.map((f) => `${f.cve} ${f.package}`))].sort();

test('a protocol-5 rpm report from client 3.0.4 is stored and evaluated against Red Hat data', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/feed/?protocol=5', headers: form, payload: readFileSync(fixture('reports/rocky9-wn.txt')) });

  assert.equal(res.statusCode, 200);
  assert.equal(res.body, 'OK\n');
  const host = await hostNamed('wn042.grid.example.org');
  assert.equal(host.osKey, 'rocky:9');
  assert.deepEqual(cvePairs(host), [
    'CVE-2023-3446 openssl',
    'CVE-2023-3446 openssl-libs',
    'CVE-2023-3817 openssl',
    'CVE-2023-3817 openssl-libs',
    'CVE-2023-52434 kernel-core',
  ]);
  const kernel = host.findings.filter((f) => f.package === 'kernel-core');
  assert.deepEqual(
    kernel.map((f) => f.installedVersion),
    ['0:5.14.0-362.8.1.el9_3'],
    'only the running kernel counts',
  );
  assert.equal(host.findings.find((f) => f.package === 'openssl')?.fixedVersion, '1:3.0.7-27.el9');
});

test('an S/MIME-encrypted dpkg report (openssl smime -encrypt) is decrypted and evaluated', async (ctx) => {
  if (!hasOpenssl()) return ctx.skip('the openssl command is not installed');
  const plain = join(tmp, 'report.txt');
  const enc = join(tmp, 'report.der');
  writeFileSync(plain, readFileSync(fixture('reports/debian12-ui.txt')));
  execFileSync('openssl', ['smime', '-encrypt', '-binary', '-aes-256-cbc', '-outform', 'DER', '-in', plain, '-out', enc, join(tmp, 'server-cert.pem')]);

  const res = await t.app.inject({ method: 'POST', url: '/feed/?protocol=5', headers: form, payload: readFileSync(enc) });

  assert.equal(res.body, 'OK\n');
  const host = await hostNamed('ui01.example.org');
  assert.equal(host.osKey, 'debian:12');
  assert.ok(
    cvePairs(host).some((p) => p.endsWith(' openssl')),
    `openssl finding in ${cvePairs(host).join(', ')}`,
  );
  assert.equal(host.findings.find((f) => f.package === 'openssl')?.fixedVersion, '0:3.0.13-1~deb12u1', 'as the Debian OVAL writes it');
  assert.ok(
    cvePairs(host).some((p) => p.endsWith(' libssl3')),
    'the binary libssl3 meets the source openssl definition',
  );
});

test('a protocol-4 form from a Pakiti 2 client is stored (no feed covers SL6: no findings, not an error)', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/feed/',
    headers: form,
    payload: readFileSync(fixture('reports/protocol4-sl6.form'), 'utf8').replace('tag=Pakiti client', 'tag=Pakiti client&site=EXAMPLE-SITE'),
  });

  assert.equal(res.body, 'OK\n');
  const host = await hostNamed('wn17.grid.example.org');
  assert.equal(host.packages.length, 10);
  assert.deepEqual(host.findings, []);
});

test("a JSON report with an enrolment token is stored for the token's site", async () => {
  const { token } = await t.services.reporters.createToken(admin, siteId, 'ui hosts');
  const body = JSON.parse(readFileSync(fixture('reports/vigil-report-debian12.json'), 'utf8')) as Record<string, unknown>;

  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${token}` },
    payload: { ...body, host: 'ui02.example.org' },
  });

  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().outcome, 'stored');
  assert.ok(cvePairs(await hostNamed('ui02.example.org')).some((p) => p.endsWith(' openssl')));
});

test('a repeated report changes nothing but the last-seen time', async () => {
  const before = await hostNamed('wn042.grid.example.org');

  const res = await t.app.inject({ method: 'POST', url: '/feed/?protocol=5', headers: form, payload: readFileSync(fixture('reports/rocky9-wn.txt')) });

  const after = await hostNamed('wn042.grid.example.org');
  assert.equal(res.body, 'OK\n');
  assert.equal(after.reportCount, before.reportCount + 1);
  assert.deepEqual(cvePairs(after), cvePairs(before));
});

test("a report without a package section keeps the host's packages and is flagged", async () => {
  const header = readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8').split('\n').slice(0, 10).join('\n') + '\n';

  const res = await t.app.inject({ method: 'POST', url: '/feed/', headers: form, payload: header });

  const host = await hostNamed('wn042.grid.example.org');
  assert.equal(res.body, 'OK\n');
  assert.ok(host.flags.includes('packages-missing'));
  assert.ok(host.packages.length > 10);
});

test('a tagged CVE comes back to a client that asks for results, after OK', async () => {
  await t.services.tags.tag(admin, { cve: 'CVE-2023-52434', tag: 'EGI-Critical', reason: 'kernel privilege escalation' });

  const res = await t.app.inject({
    method: 'POST',
    url: '/feed/?mode=store-and-report&protocol=5',
    headers: form,
    payload: readFileSync(fixture('reports/rocky9-wn.txt')),
  });

  assert.equal(res.body, 'OK\nkernel-core\t0:5.14.0-362.8.1.el9_3\tx86_64\tCVE-2023-52434\tEGI-Critical\n');
});

test('the CVE page names the exposed site, its host count and its security contacts', async () => {
  const page = (await get('/api/v1/cves/CVE-2023-52434')).json();

  assert.deepEqual(
    page.sites.map((x: { siteName: string; hosts: number }) => [x.siteName, x.hosts]),
    [['EXAMPLE-SITE', 1]],
  );
  assert.equal(page.sites[0].securityContacts[0], 'csirt@example-site.example.org');
  assert.equal(page.sites[0].securityContacts.length, 2);
  assert.equal(page.tags[0].tag, 'EGI-Critical');
});

test("Pakiti's hosts.php CSV lists tagged CVEs per host for the ARGO probe", async () => {
  const res = await get('/api/hosts.php?hostGroup=EXAMPLE-SITE&activity=2d');

  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  const lines = res.body.trim().split('\n');
  assert.equal(lines[0], 'tag,cve,site,host,os,arch,last_report');
  assert.match(lines[1]!, /^EGI-Critical,CVE-2023-52434,EXAMPLE-SITE,wn042\.grid\.example\.org,Rocky Linux release 9\.3 \(Blue Onyx\),x86_64,\d{4}-/);
});

test('the site probe is CRITICAL with perfdata when a host has a critical-tagged CVE', async () => {
  const res = await get('/api/v1/probe/sites/EXAMPLE-SITE');

  assert.equal(res.headers['x-nagios-status'], '2');
  assert.match(res.body, /^CRITICAL: EXAMPLE-SITE: 4 hosts, 1 with critical-tagged CVEs.* \| 'hosts'=4;;;0 'critical'=1;;1;0/);
});

test('a report naming an unknown site is quarantined, never creating a site', async () => {
  const body = readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8').replace('site: EXAMPLE-SITE', 'site: NO-SUCH-SITE');

  const res = await t.app.inject({ method: 'POST', url: '/feed/', headers: form, payload: body });

  assert.equal(res.body, 'OK\n');
  const q = await t.db.db.selectFrom('report_quarantine').selectAll().execute();
  assert.deepEqual(
    q.map((r) => [r.claimed_site, r.reason]),
    [['NO-SUCH-SITE', 'unknown site NO-SUCH-SITE']],
  );
  assert.equal(await t.db.db.selectFrom('site').select('site_id').where('name', '=', 'NO-SUCH-SITE').executeTakeFirst(), undefined);
});

test('anonymous reports for a site that does not allow them answer 500 ERROR, with the reason in the log', async () => {
  await t.services.reporters.setAnonymous(admin, siteId, false);

  const res = await t.app.inject({ method: 'POST', url: '/feed/', headers: form, payload: readFileSync(fixture('reports/rocky9-wn.txt')) });

  assert.equal(res.statusCode, 500);
  assert.equal(res.body, 'ERROR');
  assert.ok(t.logs.join('').includes('accepts only enrolled reporters'));
  await t.services.reporters.setAnonymous(admin, siteId, true);
});

test('empty, garbage, host-less and undecryptable bodies answer 500 ERROR', async () => {
  const answers = [];
  for (const payload of [
    '',
    'not a report',
    '#\nsystem: Debian GNU/Linux 12\n',
    Buffer.from([0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0, 0]),
  ]) {
    const res = await t.app.inject({ method: 'POST', url: '/feed/', headers: form, payload });
    answers.push(`${res.statusCode} ${res.body}`);
  }

  assert.deepEqual(answers, ['500 ERROR', '500 ERROR', '500 ERROR', '500 ERROR']);
});

test('an exception takes a finding out of the exposure views, marked on the host page; revoking restores it', async () => {
  const host = await hostNamed('wn042.grid.example.org');
  const officer = await personWithRole(t.services, 'site-security-officer', 'site', siteId);
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();

  const exc = await t.services.exceptions.create(officer.actor, {
    siteId,
    cve: 'CVE-2023-52434',
    hostId: host.hostId,
    justification: 'live-patched with kpatch until the reboot window',
    expiresAt,
  });
  // The CVE is tagged: the exception takes effect once the CSIRT accepts it (issue 11).
  await t.services.exceptionReview.accept(admin, exc.exceptionId);
  const page = (await get('/api/v1/cves/CVE-2023-52434')).json();
  const marked = (await get(`/api/v1/hosts/${host.hostId}`)).json() as { findings: Array<{ cve: string; exception: { justification: string } | null }> };
  const results = await t.app.inject({
    method: 'POST',
    url: '/feed/?mode=store-and-report',
    headers: form,
    payload: readFileSync(fixture('reports/rocky9-wn.txt')),
  });
  await t.services.exceptions.revoke(officer.actor, exc.exceptionId);
  const restored = (await get('/api/v1/cves/CVE-2023-52434')).json();

  assert.deepEqual(page.sites, []);
  assert.equal(marked.findings.find((f) => f.cve === 'CVE-2023-52434')?.exception?.justification, 'live-patched with kpatch until the reboot window');
  assert.equal(results.body, 'OK\n');
  assert.equal(restored.sites.length, 1);
});

test("a site administrator cannot record exceptions, nor for another NGI's site", async () => {
  const siteAdmin = await personWithRole(t.services, 'site-admin', 'site', siteId);
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();

  await assert.rejects(t.services.exceptions.create(siteAdmin.actor, { siteId, cve: 'CVE-2023-52434', justification: 'not my call to make', expiresAt }), {
    code: 'forbidden',
  });
});

test('the drill-down summary counts hosts per NGI with hosts per risk tag; the hosts CSV exports the list', async () => {
  const summary = (await get('/api/v1/patching/summary')).json();
  const csv = await get('/api/v1/hosts.csv?q=wn042');

  assert.deepEqual(
    summary.items.map((i: { name: string; hosts: number; byTag: Record<string, number> }) => [i.name, i.hosts, i.byTag['EGI-Critical']]),
    [['NGI_EXAMPLE', 4, 1]],
  );
  assert.equal(csv.body.split('\n')[0], 'host,site,ngi,os,arch,kernel,last_report,findings,tagged_cves,flags');
  assert.match(csv.body.split('\n')[1]!, /^wn042\.grid\.example\.org,EXAMPLE-SITE,NGI_EXAMPLE,Rocky Linux release 9\.3 \(Blue Onyx\),x86_64,/);
});

test('a report sent through a TLS proxy with a mapped client-certificate DN belongs to that site', async () => {
  const proxied = await (await import('./support/app.js')).testApp({ config: { trustProxy: ['127.0.0.1'] } });
  const ngi = await proxied.services.registry.createNgi(admin, { name: 'NGI_DN' });
  const site = await proxied.services.registry.createSite(admin, { name: 'DN-SITE', ngiId: ngi.ngiId });
  const dn = '/DC=org/DC=example/O=DN Site/CN=reporter.dn-site.example.org';
  await proxied.services.reporters.mapDn(admin, site.siteId, dn);
  const body = readFileSync(fixture('reports/rocky9-wn.txt'), 'utf8').replace('site: EXAMPLE-SITE\n', '');

  const res = await proxied.app.inject({ method: 'POST', url: '/feed/', headers: { ...form, 'x-ssl-client-s-dn': dn }, payload: body });

  assert.equal(res.body, 'OK\n');
  const host = await proxied.db.db.selectFrom('host').select('site_id').executeTakeFirstOrThrow();
  assert.equal(host.site_id, site.siteId);
  await proxied.close();
});

test('an architecture-specific tag counts only on hosts of that architecture', async () => {
  await t.services.tags.tag(admin, { cve: 'CVE-2023-3446', tag: 'EGI-High', reason: 'only 32-bit is exposed', arch: 'i686' });

  const tagged = (await get('/api/v1/hosts?tag=EGI-High')).json();
  const host = await hostNamed('wn042.grid.example.org');

  assert.equal(tagged.total, 0);
  assert.equal(host.findings.filter((f) => f.cve === 'CVE-2023-3446').length, 2, 'one row per package, not per tag');
  await t.services.tags.untag(admin, { cve: 'CVE-2023-3446', tag: 'EGI-High', arch: 'i686' });
});
