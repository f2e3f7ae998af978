// `vigil evaluate` and the loud feed statuses of `vigil feeds import|refresh`, end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vigilCommand } from './support/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (p: string) => join(root, 'test/fixtures', p);
const rhelFeed = fixture('feeds/rhel-9.oval.xml');
const debianFeed = fixture('feeds/debian-12.oval.xml');
const scratch = mkdtempSync(join(tmpdir(), 'vigil-evaluate-'));
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

function vigil(dbPath: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [...vigilCommand, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, VIGIL_SQLITE_PATH: dbPath, VIGIL_DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'vigil-cli-')), 'vigil.db');
const noDb = join(scratch, 'none', 'vigil.db');

// rpm -qa --qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE} %{ARCH}\n' on a Rocky 9 host.
const rpmQf =
  ['bash 0:5.1.8-6.el9_1 x86_64', 'openssl-libs 1:3.0.7-24.el9 x86_64', 'gpg-pubkey (none):fd431d51-4ae0493b (none)', 'zlib 0:1.2.11-40.el9 x86_64'].join(
    '\n',
  ) + '\n';

test('rpm -qa --qf output is evaluated against an OVAL file given on the command line, as JSON', () => {
  const r = vigil(noDb, ['evaluate', '--os', 'rocky:9', '--feed', rhelFeed, '--release', 'rhel:9', '--format', 'json'], rpmQf);

  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual([out.os, out.feedRelease, out.packages], ['rocky:9', 'rhel:9', 4]);
  const openssl = out.findings.find((f: { package: string }) => f.package === 'openssl-libs');
  assert.deepEqual([openssl.installedVersion, openssl.fixedVersion, openssl.cves], ['1:3.0.7-24.el9', '1:3.0.7-27.el9', ['CVE-2023-3446', 'CVE-2023-3817']]);
});

test('--exit-code is the exit status when findings remain, and 0 when none do', () => {
  const vulnerable = vigil(noDb, ['evaluate', '--os', 'rhel:9', '--feed', rhelFeed, '--release', 'rhel:9', '--exit-code', '4'], rpmQf);
  const clean = vigil(noDb, ['evaluate', '--os', 'rhel:9', '--feed', rhelFeed, '--release', 'rhel:9', '--exit-code', '4'], 'bash 0:5.1.8-6.el9_1 x86_64\n');
  const unfixedOnly = vigil(
    noDb,
    ['evaluate', '--os', 'rhel:9', '--feed', rhelFeed, '--release', 'rhel:9', '--exit-code', '4', '--severity', 'critical'],
    rpmQf,
  );

  assert.equal(vulnerable.code, 4, vulnerable.stderr);
  assert.match(vulnerable.stdout, /^PACKAGE +INSTALLED/);
  assert.match(vulnerable.stdout, /openssl-libs +1:3\.0\.7-24\.el9/);
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.stdout, '');
  assert.match(clean.stderr, /1 packages \(rhel:9, data of rhel:9\): 0 findings, 0 CVEs/);
  assert.equal(unfixedOnly.code, 0, unfixedOnly.stderr);
});

test('dpkg-query -W output (name and version, multi-arch names) is evaluated as CSV', () => {
  const list = 'libssl3:amd64\t3.0.11-1~deb12u2\nbash\t5.2.15-2+b2\nrc-only-package\t\n';

  const r = vigil(noDb, ['evaluate', '-', '--os', 'debian:12', '--feed', debianFeed, '--release', 'debian:12', '--format', 'csv'], list);

  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'package,installed,arch,fixed,state,severity,cves,advisory');
  assert.match(lines[1]!, /^libssl3,3\.0\.11-1~deb12u2,amd64,0:3\.0\.13-1~deb12u1,fixed,unknown,CVE-2024-0727,/);
  assert.equal(lines.length, 2);
});

test('a Pakiti report and a Vigil JSON report name their own OS', () => {
  const pakiti = vigil(noDb, ['evaluate', fixture('reports/rocky9-wn.txt'), '--feed', rhelFeed, '--release', 'rhel:9', '--format', 'json']);
  const json = vigil(noDb, ['evaluate', fixture('reports/vigil-report-debian12.json'), '--feed', debianFeed, '--release', 'debian:12', '--format', 'json']);

  assert.equal(pakiti.code, 0, pakiti.stderr);
  assert.deepEqual([JSON.parse(pakiti.stdout).os, JSON.parse(pakiti.stdout).host], ['rocky:9', 'wn042.grid.example.org']);
  assert.ok(JSON.parse(pakiti.stdout).findings.some((f: { package: string }) => f.package === 'openssl-libs'));
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).os, 'debian:12');
  assert.ok(JSON.parse(json.stdout).findings.some((f: { package: string }) => f.package === 'libssl3'));
});

test('without --feed the feeds stored in the database are used', () => {
  const db = tempDb();
  const imported = vigil(db, ['feeds', 'import', rhelFeed, '--format', 'oval', '--release', 'rhel:9']);

  const r = vigil(db, ['evaluate', '--os', 'almalinux:9', '--format', 'json'], rpmQf);

  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).findings.some((f: { package: string }) => f.package === 'openssl-libs'));
});

test('plain rpm -qa output is read, with a warning that it carries no epochs', () => {
  const r = vigil(
    noDb,
    ['evaluate', '--os', 'rhel:9', '--feed', rhelFeed, '--release', 'rhel:9', '--format', 'json'],
    'bash-5.1.8-6.el9_1.x86_64\nopenssl-libs-3.0.7-24.el9.x86_64\n',
  );

  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    JSON.parse(r.stdout).findings.map((f: { installedVersion: string }) => f.installedVersion),
    ['0:3.0.7-24.el9'],
  );
  assert.match(r.stderr, /^warning: plain rpm -qa output has no epochs/m);
});

