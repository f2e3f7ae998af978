// Issue 10, items 5 and 11: Ubuntu's USN OVAL (statuses in the tests, pockets in the comments),
// fixes published only to Ubuntu Pro, and fixes released without a version.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { test } from 'node:test';
import { compileFeed } from '../evaluate/compile.js';
import { createEvaluator } from '../evaluate/engine.js';
import { POLICIES } from '../vuln-model/policies.js';
import { parseOval } from './parse.js';
import { fixPocket, readUbuntuCriterion } from './status-comment.js';

const fixture = (name: string) => createReadStream(new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url), { highWaterMark: 512 });
const usn = () => parseOval(fixture('ubuntu-jammy.usn.oval.xml'), { release: 'ubuntu:22.04' });
const focal = () => parseOval(fixture('ubuntu-focal.cve.oval.xml'), { release: 'ubuntu:20.04' });

test('a USN OVAL file is read: one definition per USN, its CVEs, the binaries of its variable, fixed below the state', async () => {
  const feed = await usn();
  const curl = feed.definitions.find((d) => d.advisoryId === 'USN-6718-1');

  assert.deepEqual(
    feed.definitions.filter((d) => d.affected.length > 0).map((d) => d.advisoryId),
    ['USN-6718-1', 'USN-6845-1', 'USN-6865-1'],
  );
  assert.equal(feed.stats.skipped['unrecognised-status-comment'], undefined);
  assert.deepEqual([curl?.id, curl?.cves, curl?.severity], ['oval:com.ubuntu.jammy:def:67180000000', ['CVE-2024-2004', 'CVE-2024-2398'], 'medium']);
  assert.deepEqual(
    curl?.affected.map((a) => [a.package, a.nameKind, a.fixState, a.fixed, a.fixChannel]),
    ['curl', 'libcurl3-gnutls', 'libcurl3-nss', 'libcurl4'].map((p) => [p, 'binary', 'fixed', '0:7.81.0-1ubuntu1.16', undefined]),
  );
});

test('a USN published to Ubuntu Pro marks its range, and its findings say the fix needs Ubuntu Pro', async () => {
  const feed = await usn();
  const ev = createEvaluator(compileFeed(feed.definitions));

  const result = ev.evaluate({
    os: 'ubuntu:22.04',
    packages: [
      { name: 'libhibernate3-java', version: '3.6.10.Final-10', arch: 'all' },
      { name: 'libcurl4', version: '7.81.0-1ubuntu1.15', arch: 'amd64' },
      { name: 'openssh-server', version: '1:8.9p1-3ubuntu0.10', arch: 'amd64' },
    ],
  });

  assert.deepEqual(
    result.findings.map((f) => [f.advisoryId, f.package, f.fixedVersion, f.fixAvailable, f.notes.includes(POLICIES.ubuntuProFix)]),
    [
      ['USN-6845-1', 'libhibernate3-java', '0:3.6.10.Final-10ubuntu0.22.04.1~esm1', true, true],
      ['USN-6718-1', 'libcurl4', '0:7.81.0-1ubuntu1.16', true, false],
    ],
  );
});

test('Ubuntu CVE OVAL: "(Available with Ubuntu Pro or Ubuntu Advantage)" and an +esm fixed version mark the fix as Pro-only', async () => {
  const feed = await focal();
  const byPackage = new Map(feed.definitions.flatMap((d) => d.affected.map((a) => [a.package, a] as const)));

  assert.equal(byPackage.get('node-minimist')?.fixChannel, 'ubuntu-pro');
  assert.equal(byPackage.get('node-minimist')?.fixed, '0:1.2.0-1ubuntu0.20.04.1~esm1');
  assert.equal(byPackage.get('curl')?.fixChannel, undefined);
});

