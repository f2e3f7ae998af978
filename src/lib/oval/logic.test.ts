// Issue 10, classes 2, 3 and 7 without OpenSCAP (the oracle test, src/lib/evaluate/oscap-oracle.test.ts,
// checks the same fixtures against oscap where it is installed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compileFeed } from '../evaluate/compile.js';
import { createEvaluator } from '../evaluate/engine.js';
import { POLICIES } from '../vuln-model/policies.js';
import { parseOval } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url), 'utf8');
const rpm = (name: string, version: string, arch = 'x86_64') => ({ name, version, arch });

test('one Oracle ELSA file covers every release it names; the release package is never a finding', async () => {
  const feed = await parseOval(fixture('oracle/com.oracle.elsa-all.oval.xml'), { release: 'oracle:8' });
  const ranges = feed.definitions.flatMap((d) => d.affected.map((a) => `${d.advisoryId ?? d.id} ${a.release} ${a.package}`));

  assert.deepEqual([...new Set(ranges.map((r) => r.split(' ')[1]))].sort(), ['oracle:7', 'oracle:8', 'oracle:9']);
  assert.equal(ranges.filter((r) => r.endsWith('oraclelinux-release')).length, 0);
  const ev = createEvaluator(compileFeed(feed.definitions));
  const ol8 = ev.evaluate({ os: 'oracle:8', packages: [rpm('oraclelinux-release', '8:8.9-1.0.9.el8'), rpm('openssl-libs', '1:1.1.1k-9.el8_7')] });
  assert.deepEqual(
    ol8.findings.map((f) => [f.package, f.fixedVersion, f.notes.includes(POLICIES.platformTest)]),
    [['openssl-libs', '1:1.1.1k-12.el8_9', true]],
  );
});

test('an architecture test on the release package picks the branch; noarch packages count on their host', async () => {
  const feed = await parseOval(fixture('oracle/com.oracle.elsa-all.oval.xml'), { release: 'oracle:9' });
  const ev = createEvaluator(compileFeed(feed.definitions));
  const host = {
    os: 'oracle:9',
    packages: [rpm('oraclelinux-release', '9:9.3-1.0.2.el9'), rpm('openssl-libs', '1:3.0.7-24.0.1.el9'), rpm('openssl-perl', '1:3.0.7-24.0.1.el9', 'noarch')],
  };

  assert.deepEqual(
    ev
      .evaluate(host)
      .findings.map((f) => `${f.package} ${f.fixedVersion}`)
      .sort(),
    ['openssl-libs 1:3.0.7-27.0.1.el9', 'openssl-perl 1:3.0.7-27.0.1.el9'],
  );
  const aarch = { ...host, packages: host.packages.map((p) => (p.name === 'oraclelinux-release' ? { ...p, arch: 'aarch64' } : p)) };
  assert.deepEqual(createEvaluator(compileFeed(feed.definitions)).evaluate(aarch).findings, []);
});

test('OVAL existence semantics: installed AND not installed, none_exist, check="all", ONE, XOR and negation', async () => {
  const feed = await parseOval(fixture('rhel-9-including-unpatched.oval.xml'), { release: 'rhel:9' });
  const ev = createEvaluator(compileFeed(feed.definitions));
  const packages = [
    rpm('redhat-release', '0:9.4-0.5.el9'),
    rpm('openssl-libs', '1:3.0.7-24.el9'),
    rpm('libxml2', '0:2.9.13-6.el9_4'),
    rpm('zlib', '0:1.2.11-40.el9'),
    rpm('curl', '0:7.76.1-29.el9_4'),
    rpm('glibc', '0:2.34-83.el9_3'),
    rpm('glibc', '0:2.34-100.el9_4'),
    rpm('bash', '0:5.1.8-6.el9'),
    rpm('sudo', '0:1.9.5p2-9.el9'),
    rpm('tar', '2:1.34-6.el9'),
  ];
  const got = ev.evaluate({ os: 'rhel:9', packages }).findings.map((f) => `${f.definitionId.replace(/^oval:com\.redhat\.\w+:def:/, '')} ${f.package}`);

  // 202420001: libxml2 only (zlib "installed AND not installed", curl "installed AND none_exist"
  // never hold); 202420002 never; 202420003 false (check="all", one glibc is fixed); 202420004
  // false (ONE with both true); 202420005 true (only one tar); 202420006 false (XOR of two trues).
  assert.deepEqual(got.sort(), ['202420001 libxml2', '202420005 tar', '20243061 openssl-libs']);
});

test('a negated criterion and a none_exist test on Debian data', async () => {
  const feed = await parseOval(fixture('debian-12-existence.oval.xml'), { release: 'debian:12' });
  const ev = createEvaluator(compileFeed(feed.definitions), { sourceOf: () => undefined });
  const deb = (name: string, version: string) => ({ name, version, arch: 'amd64' });
  const base = [deb('openssl', '3.0.11-1~deb12u2'), deb('curl', '7.88.1-10+deb12u5'), deb('tar', '1.34+dfsg-1.2')];

  assert.deepEqual(
    ev.evaluate({ os: 'debian:12', packages: base }).findings.map((f) => f.package),
    ['curl'],
  );
  const patched = [
    deb('openssl', '3.0.13-1~deb12u1'),
    deb('curl', '7.88.1-10+deb12u5'),
    deb('libcurl3-gnutls', '7.88.1-10+deb12u5'),
    deb('tar', '1.34+dfsg-1.2'),
  ];
  assert.deepEqual(
    ev.evaluate({ os: 'debian:12', packages: patched }).findings.map((f) => f.package),
    ['tar'],
  );
});
