// Issue 10 through the Pakiti intake and the HTTP API: CVEs named in OSV `related` (class 1), Oracle
// Linux hosts whose /etc/redhat-release says RHEL (class 6), versions shown as reported (class 10).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, tokenFor, type TestApp } from './support/app.js';
import { admin, personWithRole } from './support/seed.js';

const fixture = (p: string) => new URL(`./fixtures/${p}`, import.meta.url).pathname;
const form = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'libwww-perl/6.68' };
const osvDir = mkdtempSync(join(tmpdir(), 'vigil-osv-'));
let t: TestApp;
let csirt: string;
let osvFeed: { lastStatus: string; cveCount: number; warnings: string[] };

before(async () => {
  // The advisories of four vendors whose CVEs are only in `related` (Red Hat also `upstream`).
  for (const f of ['ALSA-2024-4312.json', 'RLSA-2024-4312.json', 'RHSA-2024-4312.json', 'USN-6859-1.json'])
    copyFileSync(fixture(`feeds/osv/${f}`), join(osvDir, f));
  t = await testApp();
  const s = t.services;
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_EXAMPLE' });
  const siteId = (await s.registry.createSite(admin, { name: 'EXAMPLE-SITE', ngiId: ngi.ngiId, securityEmail: 'csirt@example-site.example.org' })).siteId;
  await s.reporters.setAnonymous(admin, siteId, true);
  osvFeed = (await s.feeds.importFrom(admin, { format: 'osv', source: osvDir })) as typeof osvFeed;
  csirt = await tokenFor(s, (await personWithRole(s, 'csirt', 'federation')).personId);
});
after(async () => {
  await t.close();
  rmSync(osvDir, { recursive: true, force: true });
});

const get = async (url: string) => await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${csirt}` } });
const report = (host: string, system: string, packager: string, packages: string[], extra = '') =>
  t.app.inject({
    method: 'POST',
    url: '/feed/?protocol=5',
    headers: form,
    payload: `#\narch: x86_64\nhost: ${host}\nkernel: 5.14.0-427.13.1.el9_4.x86_64\n${extra}packager: ${packager}\nsite: EXAMPLE-SITE\nsystem: ${system}\nversion: 1\n#\n${packages.join('\n')}\n#\n`,
  });
type Host = {
  osKey: string | null;
  flags: string[];
  packages: Array<{ name: string; version: string }>;
  findings: Array<{ cve: string; package: string; installedVersion: string }>;
};
async function hostNamed(name: string): Promise<Host> {
  const list = (await get(`/api/v1/hosts?q=${name}`)).json() as { items: Array<{ hostId: string; hostname: string }> };
  const row = list.items.find((h) => h.hostname === name);
  assert.ok(row, `host ${name} is listed`);
  return (await get(`/api/v1/hosts/${row.hostId}`)).json() as Host;
}

test('an OSV feed of advisories naming CVEs in related imports its CVEs, without the no-CVE alarm', () => {
  assert.equal(osvFeed.lastStatus, 'ok', osvFeed.warnings.join('; '));
  assert.equal(osvFeed.cveCount, 2);
});

const HOSTS = [
  ['alma9.example.org', 'AlmaLinux release 9.4 (Seafoam Ocelot)', 'rpm', 'openssh-server\t0:8.7p1-38.el9\tx86_64'],
  ['rocky9.example.org', 'Rocky Linux release 9.4 (Blue Onyx)', 'rpm', 'openssh-server\t0:8.7p1-38.el9\tx86_64'],
  ['rhel9.example.org', 'Red Hat Enterprise Linux release 9.4 (Plow)', 'rpm', 'openssh-server\t0:8.7p1-38.el9\tx86_64'],
  ['jammy.example.org', 'Ubuntu 22.04.4 LTS', 'dpkg', 'openssh-server\t1:8.9p1-3ubuntu0.7\tamd64'],
] as const;