test('policy:fixed-version-unknown: "fixed, but no release version available" is a finding on every installed version, noted', async () => {
  const feed = await focal();
  const ev = createEvaluator(compileFeed(feed.definitions));

  const result = ev.evaluate({ os: 'ubuntu:20.04', packages: [{ name: 'sudo', version: '1.8.31-1ubuntu1.5', arch: 'amd64' }] });

  assert.deepEqual(
    result.findings.map((f) => [f.cves, f.fixState, f.fixedVersion, f.fixAvailable, f.notes]),
    [[['CVE-2023-28486'], 'fixed', null, true, [POLICIES.fixedVersionUnknown]]],
  );
  assert.equal(feed.stats.skipped['not-affected'], undefined);
});

const criteria = [
  // USN OVAL: the comment names the pocket; the `less than` state is the status.
  ['Long Term Support', '0:7.81.0-1ubuntu1.16', { fixState: 'fixed' }],
  ['Interim Release', '0:1.2-1ubuntu0.1', { fixState: 'fixed' }],
  ['Available with Ubuntu Pro: https://ubuntu.com/pro', '0:2.4-1ubuntu0.1', { fixState: 'fixed', fixChannel: 'ubuntu-pro' }],
  ['Available with Ubuntu Pro (Infra-only): https://ubuntu.com/pro', '0:2.4-1ubuntu0.1', { fixState: 'fixed', fixChannel: 'ubuntu-pro' }],
  ['Available with UA Infra or UA Desktop: https://ubuntu.com/advantage', '0:2.4-1', { fixState: 'fixed', fixChannel: 'ubuntu-pro' }],
  ['Long Term Support', '0:2.7.17-1~18.04ubuntu1.13+esm4', { fixState: 'fixed', fixChannel: 'ubuntu-pro' }],
  // CVE OVAL, old and new (prefixed with the CVE) wordings.
  ["(CVE-2024-2398) curl package in jammy was vulnerable but has been fixed (note: '7.81.0-1ubuntu1.16').", '0:7.81.0-1ubuntu1.16', { fixState: 'fixed' }],
  ['sudo package in focal was vulnerable and has been fixed, but no release version available for it.', undefined, { fixState: 'fixed' }],
  ['(CVE-2023-1) sudo package in focal was vulnerable and has been fixed, but no release version available for it.', undefined, { fixState: 'fixed' }],
  ['tmux package in jammy is affected and may need fixing.', undefined, { fixState: 'unfixed' }],
  ['vim package in jammy is affected. An update containing the fix has been completed and is pending publication.', undefined, { fixState: 'unfixed' }],
  ['vim package in jammy, while related to the CVE in some way, is not affected.', undefined, { skip: 'not-affected' }],
  ['Long Term Support', undefined, { skip: 'unrecognised-status-comment' }],
  ['nano package in jammy is in a brand new state nobody has seen.', undefined, { skip: 'unrecognised-status-comment' }],
] as const;
for (const [comment, lessThan, want] of criteria) {
  test(`readUbuntuCriterion(${JSON.stringify(comment)}, ${lessThan}) is ${JSON.stringify(want)}`, () => {
    assert.deepEqual(readUbuntuCriterion(comment, lessThan), want);
  });
}

test('fixPocket tells the public pockets from Pro and from comments that name none', () => {
  assert.deepEqual(
    ['Long Term Support', 'Interim Release', 'Available with Ubuntu Pro: https://ubuntu.com/pro', 'curl package in jammy is affected and needs fixing.'].map(
      (c) => fixPocket(c),
    ),
    ['public', 'public', 'ubuntu-pro', undefined],
  );
});

test('two passes give the same definitions and counts as one on the Ubuntu fixtures', async () => {
  for (const [name, release] of [
    ['ubuntu-jammy.usn.oval.xml', 'ubuntu:22.04'],
    ['ubuntu-focal.cve.oval.xml', 'ubuntu:20.04'],
  ] as const) {
    const once = await parseOval(fixture(name), { release });
    const streamed: unknown[] = [];
    const twice = await parseOval(() => fixture(name), { release, onDefinition: (d) => streamed.push(d) });

    assert.deepEqual(streamed, once.definitions, name);
    assert.deepEqual(twice.stats, once.stats, name);
  }
});
