import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICIES } from '../vuln-model/policies.js';
import type { AffectedRange, Definition } from '../vuln-model/types.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';
import type { EvaluatorOptions, HostInput } from './types.js';

function def(id: string, ranges: Array<Partial<AffectedRange> & { package: string }>, extra: Partial<Definition> = {}): Definition {
  return {
    id,
    format: 'oval',
    vendor: 'redhat',
    cves: ['CVE-2024-0001'],
    severity: 'high',
    notes: [],
    affected: ranges.map((r) => ({ release: 'rhel:9', nameKind: 'binary', scheme: 'rpm', fixState: r.fixed ? 'fixed' : 'unfixed', ...r })),
    ...extra,
  };
}

function evaluate(defs: Definition[], host: HostInput, options: EvaluatorOptions = {}) {
  return createEvaluator(compileFeed(defs), options).evaluate(host);
}

const OPENSSL = def('oval:com.redhat.rhsa:def:20243061', [{ package: 'openssl-libs', fixed: '1:3.0.7-27.el9' }], { advisoryId: 'RHSA-2024:3061' });

test('a package below the fixed version is a finding with the fix', () => {
  const r = evaluate([OPENSSL], { os: 'rhel:9', packages: [{ name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' }] });

  assert.equal(r.findings.length, 1);
  assert.deepEqual(
    { ...r.findings[0], notes: undefined },
    {
      package: 'openssl-libs',
      installedVersion: '1:3.0.7-24.el9',
      arch: 'x86_64',
      fixedVersion: '1:3.0.7-27.el9',
      fixAvailable: true,
      fixState: 'fixed',
      cves: ['CVE-2024-0001'],
      severity: 'high',
      definitionId: 'oval:com.redhat.rhsa:def:20243061',
      advisoryId: 'RHSA-2024:3061',
      vendor: 'redhat',
      feedRelease: 'rhel:9',
      notes: undefined,
    },
  );
});

test('a package at the fixed version is not a finding', () => {
  const r = evaluate([OPENSSL], { os: 'rhel:9', packages: [{ name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('the epoch decides even when the version looks newer', () => {
  const r = evaluate([OPENSSL], { os: 'rhel:9', packages: [{ name: 'openssl-libs', version: '0:3.2.0-1.el9', arch: 'x86_64' }] });

  assert.equal(r.findings.length, 1);
});

test('a host whose OS no feed covers gets no findings and a note saying so', () => {
  const r = evaluate([OPENSSL], { os: 'debian:12', packages: [{ name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' }] });

  assert.equal(r.feedRelease, undefined);
  assert.match(r.notes[0] ?? '', /no loaded feed covers debian:12/);
});

test('each installed arch of a multi-arch package is judged on its own version', () => {
  const r = evaluate([OPENSSL], {
    os: 'rhel:9',
    packages: [
      { name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64' },
      { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'i686' },
    ],
  });

  assert.deepEqual(
    r.findings.map((f) => f.arch),
    ['i686'],
  );
});

test('a range restricted to some arches does not match others', () => {
  const d = def('d', [{ package: 'microcode_ctl', fixed: '4:20230808-2.el9', arches: ['x86_64'] }]);

  const r = evaluate([d], { os: 'rhel:9', packages: [{ name: 'microcode_ctl', version: '4:20230214-1.el9', arch: 'aarch64' }] });

  assert.deepEqual(r.findings, []);
});

test('policy:signature-assumed-vendor: signing-key criteria are assumed met and noted', () => {
  const d = def('d', [{ package: 'bash', fixed: '0:5.1.8-9.el9', signatureKeyIds: ['199e2f91fd431d51'] }]);

  const r = evaluate([d], { os: 'rhel:9', packages: [{ name: 'bash', version: '0:5.1.8-6.el9', arch: 'x86_64' }] });

  assert.deepEqual(r.findings[0]?.notes, [POLICIES.signatureAssumed]);
});

const PG13 = def('oval:com.redhat.rhsa:def:20240974', [
  { package: 'postgresql', fixed: '0:13.13-1.module+el8.9.0+20843+c2d4c8b5', module: 'postgresql:13', release: 'rhel:8' },
]);

test('policy:module-stream-inferred: a modular fix applies to a package of the same stream', () => {
  const r = evaluate([PG13], { os: 'rhel:8', packages: [{ name: 'postgresql', version: '0:13.11-1.module+el8.8.0+18897+3e09d6a1', arch: 'x86_64' }] });

  assert.deepEqual(r.findings[0]?.notes, [POLICIES.moduleStreamInferred]);
});

test('a modular fix does not apply to another stream', () => {
  const r = evaluate([PG13], { os: 'rhel:8', packages: [{ name: 'postgresql', version: '0:12.17-1.module+el8.9.0+20742+51a36d0b', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('a modular fix does not apply to a non-modular package', () => {
  const r = evaluate([PG13], { os: 'rhel:8', packages: [{ name: 'postgresql', version: '0:10.23-2.el8', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('a non-modular fix does not apply to a modular package', () => {
  const d = def('d', [{ package: 'postgresql', fixed: '0:10.23-4.el8', release: 'rhel:8' }]);

  const r = evaluate([d], { os: 'rhel:8', packages: [{ name: 'postgresql', version: '0:13.11-1.module+el8.8.0+18897+3e09d6a1', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('policy:module-stream-unverified: a non-numeric stream matches any modular build, noted', () => {
  const d = def('d', [{ package: 'podman', fixed: '4:4.9.4-1.module+el8.10.0+21974+acd2159c', module: 'container-tools:rhel8', release: 'rhel:8' }]);

  const r = evaluate([d], { os: 'rhel:8', packages: [{ name: 'podman', version: '4:4.4.1-16.module+el8.8.0+19993+47c8ef84', arch: 'x86_64' }] });

  assert.deepEqual(r.findings[0]?.notes, [POLICIES.moduleStreamUnverified]);
});

const BASH7 = def('oval:com.redhat.rhsa:def:20201', [{ package: 'bash', fixed: '0:4.2.46-35.el7.2', release: 'rhel:7' }]);

test('policy:el-suffix-rewrite: on a rebuild, .el7_9 and .el7 compare by the rewritten release, noted', () => {
  const r = evaluate([BASH7], { os: 'centos:7', packages: [{ name: 'bash', version: '0:4.2.46-35.el7_9.1', arch: 'x86_64' }] });

  assert.equal(r.feedRelease, 'rhel:7');
  assert.deepEqual(r.findings[0]?.notes, [POLICIES.elSuffixRewrite, POLICIES.rhelDataOnRebuild]);
});

test('the el-suffix rewrite is not applied on RHEL itself', () => {
  const r = evaluate([BASH7], { os: 'rhel:7', packages: [{ name: 'bash', version: '0:4.2.46-35.el7_9.1', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('a .centos release equal to the fix after the rewrite is not a finding', () => {
  const d = def('d', [{ package: 'kernel-tools', fixed: '0:3.10.0-1160.el7_9', release: 'rhel:7' }]);

  const r = evaluate([d], { os: 'centos:7', packages: [{ name: 'kernel-tools', version: '0:3.10.0-1160.el7.centos', arch: 'x86_64' }] });

  assert.deepEqual(r.findings, []);
});

test('policy:rhel-data-on-rebuild: an Alma host uses Alma data when it is loaded, Red Hat data otherwise', () => {
  const alma = def('alsa', [{ package: 'bash', fixed: '0:5.1.8-9.el9', release: 'almalinux:9' }], { vendor: 'almalinux' });
  const host = { os: 'almalinux:9', packages: [{ name: 'bash', version: '0:5.1.8-6.el9', arch: 'x86_64' }] };

  const own = evaluate([alma, def('rh', [{ package: 'bash', fixed: '0:5.1.8-9.el9' }])], host);
  const borrowed = evaluate([def('rh', [{ package: 'bash', fixed: '0:5.1.8-9.el9' }])], host);

  assert.deepEqual([own.feedRelease, own.findings[0]?.notes], ['almalinux:9', []]);
  assert.deepEqual([borrowed.feedRelease, borrowed.findings[0]?.notes], ['rhel:9', [POLICIES.rhelDataOnRebuild]]);
});

const DSA = def('oval:org.debian:def:202400001', [{ package: 'openssl', fixed: '3.0.13-1~deb12u1', release: 'debian:12', scheme: 'deb', nameKind: 'source' }], {
  vendor: 'debian',
  advisoryId: 'DSA-5678-1',
});

test('policy:source-to-binary: a Debian source-package fix applies to its binaries', () => {
  const sourceOf = (_: string, binary: string) => ({ libssl3: 'openssl', openssl: 'openssl' })[binary];

  const r = evaluate([DSA], { os: 'debian:12', packages: [{ name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' }] }, { sourceOf });

  assert.deepEqual(
    r.findings.map((f) => [f.package, f.notes]),
    [['libssl3', [POLICIES.sourceToBinary]]],
  );
});

test('policy:source-name-fallback: without a mapping the binary name is taken as the source name, noted', () => {
  const r = evaluate([DSA], { os: 'debian:12', packages: [{ name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64' }] });

  assert.deepEqual(r.findings[0]?.notes, [POLICIES.sourceToBinary, POLICIES.sourceNameFallback]);
});

test('policy:unfixed: an affected package with no fix is a finding without a fixed version', () => {
  const d = def('d', [{ package: 'libtiff', fixState: 'unfixed' }]);

  const f = evaluate([d], { os: 'rhel:9', packages: [{ name: 'libtiff', version: '0:4.4.0-12.el9', arch: 'x86_64' }] }).findings[0];

  assert.deepEqual([f?.fixedVersion, f?.fixAvailable, f?.notes], [null, false, [POLICIES.unfixed]]);
});

test('policy:wont-fix: a will-not-fix CVE is a finding marked as such', () => {
  const d = def('d', [{ package: 'vim-minimal', fixState: 'wont-fix' }]);

  const f = evaluate([d], { os: 'rhel:9', packages: [{ name: 'vim-minimal', version: '2:8.2.2637-20.el9_1', arch: 'x86_64' }] }).findings[0];

  assert.deepEqual([f?.fixState, f?.fixAvailable, f?.notes], ['wont-fix', false, [POLICIES.wontFix]]);
});
