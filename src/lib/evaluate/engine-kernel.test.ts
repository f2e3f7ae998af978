import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICIES } from '../vuln-model/policies.js';
import type { Definition } from '../vuln-model/types.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';

const KERNEL: Definition = {
  id: 'oval:com.redhat.rhsa:def:20243138',
  format: 'oval',
  vendor: 'redhat',
  advisoryId: 'RHSA-2024:3138',
  cves: ['CVE-2023-52434'],
  severity: 'high',
  notes: [],
  affected: ['kernel', 'kernel-core'].map((name) => ({
    release: 'rhel:9',
    package: name,
    nameKind: 'binary',
    scheme: 'rpm',
    fixed: '0:5.14.0-427.18.1.el9_4',
    fixState: 'fixed',
  })),
};
const OLD = '0:5.14.0-362.8.1.el9_3';
const NEW = '0:5.14.0-427.13.1.el9_4';
const packages = [
  { name: 'kernel-core', version: OLD, arch: 'x86_64' },
  { name: 'kernel-core', version: NEW, arch: 'x86_64' },
  { name: 'kernel-headers', version: NEW, arch: 'x86_64' },
];

test('policy:running-kernel-only: only the running kernel of several installed is judged', () => {
  const r = createEvaluator(compileFeed([KERNEL])).evaluate({ os: 'rhel:9', packages, runningKernel: '5.14.0-427.13.1.el9_4.x86_64' });

  assert.deepEqual(
    r.findings.map((f) => [f.installedVersion, f.notes]),
    [[NEW, [POLICIES.runningKernelOnly]]],
  );
  assert.deepEqual(r.notes, [POLICIES.runningKernelOnly]);
});

test('hosts sharing a package list but running different kernels get their own kernel findings', () => {
  const ev = createEvaluator(compileFeed([KERNEL]));

  const a = ev.evaluate({ os: 'rhel:9', packages, runningKernel: '5.14.0-427.13.1.el9_4.x86_64' });
  const b = ev.evaluate({ os: 'rhel:9', packages, runningKernel: '5.14.0-362.8.1.el9_3.x86_64' });

  assert.equal(b.reused, true);
  assert.deepEqual([a.findings[0]?.installedVersion, b.findings[0]?.installedVersion], [NEW, OLD]);
});

test('policy:kernel-running-unknown: without uname -r every installed kernel is judged, noted', () => {
  const r = createEvaluator(compileFeed([KERNEL])).evaluate({ os: 'rhel:9', packages });

  assert.equal(r.findings.length, 2);
  assert.ok(r.findings.every((f) => f.notes.includes(POLICIES.kernelRunningUnknown)));
});

test('a running kernel that is already fixed leaves no kernel finding', () => {
  const fixed = [...packages, { name: 'kernel-core', version: '0:5.14.0-427.18.1.el9_4', arch: 'x86_64' }];

  const r = createEvaluator(compileFeed([KERNEL])).evaluate({ os: 'rhel:9', packages: fixed, runningKernel: '5.14.0-427.18.1.el9_4.x86_64' });

  assert.deepEqual(r.findings, []);
});

test('Debian kernels are told apart by the release in the package name', () => {
  const deb: Definition = {
    ...KERNEL,
    id: 'oval:org.debian:def:1',
    vendor: 'debian',
    affected: [{ release: 'debian:12', package: 'linux', nameKind: 'source', scheme: 'deb', fixed: '6.1.85-1', fixState: 'fixed' }],
  };
  const sourceOf = (_: string, b: string) => (b.startsWith('linux-image-') ? 'linux' : undefined);
  const pkgs = [
    { name: 'linux-image-6.1.0-17-amd64', version: '6.1.69-1', arch: 'amd64' },
    { name: 'linux-image-6.1.0-18-amd64', version: '6.1.76-1', arch: 'amd64' },
  ];

  const r = createEvaluator(compileFeed([deb]), { sourceOf }).evaluate({ os: 'debian:12', packages: pkgs, runningKernel: '6.1.0-18-amd64' });

  assert.deepEqual(
    r.findings.map((f) => f.package),
    ['linux-image-6.1.0-18-amd64'],
  );
});

test('policy:kernel-livepatch-incomparable: a ksplice kernel is not compared, noted on the host', () => {
  const ksplice = [{ name: 'kernel-core', version: '0:5.14.0-362.8.1.el9_3.ksplice1', arch: 'x86_64' }];

  const r = createEvaluator(compileFeed([KERNEL])).evaluate({ os: 'rhel:9', packages: ksplice, runningKernel: '5.14.0-362.8.1.el9_3.ksplice1.x86_64' });

  assert.deepEqual(r.findings, []);
  assert.match(r.notes[0] ?? '', /^policy:kernel-livepatch-incomparable: kernel-core-/);
});

test('a kernel package no definition names still counts among the installed kernels, on every host', () => {
  const ev = createEvaluator(compileFeed([KERNEL]));
  const host = {
    os: 'rhel:9',
    runningKernel: '5.14.0-427.13.1.el9_4.x86_64',
    packages: [...packages, { name: 'kernel-modules-extra', version: '0:5.14.0-362.8.1.el9_3.ksplice1', arch: 'x86_64' }],
  };

  const first = ev.evaluate(host);
  const second = ev.evaluate({ ...host, packages: [...host.packages].reverse() });

  for (const r of [first, second]) assert.match(r.notes.join('\n'), /^policy:kernel-livepatch-incomparable: kernel-modules-extra-/m);
  assert.deepEqual(second.findings, first.findings);
});
