import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICIES } from '../vuln-model/policies.js';
import { feedDriftAlarms } from './drift.js';
import { rewriteElSuffix } from './el-suffix.js';
import { isKernelPackage, isLivepatchedKernel, isRunningKernel } from './kernel.js';
import { moduleVerdict } from './module-stream.js';

const REWRITES = [
  ['0:1.2.3-45.el6_7.8', '0:1.2.3-45.el6.8'],
  ['0:1.2.3-45.el6.8', '0:1.2.3-45.el6.8'],
  ['0:1.2.3-45.el6.centos.7', '0:1.2.3-45.el6.7'],
  ['0:4.18.0-513.5.1.el8_9.rocky.0.1', '0:4.18.0-513.5.1.el8.0.1'],
  ['0:2.17-326.sl7', '0:2.17-326.el7'],
  ['0:1.0-1.fc39', '0:1.0-1.fc39'],
] as const;

for (const [from, to] of REWRITES) {
  test(`the el-suffix rewrite turns ${from} into ${to}`, () => {
    assert.equal(rewriteElSuffix(from), to);
  });
}

test('kernel packages are the installonly ones, not headers or tools', () => {
  const names = [
    'kernel',
    'kernel-core',
    'kernel-modules-extra',
    'kernel-rt-core',
    'kernel-uek',
    'kernel-headers',
    'kernel-tools',
    'linux-image-6.1.0-18-amd64',
    'linux-image-amd64',
    'linux-libc-dev',
  ];

  assert.deepEqual(names.filter(isKernelPackage), [
    'kernel',
    'kernel-core',
    'kernel-modules-extra',
    'kernel-rt-core',
    'kernel-uek',
    'linux-image-6.1.0-18-amd64',
  ]);
});

test('the running kernel matches version-release with the arch suffix, not a longer release', () => {
  const pkg = { name: 'kernel', version: '0:3.10.0-1160.el7' };

  assert.equal(isRunningKernel(pkg, '3.10.0-1160.el7.x86_64'), true);
  assert.equal(isRunningKernel(pkg, '3.10.0-1160.119.1.el7.x86_64'), false);
});

test('ksplice builds are recognised as live-patched', () => {
  assert.equal(isLivepatchedKernel('0:4.14.35-2047.510.5.5.el7uek.ksplice1'), true);
  assert.equal(isLivepatchedKernel('0:4.14.35-2047.510.5.5.el7uek'), false);
});

test('a module stream with dots must agree with the installed version', () => {
  assert.equal(moduleVerdict('python39:3.9', '0:3.9.18-1.module+el8.9.0+20024+793d7f0a'), POLICIES.moduleStreamInferred);
  assert.equal(moduleVerdict('python38:3.8', '0:3.9.18-1.module+el8.9.0+20024+793d7f0a'), false);
});

test('policy:format-drift-alarm: a feed that yields nothing after a full one raises an alarm', () => {
  const alarms = feedDriftAlarms({ definitions: 0, affected: 0, skipped: {} }, { definitions: 900, affected: 4000, skipped: {} });

  assert.deepEqual(alarms, ['policy:format-drift-alarm: no definitions read (previous load: 900)']);
});

test('a feed whose affected ranges halve raises an alarm', () => {
  assert.equal(feedDriftAlarms({ definitions: 900, affected: 1000, skipped: {} }, { definitions: 900, affected: 4000, skipped: {} }).length, 1);
});

test('a feed with more unrecognised comments than readings raises an alarm', () => {
  assert.equal(feedDriftAlarms({ definitions: 900, affected: 10, skipped: { 'unrecognised-status-comment': 3000 } }).length, 1);
});

test('a steady feed raises no alarm', () => {
  assert.deepEqual(feedDriftAlarms({ definitions: 910, affected: 4100, skipped: {} }, { definitions: 900, affected: 4000, skipped: {} }), []);
});
