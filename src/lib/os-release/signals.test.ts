import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifyHost, type OsSignals } from './signals.js';

const OL_REDHAT_RELEASE = 'Red Hat Enterprise Linux release 8.9 (Ootpa)';
const pkg = (name: string, version: string) => ({ name, version });

const KNOWN: Array<[string, OsSignals, string]> = [
  [
    'an Oracle Linux host seen by the Pakiti client (redhat-release says RHEL, oraclelinux-release in the list)',
    {
      system: OL_REDHAT_RELEASE,
      packager: 'rpm',
      packages: [pkg('bash', '0:4.4.20-4.el8_6'), pkg('oraclelinux-release', '8:8.9-1.0.8.el8'), pkg('redhat-release', '8:8.9-0.1.0.1.el8')],
    },
    'oracle:8',
  ],
  [
    "an Oracle Linux host seen by Vigil's agent (/etc/oracle-release)",
    { system: OL_REDHAT_RELEASE, packager: 'rpm', oracleRelease: 'Oracle Linux Server release 8.9' },
    'oracle:8',
  ],
  [
    'an Oracle Linux host seen by its os-release',
    { system: OL_REDHAT_RELEASE, packager: 'rpm', osRelease: { id: 'ol', versionId: '8.9', name: 'Oracle Linux Server' } },
    'oracle:8',
  ],
  ['"Oracle Linux Server 8.9" alone', { system: 'Oracle Linux Server 8.9', packager: 'rpm' }, 'oracle:8'],
  [
    'a RHEL host with its redhat-release package',
    { system: 'Red Hat Enterprise Linux release 9.4 (Plow)', packager: 'rpm', packages: [pkg('redhat-release', '0:9.4-0.5.el9')] },
    'rhel:9',
  ],
  [
    'a RHEL 7 server package',
    { system: 'Red Hat Enterprise Linux Server release 7.9 (Maipo)', packages: [pkg('redhat-release-server', '0:7.9-9.el7_9')] },
    'rhel:7',
  ],
  [
    'CentOS 7 with centos-release',
    { system: 'CentOS Linux release 7.9.2009 (Core)', packages: [pkg('centos-release', '0:7-9.2009.1.el7.centos')] },
    'centos:7',
  ],
  ['CentOS Stream told apart by os-release NAME', { osRelease: { id: 'centos', versionId: '9', name: 'CentOS Stream' }, packager: 'rpm' }, 'centos-stream:9'],
  [
    'Rocky with every sign agreeing',
    { system: 'Rocky Linux release 9.3 (Blue Onyx)', osRelease: { id: 'rocky', versionId: '9.3' }, packages: [pkg('rocky-release', '0:9.3-1.2.el9')] },
    'rocky:9',
  ],
  ['AlmaLinux from its release package only', { packages: [pkg('almalinux-release', '0:9.4-1.el9')], packager: 'rpm' }, 'almalinux:9'],
  ['Ubuntu from os-release', { system: 'Ubuntu 22.04.4 LTS', packager: 'dpkg', osRelease: { id: 'ubuntu', versionId: '22.04' } }, 'ubuntu:22.04'],
];

for (const [what, signals, key] of KNOWN) {
  test(`${what} is ${key}`, () => {
    const os = identifyHost(signals);

    assert.equal(os.known ? os.key : os.reason, key);
  });
}

const CONFLICTS: Array<[string, OsSignals, RegExp]> = [
  [
    'two rebuilds',
    { system: 'Rocky Linux release 9.3 (Blue Onyx)', osRelease: { id: 'almalinux', versionId: '9.3' } },
    /os-release ID=almalinux .*disagrees with system 'Rocky/,
  ],
  ['two major releases', { system: OL_REDHAT_RELEASE, packages: [pkg('oraclelinux-release', '8:9.3-1.0.4.el9')] }, /disagrees/],
  ['RHEL and Debian', { system: 'Red Hat Enterprise Linux release 9.4 (Plow)', osRelease: { id: 'debian', versionId: '12' } }, /disagrees/],
  [
    'an unfollowed os-release ID beside a RHEL claim',
    { system: OL_REDHAT_RELEASE, osRelease: { id: 'fedora', versionId: '40' } },
    /os-release ID 'fedora' is not a followed distribution/,
  ],
  ['a packager of the other family', { packages: [pkg('oraclelinux-release', '8:8.9-1.0.8.el8')], packager: 'dpkg' }, /packager is 'dpkg'/],
  ['nothing at all', {}, /names no system/],
];

for (const [what, signals, reason] of CONFLICTS) {
  test(`${what}: unknown, with the reason`, () => {
    const os = identifyHost(signals);

    assert.equal(os.known, false);
    assert.match(os.known ? '' : os.reason, reason);
  });
}

test('release-looking packages that are not a distribution release (epel-release, centos-release-scl) are not signs', () => {
  const os = identifyHost({
    system: 'Rocky Linux release 8.9 (Green Obsidian)',
    packages: [pkg('epel-release', '0:8-19.el8'), pkg('centos-release-scl', '0:2-3.el7.centos')],
  });

  assert.equal(os.known && os.key, 'rocky:8');
});
