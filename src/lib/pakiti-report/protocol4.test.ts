import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InvalidError } from '../../core/errors.js';
import { parseProtocol4, splitQuotedLine } from './protocol4.js';

// The wire body of pakiti2-client's openssl method, decoded as any urlencoded form parser does.
const form = (name: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(readFileSync(new URL(`../../../test/fixtures/reports/${name}`, import.meta.url), 'utf8')));

test('an rpm form (Scientific Linux 6) gives epoch:version-release and decodes %2b to +', () => {
  const r = parseProtocol4(form('protocol4-sl6.form'));

  assert.deepEqual(
    [r.host, r.system, r.kernel, r.arch, r.tag, r.packager, r.mode, r.source],
    [
      'wn17.grid.example.org',
      'Scientific Linux release 6.10 (Carbon)',
      '2.6.32-754.35.1.el6.x86_64',
      'x86_64',
      'Pakiti client',
      'rpm',
      'store-only',
      'protocol4',
    ],
  );
  assert.equal(r.packages.length, 10);
  assert.deepEqual(
    r.packages.find((p) => p.name === 'gcc-c++'),
    { name: 'gcc-c++', version: '0:4.4.7-23.el6', arch: 'x86_64' },
  );
  assert.deepEqual(
    r.packages.find((p) => p.name === 'libstdc++'),
    { name: 'libstdc++', version: '0:4.4.7-23.el6', arch: 'x86_64' },
  );
  assert.deepEqual(r.warnings, []);
});

test('a dpkg form (Debian 8) keeps the full Debian version and maps report=1 to store-and-report', () => {
  const r = parseProtocol4(form('protocol4-debian8.form'));

  assert.deepEqual(
    r.packages.find((p) => p.name === 'openssh-server'),
    { name: 'openssh-server', version: '1:6.7p1-5+deb8u8', arch: 'amd64' },
  );
  assert.deepEqual(
    r.packages.find((p) => p.name === 'libstdc++6'),
    { name: 'libstdc++6', version: '4.9.2-10+deb8u1', arch: 'amd64' },
  );
  assert.deepEqual([r.packager, r.mode, r.packages.length], ['dpkg', 'store-and-report', 7]);
});

test('a multipart form (curl -F) keeps %2b literal; it still becomes +', () => {
  const r = parseProtocol4({
    type: 'rpm',
    host: 'wn1.example.org',
    kernel: '2.6.32-754.35.1.el6.x86_64',
    version: '4',
    pkgs: "'gcc-c%2b%2b' '0:4.4.7' '23.el6' 'x86_64'\n",
  });

  assert.equal(r.packages[0]?.name, 'gcc-c++');
});

test('the one-letter Pakiti2 aliases work: a is the tag, m the arch, o the os', () => {
  const r = parseProtocol4({
    h: 'wn2.example.org',
    a: 'grid',
    m: 'i686',
    o: 'CentOS release 5.11 (Final)',
    k: '2.6.18-419.el5',
    t: 'rpm',
    v: '4',
    s: 'EXAMPLE-SITE',
    r: '2',
    p: "'bash' '0:3.2' '33.el5_11.4' 'i386'",
  });

  assert.deepEqual(
    [r.host, r.tag, r.arch, r.system, r.kernel, r.packager, r.site, r.mode],
    ['wn2.example.org', 'grid', 'i686', 'CentOS release 5.11 (Final)', '2.6.18-419.el5', 'rpm', 'EXAMPLE-SITE', 'report-only'],
  );
  assert.deepEqual(r.packages, [{ name: 'bash', version: '0:3.2-33.el5_11.4', arch: 'i386' }]);
});

test('a form without pkgs (no package tool) flags packagesMissing', () => {
  const r = parseProtocol4({ type: '', host: 'wn3.example.org', version: '4' });

  assert.equal(r.packagesMissing, true);
});

test('CRLF pkgs lines parse', () => {
  const r = parseProtocol4({ host: 'h', type: 'rpm', pkgs: "'bash' '0:4.1.2' '48.el6' 'x86_64'\r\n'sudo' '0:1.8.6p3' '29.el6_10.4' 'x86_64'\r\n" });

  assert.deepEqual(
    r.packages.map((p) => p.version),
    ['0:4.1.2-48.el6', '0:1.8.6p3-29.el6_10.4'],
  );
});

test('a form with another version is refused', () => {
  assert.throws(() => parseProtocol4({ host: 'h', version: '3', pkgs: '' }), InvalidError);
});

test('a form without host is refused', () => {
  assert.throws(() => parseProtocol4({ version: '4', pkgs: "'bash' '0:4.1.2' '48.el6' 'x86_64'" }), /no host/);
});

test('an unknown report mode is refused', () => {
  assert.throws(() => parseProtocol4({ host: 'h', report: '7' }), /unknown report mode/);
});

test('an unquoted pkgs line is skipped with a warning naming it', () => {
  const r = parseProtocol4({ host: 'h', type: 'rpm', pkgs: "'bash' '0:4.1.2' '48.el6' 'x86_64'\nbash 4.1.2 x86_64\n" });

  assert.deepEqual(r.warnings, ["pkgs line 2: not a 'name' 'version' 'release' 'arch' line, skipped"]);
});

const quoted = [
  ["'bash' '0:4.2.46' '35.el7_9' 'x86_64'", ['bash', '0:4.2.46', '35.el7_9', 'x86_64']],
  ["'libc6' '2.36-9+deb12u4' '' 'amd64'", ['libc6', '2.36-9+deb12u4', '', 'amd64']],
  ["'we' 'ird' 'x' 'y' 'z'", ["we' 'ird", 'x', 'y', 'z']],
  ["'a' 'b' 'c'", undefined],
  ['bash 1 2 3', undefined],
] as const;
for (const [line, want] of quoted) {
  test(`splitQuotedLine(${JSON.stringify(line)}) splits as the greedy Pakiti regex does`, () => {
    assert.deepEqual(splitQuotedLine(line), want);
  });
}