const refusals: Array<[string, string[], string, RegExp]> = [
  ['a list that is none of the known forms', ['--os', 'rhel:9'], 'one two three four five\n', /^vigil: line 1: not a package list Vigil knows/],
  ['a list without an OS and no --os', [], rpmQf, /^vigil: the package list does not say which OS it is from: give --os/],
  ['an rpm list said to be Debian', ['--os', 'debian:12'], rpmQf, /^vigil: debian:12 uses dpkg, but the package list is rpm output$/],
  ['a release no feed covers', ['--os', 'debian:12'], 'bash\t5.2.15-2+b2\n', /^vigil: no feed covers debian:12: nothing was evaluated$/],
  [
    'a field with a control character',
    ['--os', 'rhel:9'],
    'bash 0:5.1.8-6.el9_1\u0007 x86_64\n',
    /^vigil: line 1: a field holds characters outside printable ASCII$/,
  ],
  ['an unknown output format', ['--os', 'rhel:9', '--format', 'xml'], rpmQf, /^vigil: unknown --format xml/],
];
for (const [what, args, input, message] of refusals) {
  test(`${what} is refused with one line and exit 1`, () => {
    const r = vigil(noDb, ['evaluate', '--feed', rhelFeed, '--release', 'rhel:9', ...args], input);

    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stdout, '');
  });
}

test('a package list over 8 MiB is refused without reading the rest', () => {
  const big = write('big.txt', 'bash 0:5.1.8-6.el9_1 x86_64\n'.repeat(320_000));

  const r = vigil(noDb, ['evaluate', big, '--os', 'rhel:9', '--feed', rhelFeed, '--release', 'rhel:9']);

  assert.equal(r.code, 1);
  assert.match(r.stderr.trim(), /^vigil: .*big\.txt: the package list is over 8388608 bytes$/);
});

test('without a database or --feed, evaluate says what to do', () => {
  const r = vigil(noDb, ['evaluate', '--os', 'rhel:9'], rpmQf);

  assert.equal(r.code, 1);
  assert.match(r.stderr.trim(), /^vigil: no database at .*: import feeds first \(vigil feeds import\), or give feed files with --feed$/);
});

test('feeds import of a feed without definitions exits 1 and keeps what was there; one without CVEs warns loudly', () => {
  const db = tempDb();
  const rhel = readFileSync(rhelFeed, 'utf8');
  const hollow = write('hollow.oval.xml', rhel.replace(/<definition [\s\S]*?<\/definition>/g, ''));
  const noCves = write('no-cves.oval.xml', rhel.replace(/<cve [^>]*>[^<]*<\/cve>/g, '').replace(/<reference ref_id="CVE[^>]*>/g, ''));
  const first = vigil(db, ['feeds', 'import', rhelFeed, '--format', 'oval', '--release', 'rhel:9', '--name', 'rhel-9']);

  const empty = vigil(db, ['feeds', 'import', hollow, '--format', 'oval', '--release', 'rhel:9', '--name', 'rhel-9']);
  const list = JSON.parse(vigil(db, ['feeds', 'list', '--json']).stdout);
  const cveless = vigil(db, ['feeds', 'import', noCves, '--format', 'oval', '--release', 'rhel:9', '--name', 'rhel-9-b']);
  const refreshAll = vigil(db, ['feeds', 'refresh']);

  assert.equal(first.code, 0, first.stderr);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr.trim(), /^vigil: this feed yielded no definitions: its format may have changed; the previous definitions are kept$/);
  assert.deepEqual([list[0].lastStatus, list[0].definitionCount], ['error', 2]);
  assert.equal(cveless.code, 0, cveless.stderr);
  assert.match(cveless.stderr, /^vigil: WARNING: rhel-9-b was stored but looks broken: this feed produced no CVEs/m);
  // Refreshing every feed: the broken one fails (exit 1), the other is still refreshed.
  assert.equal(refreshAll.code, 1);
  assert.match(refreshAll.stderr, /^vigil: rhel-9: this feed yielded no definitions/m);
  assert.match(refreshAll.stderr, /^rhel-9-b: 2 definitions, 0 CVEs$/m);
});

test("--index gives a Debian release's binary → source names: libtiff6 meets the tiff definition", () => {
  const tiff = fixture('feeds/debian-12-tiff.oval.xml');
  const index = fixture('debian-index/bookworm-main-Sources');
  const args = ['evaluate', '-', '--os', 'debian:12', '--feed', tiff, '--release', 'debian:12', '--format', 'json'];

  const without = vigil(noDb, args, 'libtiff6\t4.5.0-6\n');
  const withIndex = vigil(noDb, [...args, '--index', index], 'libtiff6\t4.5.0-6\n');
  const misplaced = vigil(noDb, ['evaluate', '-', '--os', 'debian:12', '--index', index], 'libtiff6\t4.5.0-6\n');

  assert.equal(without.code, 0, without.stderr);
  assert.deepEqual(JSON.parse(without.stdout).findings, []);
  assert.equal(withIndex.code, 0, withIndex.stderr);
  assert.deepEqual(
    JSON.parse(withIndex.stdout).findings.map((f: { package: string; cves: string[] }) => [f.package, f.cves]),
    [['libtiff6', ['CVE-2023-52356']]],
  );
  assert.equal(misplaced.code, 1);
  assert.match(misplaced.stderr, /--index goes with --feed/);
});
