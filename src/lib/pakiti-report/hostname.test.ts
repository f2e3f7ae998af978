import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InvalidError } from '../../core/errors.js';
import { isHostname } from './hostname.js';
import { parseJsonReport } from './json-report.js';
import { parseProtocol4 } from './protocol4.js';
import { parseProtocol5 } from './protocol5.js';

const VALID = [
  'wn042.grid.example.org',
  'WN1.Example.ORG',
  'wn1',
  '1.2.3.4',
  'xn--bcher-kva.example',
  'a-b.c',
  `${'a'.repeat(63)}.example.org`,
  [...Array(4)].map(() => 'a'.repeat(62)).join('.'),
]; // 251 characters
const INVALID = [
  '',
  '-wn1.example.org',
  'wn1-.example.org',
  'wn_1.example.org',
  'wn 1',
  'wn1.example.org.',
  'wn1..example.org',
  '.wn1',
  `${'a'.repeat(64)}.example.org`,
  [...Array(4)].map(() => 'a'.repeat(63)).join('.') /* 255 */,
  'bücher.example',
  '=cmd|x',
  '<script>',
  'wn1/../x',
];

for (const name of VALID)
  test(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} is a host name`, () => assert.equal(isHostname(name), true));
for (const name of INVALID)
  test(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} is not a host name`, () => assert.equal(isHostname(name), false));

test('every accepted host name is at most 253 characters of letters, digits, dots and hyphens', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', ' '), maxLength: 300 }), (name) => {
      if (isHostname(name)) assert.match(name, /^[a-z0-9][a-z0-9.-]{0,252}$/i);
    }),
  );
});

const p5 = (host: string) => `#\nhost: ${host}\nkernel: 6.1.0-18-amd64\npackager: dpkg\n#\nlibssl3\t3.0.11-1~deb12u2\tamd64\n#\n`;
const json = (host: string) => ({
  schema: 'vigil.report/1',
  host,
  site: 'EXAMPLE-SITE',
  system: 'Debian GNU/Linux 12',
  kernel: '6.1.0-18-amd64',
  arch: 'x86_64',
  packager: 'dpkg',
  agent: { name: 'vigil-agent', version: '1.0.0' },
  packages: [{ name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' }],
});
const p4 = (host: string) => ({ type: 'rpm', host, os: 'CentOS Linux release 7.9.2009 (Core)', version: '4', pkgs: "'bash' '0:4.2.46' '35.el7_9' 'x86_64'" });

const rejected = (field: string) => (err: unknown) =>
  err instanceof InvalidError && err.message.startsWith(`${field} "=cmd|'/C.calc'!A0" is not a valid host name`);

test('a protocol-5 report whose host header is no host name is refused, naming the header', () => {
  assert.throws(() => parseProtocol5(p5("=cmd|'/C.calc'!A0")), rejected('host header'));
});

test('a protocol-4 form whose host field is no host name is refused, naming the field', () => {
  assert.throws(() => parseProtocol4(p4("=cmd|'/C.calc'!A0")), rejected('host field'));
});

test('a JSON report whose host is no host name is refused, naming the member', () => {
  assert.throws(() => parseJsonReport(json("=cmd|'/C.calc'!A0")), rejected('JSON report /host'));
});

test('reports from valid host names still parse, in any letter case', () => {
  assert.equal(parseProtocol5(p5('WN1.Example.org')).host, 'WN1.Example.org');
  assert.equal(parseProtocol4(p4('wn7.example.org')).host, 'wn7.example.org');
  assert.equal(parseJsonReport(json('ui01.example.org')).host, 'ui01.example.org');
});
