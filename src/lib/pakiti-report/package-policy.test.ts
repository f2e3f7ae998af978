import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { applyPackagePolicy, IGNORED_PACKAGE_NOTE, runningKernelPackages } from './package-policy.js';
import { parseProtocol5 } from './protocol5.js';

const load = (name: string) => parseProtocol5(readFileSync(new URL(`../../../test/fixtures/reports/${name}`, import.meta.url)));
const names = (pkgs: ReadonlyArray<{ name: string; version: string }>, prefix: string) => pkgs.filter((p) => p.name.startsWith(prefix)).map((p) => `${p.name} ${p.version}`);

test('Rocky 9: only the running kernel build of kernel, kernel-core and kernel-modules counts', () => {
  const r = load('rocky9-wn.txt');

  const out = runningKernelPackages(r.packages, r.kernel);

  assert.deepEqual(names(out.packages, 'kernel'), [
    'kernel 0:5.14.0-362.8.1.el9_3', 'kernel-core 0:5.14.0-362.8.1.el9_3', 'kernel-headers 0:5.14.0-362.8.1.el9_3',
    'kernel-modules 0:5.14.0-362.8.1.el9_3', 'kernel-modules-core 0:5.14.0-362.8.1.el9_3', 'kernel-tools 0:5.14.0-362.8.1.el9_3',
  ]);
  assert.deepEqual(out.notes, ['policy:running-kernel-only']);
  assert.equal(out.dropped.length, 3);
});

test('CentOS 7: two older kernels are dropped', () => {
  const r = load('centos7-ui.txt');

  const out = runningKernelPackages(r.packages, r.kernel);

  assert.deepEqual(names(out.packages, 'kernel '), []);
  assert.deepEqual(out.packages.filter((p) => p.name === 'kernel').map((p) => p.version), ['0:3.10.0-1160.108.1.el7']);
});

test('Debian 12: linux-image-<uname -r> counts; the older ABI and the meta-package do not', () => {
  const r = load('debian12-ui.txt');

  const out = runningKernelPackages(r.packages, r.kernel);

  assert.deepEqual(names(out.packages, 'linux-image'), ['linux-image-6.1.0-18-amd64 6.1.76-1']);
});

test('Ubuntu 22.04 arm64: the running image and its modules count', () => {
  const r = load('ubuntu2204-arm64.txt');

  const out = runningKernelPackages(r.packages, r.kernel);

  assert.deepEqual(names(out.packages, 'linux-'), ['linux-image-5.15.0-97-generic 5.15.0-97.107', 'linux-modules-5.15.0-97-generic 5.15.0-97.107']);
});

test('with no kernel reported every kernel stays and the policy says so', () => {
  const r = load('rocky9-wn.txt');

  const out = runningKernelPackages(r.packages, undefined);

  assert.equal(out.packages.length, r.packages.length);
  assert.deepEqual(out.notes, ['policy:kernel-running-unknown']);
});

test('the Pakiti policy also drops kernel-headers, -devel and -doc packages', () => {
  const r = load('rocky9-wn.txt');

  const out = applyPackagePolicy(r.packages, r.kernel);

  assert.deepEqual(out.dropped.filter((d) => d.note === IGNORED_PACKAGE_NOTE).map((d) => d.package.name), ['glibc-devel', 'kernel-headers']);
  assert.deepEqual(out.notes, [IGNORED_PACKAGE_NOTE, 'policy:running-kernel-only']);
});

test('a running kernel-devel is a kernel build, exempt from the -devel pattern', () => {
  const pkgs = [{ name: 'kernel-devel', version: '0:5.14.0-362.8.1.el9_3', arch: 'x86_64' }];

  assert.equal(applyPackagePolicy(pkgs, '5.14.0-362.8.1.el9_3.x86_64').packages.length, 1);
});
