// Host reports as the parsers hand them to the intake, for tests that store hosts directly.
import type { HostReport, ReportedPackage } from '../../src/lib/pakiti-report/index.js';

/** A Rocky Linux 9 host whose openssl (default: release 24, before the fix of CVE-2023-3446 in
 *  test/fixtures/feeds/rhel-9.oval.xml) is installed as `packages` says. */
export function rockyReport(host: string, site: string | undefined, packages?: ReportedPackage[]): HostReport {
  return {
    source: 'json',
    host,
    site,
    tag: undefined,
    system: 'Rocky Linux release 9.3 (Blue Onyx)',
    kernel: '5.14.0-427.16.1.el9_4.x86_64',
    arch: 'x86_64',
    cpu: undefined,
    packager: 'rpm',
    agent: undefined,
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: packages ?? [
      { name: 'openssl', version: '1:3.0.7-24.el9', arch: 'x86_64' },
      { name: 'openssl-libs', version: '1:3.0.7-24.el9', arch: 'x86_64' },
    ],
  };
}
