import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifyOs } from './identify.js';

const KNOWN = [
  ['CentOS Linux release 7.9.2009 (Core)', 'rpm', 'centos:7', 'rhel:7'],
  ['CentOS release 6.10 (Final)', 'rpm', 'centos:6', 'rhel:6'],
  ['CentOS Stream release 9', 'rpm', 'centos-stream:9', 'rhel:9'],
  ['AlmaLinux release 9.4 (Seafoam Ocelot)', 'rpm', 'almalinux:9', 'rhel:9'],
  ['Rocky Linux release 9.3 (Blue Onyx)', 'rpm', 'rocky:9', 'rhel:9'],
  ['Rocky Linux 8.10', 'rpm', 'rocky:8', 'rhel:8'],
  ['Scientific Linux release 6.10 (Carbon)', 'rpm', 'scientific:6', 'rhel:6'],
  ['Scientific Linux CERN SLC release 6.10 (Carbon)', 'rpm', 'scientific:6', 'rhel:6'],
  ['Red Hat Enterprise Linux release 9.4 (Plow)', 'rpm', 'rhel:9', undefined],
  ['Red Hat Enterprise Linux Server release 7.9 (Maipo)', 'rpm', 'rhel:7', undefined],
  ['Oracle Linux Server release 8.9', 'rpm', 'oracle:8', 'rhel:8'],
  ['Debian GNU/Linux 12', 'dpkg', 'debian:12', undefined],
  ['Debian GNU/Linux 11 (bullseye)', 'dpkg', 'debian:11', undefined],
  ['Ubuntu 22.04.4 LTS', 'dpkg', 'ubuntu:22.04', undefined],
  ['Ubuntu 22.04', 'dpkg', 'ubuntu:22.04', undefined],
  ['Ubuntu 24.04 LTS (Noble Numbat)', 'dpkg', 'ubuntu:24.04', undefined],
] as const;

for (const [system, packager, key, rebuildOf] of KNOWN) {
  test(`'${system}' is ${key}`, () => {
    const os = identifyOs(system, packager);

    assert.equal(os.known, true);
    assert.equal(os.known && os.key, key);
    assert.equal(os.known && os.rebuildOf, rebuildOf);
  });
}

const UNKNOWN = [
  ['Gentoo Base System release 2.14', 'pkg'],
  ['FreeBSD 13.2-RELEASE', 'pkg'],
  ['Debian GNU/Linux', 'dpkg'],
  ['Fedora release 40 (Forty)', 'rpm'],
  ['Linux Mint 21.3', 'dpkg'],
  ['', 'rpm'],
] as const;

for (const [system, packager] of UNKNOWN) {
  test(`'${system}' stays unknown`, () => {
    assert.equal(identifyOs(system, packager).known, false);
  });
}

test('a Debian system reported with rpm as packager is unknown, not guessed', () => {
  const os = identifyOs('Debian GNU/Linux 12', 'rpm');

  assert.equal(os.known, false);
  assert.match(os.known ? '' : os.reason, /packager is 'rpm'/);
});

test('the scheme follows the family', () => {
  const os = identifyOs('AlmaLinux release 8.10 (Cerulean Leopard)', 'rpm');

  assert.equal(os.known && os.scheme, 'rpm');
});
