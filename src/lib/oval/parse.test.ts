import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { test } from 'node:test';
import { compileFeed } from '../evaluate/compile.js';
import { createEvaluator } from '../evaluate/engine.js';
import { POLICIES } from '../vuln-model/policies.js';
import { parseOval } from './parse.js';

const fixture = (name: string) => createReadStream(new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url), { highWaterMark: 512 });

test('a Red Hat OVAL v2 advisory becomes one definition per RHSA with its packages and CVEs', async () => {
  const feed = await parseOval(fixture('rhel-9.oval.xml'), { release: 'rhel:9' });
  const d = feed.definitions[0];

  assert.equal(feed.definitions.length, 2);
  assert.deepEqual(
    { id: d?.id, vendor: d?.vendor, advisoryId: d?.advisoryId, cves: d?.cves, severity: d?.severity, vendorSeverity: d?.vendorSeverity },
    {
      id: 'oval:com.redhat.rhsa:def:20243061',
      vendor: 'redhat',
      advisoryId: 'RHSA-2024:3061',
      cves: ['CVE-2023-3446', 'CVE-2023-3817'],
      severity: 'medium',
      vendorSeverity: 'Moderate',
    },
  );
  assert.deepEqual(d?.affected[1], {
    release: 'rhel:9',
    package: 'openssl-libs',
    nameKind: 'binary',
    scheme: 'rpm',
    fixState: 'fixed',
    fixed: '1:3.0.7-27.el9',
    arches: ['aarch64', 'i686', 'ppc64le', 's390x', 'x86_64'],
    signatureKeyIds: ['199e2f91fd431d51'],
  });
});

test('policy:rhel-installed-check-ignored: the "must be installed" branch is dropped and noted', async () => {
  const feed = await parseOval(fixture('rhel-9.oval.xml'), { release: 'rhel:9' });

  assert.deepEqual(feed.definitions[0]?.notes, [POLICIES.rhelInstalledIgnored]);
});

test('the criteria tree is kept as written, OR over AND, with comments', async () => {
  const feed = await parseOval(fixture('rhel-9.oval.xml'), { release: 'rhel:9' });
  const root = feed.definitions[1]?.criteria;

  assert.equal(root?.kind, 'or');
  assert.deepEqual(root?.kind === 'or' ? root.children.map((c) => c.kind) : [], ['test', 'and']);
  assert.equal(root?.kind === 'or' && root.children[0]?.kind === 'test' ? root.children[0].comment : '', 'Red Hat Enterprise Linux must be installed');
});

test('policy:module-stream: the enabled-module criterion guards the package range', async () => {
  const feed = await parseOval(fixture('rhel-8-module.oval.xml'), { release: 'rhel:8' });

  assert.equal(feed.definitions[0]?.affected[0]?.module, 'postgresql:13');
  assert.equal(feed.definitions[0]?.severity, 'high');
});

test('an AlmaLinux ALSA keeps the Alma signing key and advisory id', async () => {
  const feed = await parseOval(fixture('almalinux-9.oval.xml'), { release: 'almalinux:9' });
  const d = feed.definitions[0];

  assert.deepEqual([d?.vendor, d?.advisoryId, d?.affected[0]?.signatureKeyIds], ['almalinux', 'ALSA-2024:3061', ['d36cb86cb86b3716']]);
});

test('Debian OVAL names source packages; "less than 0:0" is skipped as never true', async () => {
  const feed = await parseOval(fixture('debian-12.oval.xml'), { release: 'debian:12' });

  assert.deepEqual(
    feed.definitions.map((d) => [d.cves, d.affected[0]?.package, d.affected[0]?.nameKind, d.affected[0]?.fixed]),
    [[['CVE-2024-0727'], 'openssl', 'source', '0:3.0.13-1~deb12u1']],
  );
  assert.equal(feed.stats.skipped[POLICIES.neverTrueRange], 1);
});

