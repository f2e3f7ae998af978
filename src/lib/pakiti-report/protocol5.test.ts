import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { identifyOs } from '../os-release/index.js';
import { InvalidError } from '../../core/errors.js';
import { parseProtocol5, splitPackageLine } from './protocol5.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/reports/${name}`, import.meta.url), 'utf8');

test('§1.6 example A (Rocky 9, LWP path) gives its headers and four rpm packages', () => {
  const r = parseProtocol5(fixture('pakiti-example-a.txt'));

  assert.deepEqual(
    [r.host, r.site, r.tag, r.kernel, r.arch, r.cpu, r.packager, r.system],
    [
      'wn042.example.org',
      'EXAMPLE-SITE',
      undefined,
      '5.14.0-362.8.1.el9_3.x86_64',
      'x86_64',
      'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
      'rpm',
      'Rocky Linux release 9.3 (Blue Onyx)',
    ],
  );
  assert.deepEqual(r.packages, [
    { name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' },
    { name: 'kernel', version: '0:5.14.0-362.8.1.el9_3', arch: 'x86_64' },
    { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' },
    { name: 'tzdata', version: '0:2023c-1.el9', arch: 'noarch' },
  ]);
  assert.deepEqual([r.packagesMissing, r.warnings, r.source], [false, [], 'protocol5']);
});

test('§1.6 example B (Debian 12, curl path) keeps full dpkg versions, epochs and native versions alike', () => {
  const r = parseProtocol5(Buffer.from(fixture('pakiti-example-b.txt')));

  assert.deepEqual(
    r.packages.map((p) => p.version),
    ['12.4+deb12u5', '3.0.11-1~deb12u2', '6.1.76-1', '1:9.2p1-2+deb12u2'],
  );
  assert.deepEqual([r.tag, r.packager, r.system], ['grid', 'dpkg', 'Debian GNU/Linux 12']);
});

const realHosts = [
  ['rocky9-wn.txt', 43, 'rocky:9', { name: 'vim-minimal', version: '2:8.2.2637-20.el9_1', arch: 'x86_64' }],
  ['centos7-ui.txt', 33, 'centos:7', { name: 'openssl-libs', version: '1:1.0.2k-26.el7_9', arch: 'x86_64' }],
  ['debian12-ui.txt', 35, 'debian:12', { name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'amd64' }],
  ['ubuntu2204-arm64.txt', 29, 'ubuntu:22.04', { name: 'libssl3', version: '3.0.2-0ubuntu1.14', arch: 'arm64' }],
] as const;
for (const [file, count, os, sample] of realHosts) {
  test(`${file}: every package line parses and the system identifies as ${os}`, () => {
    const r = parseProtocol5(fixture(file));

    assert.equal(r.packages.length, count);
    assert.deepEqual(r.warnings, []);
    assert.ok(r.packages.some((p) => p.name === sample.name && p.version === sample.version && p.arch === sample.arch));
    const id = identifyOs(r.system ?? '', r.packager);
    assert.equal(id.known && id.key, os);
  });
}

test('multilib packages of one name and version stay apart by arch', () => {
  const r = parseProtocol5(fixture('rocky9-wn.txt'));

  assert.deepEqual(
    r.packages.filter((p) => p.name === 'glibc').map((p) => p.arch),
    ['i686', 'x86_64'],
  );
});

test('a client 3.0.2 report without a cpu header parses, cpu undefined', () => {
  const r = parseProtocol5(fixture('centos7-ui.txt'));

  assert.equal(r.cpu, undefined);
});

test('CRLF line ends give the same report as LF', () => {
  const lf = parseProtocol5(fixture('debian12-ui.txt'));

  const crlf = parseProtocol5(fixture('debian12-ui.txt').replaceAll('\n', '\r\n'));

  assert.deepEqual(crlf, lf);
});

test('a header-only body (package tool failed) flags packagesMissing and keeps the headers', () => {
  const r = parseProtocol5(fixture('header-only.txt'));

  assert.deepEqual([r.host, r.packager, r.kernel, r.packages, r.packagesMissing], ['wn013.grid.example.org', 'rpm', '4.18.0-513.11.1.el8_9.x86_64', [], true]);
  assert.match(r.warnings.join(), /no package section/);
});

test('an empty package section also flags packagesMissing', () => {
  const r = parseProtocol5('#\nhost: a.example.org\npackager: rpm\n#\n#\n');

  assert.equal(r.packagesMissing, true);
});

test('unknown header keys are ignored, values trimmed, the key split at the first colon', () => {
  const r = parseProtocol5('#\n  host :  wn1.example.org  \nts: 1700000000\nip: 10.0.0.1\nsystem: Weird: OS  9\n#\nbash\t0:5.1.8-6.el9_1\tx86_64\n#\n');

  assert.deepEqual([r.host, r.system], ['wn1.example.org', 'Weird: OS 9']);
  assert.deepEqual(r.warnings, []);
});

test('rpm versions are kept as sent (issue 10): no epoch stays without one, (none) is dropped', () => {
  const r = parseProtocol5('#\nhost: h\npackager: rpm\n#\nbash\t5.1.8-6.el9_1\tx86_64\nzlib\t(none):1.2.11-40.el9\tx86_64\nsudo\t0:1.9.5p2-9.el9\tx86_64\n#\n');

  assert.deepEqual(
    r.packages.map((p) => p.version),
    ['5.1.8-6.el9_1', '1.2.11-40.el9', '0:1.9.5p2-9.el9'],
  );
});

test('two spellings of one rpm version are one package, the first kept', () => {
  const r = parseProtocol5('#\nhost: h\npackager: rpm\n#\nbash\t5.1.8-6.el9_1\tx86_64\nbash\t0:5.1.8-6.el9_1\tx86_64\n#\n');

  assert.deepEqual(r.packages, [{ name: 'bash', version: '5.1.8-6.el9_1', arch: 'x86_64' }]);
});

test('fields separated by runs of spaces (GLPI style) parse', () => {
  const r = parseProtocol5('#\nhost: h\npackager: dpkg\n#\nlibssl3   3.0.11-1~deb12u2  amd64\n#\n');

  assert.deepEqual(r.packages, [{ name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' }]);
});

test('exact duplicate package lines are kept once, with a warning', () => {
  const r = parseProtocol5('#\nhost: h\npackager: dpkg\n#\nbash\t5.2.15-2+b2\tamd64\nbash\t5.2.15-2+b2\tamd64\n#\n');

  assert.equal(r.packages.length, 1);
  assert.match(r.warnings.join(), /1 duplicate/);
});

test('a line that is not a package line is skipped with a warning naming it', () => {
  const r = parseProtocol5('#\nhost: h\npackager: dpkg\n#\nbash\t5.2.15-2+b2\tamd64\ngarbage\n#\n');

  assert.equal(r.packages.length, 1);
  assert.deepEqual(r.warnings, ['line 6: not a package line, skipped']);
});

test('an empty body is an error', () => {
  assert.throws(() => parseProtocol5(''), InvalidError);
  assert.throws(() => parseProtocol5(Buffer.alloc(0)), /report is empty/);
  assert.throws(() => parseProtocol5('\n\r\n  \n'), /report is empty/);
});

test('a body not opening with # is an error naming line 1', () => {
  assert.throws(() => parseProtocol5('host: h\n#\n'), /line 1: expected '#'/);
});

test('a report without a host header is an error', () => {
  assert.throws(() => parseProtocol5('#\nkernel: 6.1.0-18-amd64\n#\nbash\t5.2.15-2+b2\tamd64\n#\n'), /no host header/);
});

// Pakiti's regexes: `(.*)[ \t](.*)-([^-]*)[ \t](.*)` then `(.*)[ \t](.*)[ \t](.*)` (CESNET/pakiti-server FeederModule).
const odd = [
  ['bash\t0:5.1.8-6.el9_1\tx86_64', ['bash', '0:5.1.8-6.el9_1', 'x86_64']],
  ['base-files\t12.4+deb12u5\tamd64', ['base-files', '12.4+deb12u5', 'amd64']],
  ['foo bar\t1.0-1\tx86_64', ['foo bar', '1.0-1', 'x86_64']],
  ['a b c-d e', ['a b', 'c-d', 'e']],
  ['name\tver\tarch\textra', ['name\tver', 'arch', 'extra']],
  ['pkg\t1.0-1\tx86-64', ['pkg', '1.0-1', 'x86-64']],
  ['back\\slash\t1.0\tall', ['backslash', '1.0', 'all']],
  ['two fields', undefined],
  ['single', undefined],
] as const;
for (const [line, want] of odd) {
  test(`splitPackageLine(${JSON.stringify(line)}) splits as the Pakiti regexes do`, () => {
    assert.deepEqual(splitPackageLine(line), want);
  });
}

test('a package line whose field holds a tab is skipped with a warning, never stored with shifted fields', () => {
  const r = parseProtocol5('#\nhost: wn1.example.org\npackager: dpkg\n#\nfoo\tbar 1.0-1 amd64\nbash\t5.2.15-2+b2\tamd64\n#\n');
  assert.deepEqual(r.packages, [{ name: 'bash', version: '5.2.15-2+b2', arch: 'amd64' }]);
  assert.ok(
    r.warnings.some((w) => /line 5: a tab or line break inside a field, skipped/.test(w)),
    r.warnings.join('; '),
  );
});
