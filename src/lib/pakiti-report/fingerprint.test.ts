import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { reportFingerprint } from './fingerprint.js';
import { parseProtocol5 } from './protocol5.js';
import type { HostReport } from './types.js';

const rocky = parseProtocol5(readFileSync(new URL('../../../test/fixtures/reports/rocky9-wn.txt', import.meta.url)));
const withPackages = (r: HostReport, packages: HostReport['packages']): HostReport => ({ ...r, packages, packagesMissing: packages.length === 0 });

test('hashes are 64 hex digits', () => {
  const f = reportFingerprint(rocky);

  assert.match(f.packages ?? '', /^[0-9a-f]{64}$/);
  assert.match(f.identity, /^[0-9a-f]{64}$/);
});

test('package order does not change the package hash', () => {
  const shuffled = withPackages(rocky, [...rocky.packages].reverse());

  assert.equal(reportFingerprint(shuffled).packages, reportFingerprint(rocky).packages);
});

test('another host with the same image shares the package hash but not the identity hash', () => {
  const other = { ...rocky, host: 'wn043.grid.example.org' };

  assert.equal(reportFingerprint(other).packages, reportFingerprint(rocky).packages);
  assert.notEqual(reportFingerprint(other).identity, reportFingerprint(rocky).identity);
});

test('one changed version changes the package hash', () => {
  const updated = withPackages(rocky, rocky.packages.map((p) => (p.name === 'sudo' ? { ...p, version: '0:1.9.5p2-10.el9_3' } : p)));

  assert.notEqual(reportFingerprint(updated).packages, reportFingerprint(rocky).packages);
});

test('a new running kernel changes the identity hash', () => {
  assert.notEqual(reportFingerprint({ ...rocky, kernel: '5.14.0-362.13.1.el9_3.x86_64' }).identity, reportFingerprint(rocky).identity);
});

test('a report without packages has no package hash, so it never matches an empty set', () => {
  assert.equal(reportFingerprint(withPackages(rocky, [])).packages, null);
});

test('field boundaries count: moving a character between name and version changes the hash', () => {
  const a = withPackages(rocky, [{ name: 'ab', version: '1', arch: 'x' }]);
  const b = withPackages(rocky, [{ name: 'a', version: 'b1', arch: 'x' }]);

  assert.notEqual(reportFingerprint(a).packages, reportFingerprint(b).packages);
});