for (const [host, system, packager, line] of HOSTS) {
  test(`${host}: findings from an advisory carry its related CVEs, and the CVE filter and page find the host`, async () => {
    assert.equal((await report(host, system, packager, [line])).statusCode, 200);

    const h = await hostNamed(host);
    assert.ok(
      h.findings.some((f) => f.cve === 'CVE-2024-6387' && f.package === 'openssh-server'),
      JSON.stringify(h.findings),
    );
    const filtered = (await get(`/api/v1/hosts?cve=CVE-2024-6387&q=${host}`)).json() as { items: Array<{ hostname: string }> };
    assert.deepEqual(
      filtered.items.map((i) => i.hostname),
      [host],
    );
    assert.match((await get('/api/v1/cves/CVE-2024-6387')).body, /EXAMPLE-SITE/);
  });
}

test('an Oracle Linux host whose redhat-release says RHEL is filed as Oracle by its release package (Pakiti client)', async () => {
  const res = await report('ol8.example.org', 'Red Hat Enterprise Linux release 8.9 (Ootpa)', 'rpm', [
    'bash\t0:4.4.20-4.el8_6\tx86_64',
    'oraclelinux-release\t8:8.9-1.0.8.el8\tx86_64',
  ]);

  assert.equal(res.statusCode, 200);
  assert.equal((await hostNamed('ol8.example.org')).osKey, 'oracle:8');
});

test('the same host is filed as Oracle again when only its headers repeat (a package section already stored)', async () => {
  const packages = ['bash\t0:4.4.20-4.el8_6\tx86_64', 'oraclelinux-release\t8:8.9-1.0.8.el8\tx86_64'];
  await report('ol8b.example.org', 'Red Hat Enterprise Linux release 8.9 (Ootpa)', 'rpm', packages);

  await report('ol8c.example.org', 'Red Hat Enterprise Linux release 8.9 (Ootpa)', 'rpm', packages);

  assert.equal((await hostNamed('ol8c.example.org')).osKey, 'oracle:8');
});

test("Vigil's agent headers (/etc/oracle-release, os-release) file an Oracle host without any release package", async () => {
  const extra = 'oracle-release: Oracle Linux Server release 9.3\nos-release-id: ol\nos-release-name: Oracle Linux Server\nos-release-version-id: 9.3\n';

  await report('ol9.example.org', 'Red Hat Enterprise Linux release 9.3 (Plow)', 'rpm', ['bash\t0:5.1.8-6.el9_1\tx86_64'], extra);

  assert.equal((await hostNamed('ol9.example.org')).osKey, 'oracle:9');
});

test('signs that disagree leave the host unknown, never guessed', async () => {
  await report('mixed.example.org', 'Rocky Linux release 9.3 (Blue Onyx)', 'rpm', ['almalinux-release\t0:9.3-1.el9\tx86_64']);

  const h = await hostNamed('mixed.example.org');
  assert.deepEqual([h.osKey, h.flags.includes('unknown-os')], [null, true]);
});

test('versions are shown as reported: 8.7p1-38.el9 stays without an epoch, and is still compared as 0:8.7p1-38.el9', async () => {
  await report('noepoch.example.org', 'AlmaLinux release 9.4 (Seafoam Ocelot)', 'rpm', [
    'openssh-server\t8.7p1-38.el9\tx86_64',
    'zlib\t(none):1.2.11-40.el9\tx86_64',
  ]);

  const h = await hostNamed('noepoch.example.org');
  assert.deepEqual(
    h.packages.map((p) => `${p.name} ${p.version}`),
    ['openssh-server 8.7p1-38.el9', 'zlib 1.2.11-40.el9'],
  );
  assert.deepEqual([...new Set(h.findings.map((f) => `${f.cve} ${f.package} ${f.installedVersion}`))], ['CVE-2024-6387 openssh-server 8.7p1-38.el9']);
});