test('Ubuntu OVAL: binaries from the constant variable, status from the comment', async () => {
  const feed = await parseOval(fixture('ubuntu-jammy.cve.oval.xml'), { release: 'ubuntu:22.04' });
  const [curl, tmux] = feed.definitions;

  assert.equal(curl?.affected.length, 7);
  assert.deepEqual([curl?.affected[3]?.package, curl?.affected[3]?.fixed, curl?.severity], ['libcurl4', '0:7.81.0-1ubuntu1.16', 'medium']);
  assert.deepEqual(
    tmux?.affected.map((a) => [a.package, a.fixState, a.fixed]),
    [
      ['tmux', 'unfixed', undefined],
      ['vim', 'wont-fix', undefined],
      ['vim-common', 'wont-fix', undefined],
      ['vim-runtime', 'wont-fix', undefined],
      ['xxd', 'wont-fix', undefined],
    ],
  );
});

test('an Ubuntu comment in an unknown wording is counted as unrecognised, for the drift alarm', async () => {
  const feed = await parseOval(fixture('ubuntu-jammy.cve.oval.xml'), { release: 'ubuntu:22.04' });

  assert.deepEqual(feed.stats.skipped, { 'inventory-definition': 1, 'unrecognised-status-comment': 1 });
});

test('a CentOS 7 style host and an Alma host are evaluated end to end from parsed OVAL', async () => {
  const rhel = await parseOval(fixture('rhel-9.oval.xml'), { release: 'rhel:9' });
  const alma = await parseOval(fixture('almalinux-9.oval.xml'), { release: 'almalinux:9' });
  const ev = createEvaluator(compileFeed([...rhel.definitions, ...alma.definitions]));
  const packages = [
    { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' },
    { name: 'kernel-core', version: '0:5.14.0-427.13.1.el9_4', arch: 'x86_64' },
  ];

  const onAlma = ev.evaluate({ os: 'almalinux:9', packages, runningKernel: '5.14.0-427.13.1.el9_4.x86_64' });
  const onRocky = ev.evaluate({ os: 'rocky:9', packages, runningKernel: '5.14.0-427.13.1.el9_4.x86_64' });

  assert.deepEqual(
    onAlma.findings.map((f) => f.advisoryId),
    ['ALSA-2024:3061'],
  );
  assert.deepEqual(
    onRocky.findings.map((f) => [f.advisoryId, f.notes.includes(POLICIES.rhelDataOnRebuild)]),
    [
      ['RHSA-2024:3061', true],
      ['RHSA-2024:3138', true],
    ],
  );
});

test('two passes over a re-openable source give the same definitions and counts as one pass, streamed one by one', async () => {
  for (const [name, release] of [
    ['rhel-9.oval.xml', 'rhel:9'],
    ['rhel-8-module.oval.xml', 'rhel:8'],
    ['almalinux-9.oval.xml', 'almalinux:9'],
    ['debian-12.oval.xml', 'debian:12'],
    ['ubuntu-jammy.cve.oval.xml', 'ubuntu:22.04'],
  ] as const) {
    const once = await parseOval(fixture(name), { release });
    const streamed: unknown[] = [];
    let opened = 0;
    const twice = await parseOval(() => (opened++, fixture(name)), { release, onDefinition: (d) => streamed.push(d) });

    assert.equal(opened, 2, name);
    assert.deepEqual(twice.definitions, [], name);
    assert.deepEqual(streamed, once.definitions, name);
    assert.deepEqual(twice.stats, once.stats, name);
  }
});

test('the second pass stops reading at the end of the definitions', async () => {
  const head = '<?xml version="1.0"?><oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions></definitions><tests>';
  const pulled: number[] = [];
  function* doc(pass: number) {
    pulled[pass] = 0;
    yield head;
    for (let i = 0; i < 200; i++) {
      pulled[pass]++;
      yield `<x id="oval:t:tst:${i}">${'<y/>'.repeat(1000)}</x>`;
    }
    yield '</tests></oval_definitions>';
  }
  let pass = 0;

  await parseOval(() => doc(pass++), { release: 'rhel:9', onDefinition: () => {} });

  assert.deepEqual([pulled[0], (pulled[1] ?? 0) < 10], [200, true]);
});
